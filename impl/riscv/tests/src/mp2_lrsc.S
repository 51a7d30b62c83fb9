/* Two harts sharing memory (riscv.md §3 A extension, issue 3 "LR/SC between harts"): each hart adds
   1 to a shared counter 1000 times with an LR/SC loop and 1000 times with amoadd.d, and flips a
   shared word with amoxor; no update may be lost under the interleaving. An SC after the other
   hart stored to the reserved doubleword fails. */
#include "test_macros.h"
  .option norvc

#define N 1000

TEST_MAIN
  csrw mie, zero
  call worker
  /* wait for hart 1 */
  li gp, 1
  la s0, done
  li s1, 50000000
1:
  lw a0, 0(s0)
  bnez a0, 2f
  addi s1, s1, -1
  bnez s1, 1b
  j fail
2:
  fence
  la s0, counter_lrsc
  ld a0, 0(s0)
  CHECK 2, a0, 2 * N
  la s0, counter_amo
  ld a0, 0(s0)
  CHECK 3, a0, 2 * N
  la s0, flip
  ld a0, 0(s0)
  CHECK 4, a0, 0                       /* 2N flips of the same bit */
  /* a store by the other hart kills our reservation: hart 1 stores to `victim` while we hold it */
  li gp, 5
  la s0, victim
  la s2, phase
  lr.d a0, (s0)
  li t0, 1
  sw t0, 0(s2)                         /* ask hart 1 to store to victim */
  li s1, 50000000
3:
  lw t1, 0(s2)
  li t0, 2
  beq t1, t0, 4f
  addi s1, s1, -1
  bnez s1, 3b
  j fail
4:
  li a1, 99
  sc.d a2, a1, (s0)
  beqz a2, fail                        /* must fail */
  ld a0, 0(s0)
  CHECK 6, a0, 0x77
  RVTEST_PASS

/* both harts: N LR/SC increments, N amoadd increments, N amoxor flips */
worker:
  la t0, counter_lrsc
  la t1, counter_amo
  la t2, flip
  li t3, N
  li t4, 1
1:
  lr.d a0, (t0)
  addi a0, a0, 1
  sc.d a1, a0, (t0)
  bnez a1, 1b
  amoadd.d zero, t4, (t1)
  amoxor.d zero, t4, (t2)
  addi t3, t3, -1
  bnez t3, 1b
  ret

  .globl hart_other
hart_other:
  li t0, 1
  bne a0, t0, park_hart
  call worker
  fence
  la s0, done
  li t0, 1
  sw t0, 0(s0)
  /* wait for the reservation-kill request */
  la s2, phase
1:
  lw t1, 0(s2)
  beqz t1, 1b
  la s0, victim
  li t0, 0x77
  sd t0, 0(s0)
  fence
  li t0, 2
  sw t0, 0(s2)
2:
  wfi
  j 2b

  .data
  .align 6
counter_lrsc: .dword 0
  .align 6
counter_amo: .dword 0
  .align 6
flip: .dword 0
  .align 6
done: .word 0
  .align 6
phase: .word 0
  .align 6
victim: .dword 0
