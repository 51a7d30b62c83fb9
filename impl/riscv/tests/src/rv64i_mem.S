/* RV64I loads and stores of every width: lb, lh, lw, ld, lbu, lhu, lwu, sb, sh, sw, sd, with sign/zero
   extension and negative/positive offsets (issue 3: every RV64IMAC instruction). */
#include "test_macros.h"
  .option norvc

.macro TEST_LD n, op, res, off
  li gp, \n
  la a1, buf
  \op a3, \off(a1)
  li t6, \res
  bne a3, t6, fail
.endm

TEST_MAIN
  TEST_LD 1, ld, 0x8877665544332211, 0
  TEST_LD 2, ld, 0xf0debc9a78563412, 8
  TEST_LD 3, lw, 0x44332211, 0
  TEST_LD 4, lw, 0xffffffff88776655, 4
  TEST_LD 5, lwu, 0x88776655, 4
  TEST_LD 6, lh, 0x2211, 0
  TEST_LD 7, lh, 0xffffffffffff8877, 6
  TEST_LD 8, lhu, 0x8877, 6
  TEST_LD 9, lb, 0x11, 0
  TEST_LD 10, lb, 0xffffffffffffff88, 7
  TEST_LD 11, lbu, 0x88, 7
  TEST_LD 12, lbu, 0xf0, 15
  /* negative offsets */
  li gp, 13
  la a1, buf + 16
  ld a3, -16(a1)
  li t6, 0x8877665544332211
  bne a3, t6, fail
  li gp, 14
  lb a3, -1(a1)
  li t6, -16
  bne a3, t6, fail
  /* stores */
  li gp, 20
  la a1, wbuf
  li a2, 0x0123456789abcdef
  sd a2, 0(a1)
  ld a3, 0(a1)
  bne a2, a3, fail
  li gp, 21
  li a2, 0xaabbccdd
  sw a2, 0(a1)
  ld a3, 0(a1)
  li t6, 0x01234567aabbccdd
  bne a3, t6, fail
  li gp, 22
  li a2, 0x7711
  sh a2, 6(a1)
  ld a3, 0(a1)
  li t6, 0x77114567aabbccdd
  bne a3, t6, fail
  li gp, 23
  li a2, 0x1ee
  sb a2, 5(a1)
  ld a3, 0(a1)
  li t6, 0x7711ee67aabbccdd
  bne a3, t6, fail
  li gp, 24
  addi a4, a1, 16
  li a2, -1
  sd a2, -8(a4)
  ld a3, 8(a1)
  bne a3, a2, fail
  li gp, 25
  sb zero, -1(a4)
  ld a3, 8(a1)
  li t6, 0x00ffffffffffffff
  bne a3, t6, fail
  /* load into x0 has no architectural effect */
  li gp, 26
  ld zero, 0(a1)
  bnez zero, fail
  /* store then load the same address of different widths */
  li gp, 27
  li a2, 0x8000
  sh a2, 0(a1)
  lh a3, 0(a1)
  li t6, -0x8000
  bne a3, t6, fail
  /* fence orders memory; it has no other visible effect */
  li gp, 28
  fence
  fence rw, rw
  fence.tso
  fence iorw, iorw
  RVTEST_PASS

  .data
  .align 4
buf:
  .dword 0x8877665544332211
  .dword 0xf0debc9a78563412
wbuf:
  .dword 0
  .dword 0
