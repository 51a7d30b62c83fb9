/* Spec-only (excluded from QEMU: its instret counts host ticks, see the Makefile): each hart's
   minstret counts exactly its own retired instructions (riscv.md §3.1 counters) while the other
   hart runs and the scheduler switches harts at arbitrary points: 300 times, a block of 32 nops
   between two csrr minstret must measure 33 on both harts; minstret writes are per hart. */
#include "test_macros.h"
  .option norvc

/* a0 := 0 if 300 blocks each measured exactly 33, else the first wrong delta */
.macro MEASURE
  li s1, 300
  li a0, 0
9601:
  csrr t0, minstret
  .rept 32
  nop
  .endr
  csrr t1, minstret
  sub t1, t1, t0
  li t2, 33
  beq t1, t2, 9602f
  mv a0, t1
  j 9603f
9602:
  addi s1, s1, -1
  bnez s1, 9601b
9603:
.endm

TEST_MAIN
  csrw mie, zero
  li t0, 1 << 40
  csrw minstret, t0                   /* hart 0 only */
  MEASURE
  CHECK 1, a0, 0
  li gp, 2
  csrr a1, minstret
  li t6, 1 << 40
  bltu a1, t6, fail
  /* wait for hart 1's result */
  li gp, 3
  la s0, result
  li s1, 50000000
1:
  ld a0, 0(s0)
  bnez a0, 2f
  addi s1, s1, -1
  bnez s1, 1b
  j fail
2:
  CHECK 4, a0, 1                      /* 1 = all blocks exact */
  ld a0, 8(s0)
  CHECK 5, a0, 1                      /* hart 1's minstret was not moved by hart 0's write */
  RVTEST_PASS

  .globl hart_other
hart_other:
  li t0, 1
  bne a0, t0, park_hart
  MEASURE
  la s0, result
  csrr a1, minstret
  li t0, 1 << 40
  sltu a1, a1, t0
  sd a1, 8(s0)
  seqz a0, a0
  sd a0, 0(s0)
1:
  wfi
  j 1b

  .data
  .align 6
result: .dword 0, 0
