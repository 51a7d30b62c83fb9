/* RV64A LR/SC: lr.w/lr.d/sc.w/sc.d success and failure (no reservation, other address,
   reservation consumed), sign extension of lr.w, an LR/SC increment loop, misaligned LR/SC/AMO
   trapping with load-address-misaligned (misaligned AMOs: see qemu_deviations.S). */
#include "test_macros.h"
  .option norvc

TEST_MAIN
  la a1, buf
  /* lr.d / sc.d succeed */
  li gp, 1
  li a2, 0x1111222233334444
  sd a2, 0(a1)
  lr.d a3, (a1)
  bne a3, a2, fail
  li a5, 0x5555666677778888
  sc.d a4, a5, (a1)
  bnez a4, fail
  ld a3, 0(a1)
  bne a3, a5, fail
  /* a second sc.d without a new lr fails and writes nothing */
  li gp, 2
  li a5, 0x99
  sc.d a4, a5, (a1)
  beqz a4, fail
  ld a3, 0(a1)
  li t6, 0x5555666677778888
  bne a3, t6, fail
  /* lr.w sign-extends; sc.w writes 32 bits */
  li gp, 3
  li a2, 0x80000001
  sw a2, 8(a1)
  li a2, 0x12345678
  sw a2, 12(a1)
  addi a6, a1, 8
  lr.w a3, (a6)
  li t6, 0xffffffff80000001
  bne a3, t6, fail
  li gp, 4
  li a5, 0x7eadbeef
  sc.w a4, a5, (a6)
  bnez a4, fail
  ld a3, 0(a6)
  li t6, 0x123456787eadbeef
  bne a3, t6, fail
  /* sc.w with no reservation fails */
  li gp, 5
  sc.w a4, zero, (a6)
  beqz a4, fail
  lw a3, 0(a6)
  li t6, 0x7eadbeef
  bne a3, t6, fail
  /* sc to an address other than the reserved one fails */
  li gp, 6
  lr.d a3, (a1)
  addi a7, a1, 16
  sd zero, 0(a7)
  li a5, 77
  sc.d a4, a5, (a7)
  beqz a4, fail
  ld a3, 0(a7)
  bnez a3, fail
  /* LR/SC increment loop with ordering bits */
  li gp, 7
  sd zero, 24(a1)
  addi a7, a1, 24
  li s1, 100
1:
  lr.d.aq a3, (a7)
  addi a3, a3, 1
  sc.d.rl a4, a3, (a7)
  bnez a4, 1b
  addi s1, s1, -1
  bnez s1, 1b
  ld a3, 0(a7)
  li t6, 100
  bne a3, t6, fail
  li gp, 8
  lr.w.aqrl a3, (a7)
  sc.w.aqrl a4, zero, (a7)
  bnez a4, fail
  ld a3, 0(a7)
  bnez a3, fail
  /* misaligned atomics trap */
  addi a7, a1, 33
  TEST_TRAP 9, CAUSE_LOAD_MISALIGNED, lr.d a3, (a7)
  li gp, 10
  la t5, buf + 33
  bne t6, t5, fail
  addi a7, a1, 34
  TEST_TRAP 14, CAUSE_LOAD_MISALIGNED, lr.w a3, (a7)
  RVTEST_PASS

  .data
  .align 6
buf:
  .fill 8, 8, 0
