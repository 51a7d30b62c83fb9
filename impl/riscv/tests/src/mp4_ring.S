/* Four harts pass a token around a ring of IPIs (riscv.md §3.7: msip[h] at CLINT + 4h raises only
   hart h's MSIP): hart 0 sends to hart 1, each hart h waits in WFI for its msip, clears it, adds
   its id to a shared sum and sends to hart (h + 1) % 4; after three laps hart 0 checks the sum. */
#include "test_macros.h"
  .option norvc

#define NHARTS 4
#define LAPS 3

TEST_MAIN
  csrw mie, zero
  li s3, 0                          /* laps done */
  li gp, 1
  /* wait until every other hart is ready */
  la s0, ready
  li s1, 50000000
1:
  lw a0, 0(s0)
  li t6, NHARTS - 1
  beq a0, t6, 2f
  addi s1, s1, -1
  bnez s1, 1b
  j fail
2:
  li t0, MIP_MSIP
  csrw mie, t0
lap:
  li t0, CLINT_MSIP + 4             /* send to hart 1 */
  li t1, 1
  sw t1, 0(t0)
  li gp, 2
  li s1, 1000000
3:
  wfi
  li t0, CLINT_MSIP
  lw t1, 0(t0)
  bnez t1, 4f
  addi s1, s1, -1
  bnez s1, 3b
  j fail
4:
  sw zero, 0(t0)
  addi s3, s3, 1
  li t6, LAPS
  bne s3, t6, lap
  la s0, sum
  ld a0, 0(s0)
  CHECK 3, a0, LAPS * (1 + 2 + 3)
  RVTEST_PASS

  .globl hart_other
hart_other:
  li t0, NHARTS
  bgeu a0, t0, park_hart
  mv s2, a0
  csrci mstatus, MSTATUS_MIE
  li t0, MIP_MSIP
  csrw mie, t0
  slli s4, s2, 2
  li t0, CLINT_MSIP
  add s4, s4, t0                    /* my msip */
  addi s5, s2, 1
  li t0, NHARTS
  remu s5, s5, t0
  slli s5, s5, 2
  li t0, CLINT_MSIP
  add s5, s5, t0                    /* next hart's msip */
  la s0, ready
  li t0, 1
  amoadd.w zero, t0, (s0)
  la s6, sum
1:
  wfi
  lw t1, 0(s4)
  beqz t1, 1b
  sw zero, 0(s4)
  amoadd.d zero, s2, (s6)
  fence
  li t1, 1
  sw t1, 0(s5)
  j 1b

  .data
  .align 6
ready: .word 0
  .align 6
sum: .dword 0
