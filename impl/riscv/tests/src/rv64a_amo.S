/* RV64A AMOs: every amo<op>.w and amo<op>.d (swap, add, xor, and, or, min, max, minu, maxu):
   rd gets the old value (sign-extended for .w), memory gets the result, .w leaves the other word
   alone; aq/rl variants and rd = x0 (issue 3: every RV64IMAC instruction). */
#include "test_macros.h"
  .option norvc

/* \ld/\sd: load/store of the operand width; memory starts as \init, rs2 = \src */
.macro TEST_AMO n, op, w, init, src, old, new
  li gp, \n
  la a1, amobuf
  li a2, -1
  sd a2, 0(a1)
  sd a2, 8(a1)
  li a2, \init
  .ifc \w, w
  sw a2, 0(a1)
  .else
  sd a2, 0(a1)
  .endif
  li a2, \src
  \op a3, a2, (a1)
  li t6, \old
  bne a3, t6, fail
  .ifc \w, w
  lwu a4, 0(a1)
  lw a5, 4(a1)
  li t6, -1
  bne a5, t6, fail
  .else
  ld a4, 0(a1)
  .endif
  li t6, \new
  bne a4, t6, fail
.endm

TEST_MAIN
  TEST_AMO 1, amoswap.w, w, 0x7fffffff, 0x80000001, 0x7fffffff, 0x80000001
  TEST_AMO 2, amoswap.w, w, 0xfffffff0, 0x25, 0xfffffffffffffff0, 0x25
  TEST_AMO 3, amoadd.w, w, 0x7fffffff, 0x80000001, 0x7fffffff, 0x0
  TEST_AMO 4, amoadd.w, w, 0xfffffff0, 0x25, 0xfffffffffffffff0, 0x15
  TEST_AMO 5, amoxor.w, w, 0x7fffffff, 0x80000001, 0x7fffffff, 0xfffffffe
  TEST_AMO 6, amoxor.w, w, 0xfffffff0, 0x25, 0xfffffffffffffff0, 0xffffffd5
  TEST_AMO 7, amoand.w, w, 0x7fffffff, 0x80000001, 0x7fffffff, 0x1
  TEST_AMO 8, amoand.w, w, 0xfffffff0, 0x25, 0xfffffffffffffff0, 0x20
  TEST_AMO 9, amoor.w, w, 0x7fffffff, 0x80000001, 0x7fffffff, 0xffffffff
  TEST_AMO 10, amoor.w, w, 0xfffffff0, 0x25, 0xfffffffffffffff0, 0xfffffff5
  TEST_AMO 11, amomin.w, w, 0x7fffffff, 0x80000001, 0x7fffffff, 0x80000001
  TEST_AMO 12, amomin.w, w, 0xfffffff0, 0x25, 0xfffffffffffffff0, 0xfffffff0
  TEST_AMO 13, amomax.w, w, 0x7fffffff, 0x80000001, 0x7fffffff, 0x7fffffff
  TEST_AMO 14, amomax.w, w, 0xfffffff0, 0x25, 0xfffffffffffffff0, 0x25
  TEST_AMO 15, amominu.w, w, 0x7fffffff, 0x80000001, 0x7fffffff, 0x7fffffff
  TEST_AMO 16, amominu.w, w, 0xfffffff0, 0x25, 0xfffffffffffffff0, 0x25
  TEST_AMO 17, amomaxu.w, w, 0x7fffffff, 0x80000001, 0x7fffffff, 0x80000001
  TEST_AMO 18, amomaxu.w, w, 0xfffffff0, 0x25, 0xfffffffffffffff0, 0xfffffff0
  TEST_AMO 19, amoswap.d, d, 0x800000007fffffff, 0x8000000000000001, 0x800000007fffffff, 0x8000000000000001
  TEST_AMO 20, amoswap.d, d, 0xfffffffffffffff0, 0x25, 0xfffffffffffffff0, 0x25
  TEST_AMO 21, amoadd.d, d, 0x800000007fffffff, 0x8000000000000001, 0x800000007fffffff, 0x80000000
  TEST_AMO 22, amoadd.d, d, 0xfffffffffffffff0, 0x25, 0xfffffffffffffff0, 0x15
  TEST_AMO 23, amoxor.d, d, 0x800000007fffffff, 0x8000000000000001, 0x800000007fffffff, 0x7ffffffe
  TEST_AMO 24, amoxor.d, d, 0xfffffffffffffff0, 0x25, 0xfffffffffffffff0, 0xffffffffffffffd5
  TEST_AMO 25, amoand.d, d, 0x800000007fffffff, 0x8000000000000001, 0x800000007fffffff, 0x8000000000000001
  TEST_AMO 26, amoand.d, d, 0xfffffffffffffff0, 0x25, 0xfffffffffffffff0, 0x20
  TEST_AMO 27, amoor.d, d, 0x800000007fffffff, 0x8000000000000001, 0x800000007fffffff, 0x800000007fffffff
  TEST_AMO 28, amoor.d, d, 0xfffffffffffffff0, 0x25, 0xfffffffffffffff0, 0xfffffffffffffff5
  TEST_AMO 29, amomin.d, d, 0x800000007fffffff, 0x8000000000000001, 0x800000007fffffff, 0x8000000000000001
  TEST_AMO 30, amomin.d, d, 0xfffffffffffffff0, 0x25, 0xfffffffffffffff0, 0xfffffffffffffff0
  TEST_AMO 31, amomax.d, d, 0x800000007fffffff, 0x8000000000000001, 0x800000007fffffff, 0x800000007fffffff
  TEST_AMO 32, amomax.d, d, 0xfffffffffffffff0, 0x25, 0xfffffffffffffff0, 0x25
  TEST_AMO 33, amominu.d, d, 0x800000007fffffff, 0x8000000000000001, 0x800000007fffffff, 0x8000000000000001
  TEST_AMO 34, amominu.d, d, 0xfffffffffffffff0, 0x25, 0xfffffffffffffff0, 0x25
  TEST_AMO 35, amomaxu.d, d, 0x800000007fffffff, 0x8000000000000001, 0x800000007fffffff, 0x800000007fffffff
  TEST_AMO 36, amomaxu.d, d, 0xfffffffffffffff0, 0x25, 0xfffffffffffffff0, 0xfffffffffffffff0
  /* ordering bits do not change the result */
  li gp, 40
  la a1, amobuf
  sd zero, 0(a1)
  li a2, 3
  amoadd.d.aq a3, a2, (a1)
  amoadd.d.rl a3, a2, (a1)
  amoadd.d.aqrl a3, a2, (a1)
  amoadd.w.aqrl a3, a2, (a1)
  ld a4, 0(a1)
  li t6, 12
  bne a4, t6, fail
  li t6, 9
  bne a3, t6, fail
  /* rd = x0: memory still updated */
  li gp, 41
  amoswap.d zero, a2, (a1)
  bnez zero, fail
  ld a4, 0(a1)
  li t6, 3
  bne a4, t6, fail
  /* rd == rs2 */
  li gp, 42
  li a2, 7
  amoadd.d a2, a2, (a1)
  li t6, 3
  bne a2, t6, fail
  ld a4, 0(a1)
  li t6, 10
  bne a4, t6, fail
  RVTEST_PASS

  .data
  .align 4
amobuf:
  .dword 0, 0
