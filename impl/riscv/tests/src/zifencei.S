/* Zifencei: after a store to instruction memory, fence.i makes the new instruction visible to
   fetch (riscv.md §3.8: FENCE.I must invalidate any decoded-instruction cache). */
#include "test_macros.h"
  .option norvc

TEST_MAIN
  la s0, patch
  /* run the original code: a0 = 1 */
  li gp, 1
  li a0, 0
  jalr ra, 0(s0)
  li t6, 1
  bne a0, t6, fail
  /* patch to addi a0, zero, 2 (0x00200513) */
  li gp, 2
  li a1, 0x00200513
  sw a1, 0(s0)
  fence.i
  jalr ra, 0(s0)
  li t6, 2
  bne a0, t6, fail
  /* patch again (a compressed c.li a0, 3 + c.nop), in a loop that executed the old code */
  li gp, 3
  li s1, 3
1:
  jalr ra, 0(s0)
  li a1, 0x0001450d        /* c.li a0, 3 ; c.nop */
  sw a1, 0(s0)
  fence.i
  addi s1, s1, -1
  bnez s1, 1b
  li t6, 3
  bne a0, t6, fail
  /* patch a 32-bit instruction halfword by halfword */
  li gp, 4
  li a1, 0x0513             /* low half of addi a0, zero, 4 = 0x00400513 */
  sh a1, 0(s0)
  li a1, 0x0040
  sh a1, 2(s0)
  fence.i
  jalr ra, 0(s0)
  li t6, 4
  bne a0, t6, fail
  RVTEST_PASS

  .data
  .align 4
patch:
  addi a0, zero, 1
  ret
