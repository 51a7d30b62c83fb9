/* Per-hart timers (riscv.md §3.7): mtimecmp[h] drives only hart h's MTIP; hart 1 sleeps in WFI until
   its own timer fires, hart 0's MTIP stays clear; both harts see the same mtime and each other's
   mtimecmp through the shared CLINT. */
#include "test_macros.h"
  .option norvc

#define MTIMECMP1 (CLINT_MTIMECMP + 8)

TEST_MAIN
  csrw mie, zero
  la s0, flag
  li gp, 1
  li s1, 50000000
1:
  lw a0, 0(s0)
  li t6, 1
  beq a0, t6, 2f
  csrr a1, mip                     /* hart 0's MTIP never rises */
  andi a1, a1, MIP_MTIP
  bnez a1, fail
  addi s1, s1, -1
  bnez s1, 1b
  j fail
2:
  /* hart 1 has seen MTIP: its mtimecmp is in the past, ours is not */
  li gp, 2
  li t5, MTIMECMP1
  ld a1, 0(t5)
  li t5, CLINT_MTIME
  ld a2, 0(t5)
  bltu a2, a1, fail
  li gp, 3
  csrr a1, mip
  andi a1, a1, MIP_MTIP
  bnez a1, fail
  /* let hart 1 disarm and finish */
  li gp, 4
  li t6, 2
  sw t6, 0(s0)
  li s1, 50000000
3:
  lw a0, 0(s0)
  li t6, 3
  beq a0, t6, 4f
  addi s1, s1, -1
  bnez s1, 3b
  j fail
4:
  li gp, 5
  li t5, MTIMECMP1
  ld a1, 0(t5)
  li t6, -1
  bne a1, t6, fail
  RVTEST_PASS

  .globl hart_other
hart_other:
  li t0, 1
  bne a0, t0, park_hart
  la s0, flag
  csrci mstatus, MSTATUS_MIE
  li t0, MIP_MTIP
  csrw mie, t0
  li t0, CLINT_MTIME
  ld t1, 0(t0)
  li t2, 20000
  add t1, t1, t2
  li t0, MTIMECMP1
  sd t1, 0(t0)
1:
  wfi
  csrr t1, mip
  andi t1, t1, MIP_MTIP
  beqz t1, 1b
  li t0, 1
  sw t0, 0(s0)
2:
  lw t0, 0(s0)
  li t1, 2
  bne t0, t1, 2b
  li t0, MTIMECMP1
  li t1, -1
  sd t1, 0(t0)
  csrr t1, mip
  andi t1, t1, MIP_MTIP
  bnez t1, 3f                      /* must be clear now: leave flag at 2 and hart 0 times out */
  li t0, 3
  sw t0, 0(s0)
3:
  csrw mie, zero
  wfi
  j 3b

  .data
  .align 6
flag: .word 0
