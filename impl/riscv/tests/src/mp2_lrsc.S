/* Two harts sharing memory (riscv.md §3 A extension, issue 3 "LR/SC between harts"): each hart adds
   1 to a shared counter 1000 times with an LR/SC loop and 1000 times with amoadd.d, and flips a
   shared word with amoxor; no update may be lost under the interleaving. An SC fails after the
   other hart wrote the reserved doubleword by a store, an AMO, its own SC, or a partial store. */
#include "test_macros.h"
  .option norvc

#define N 1000

/* hold a reservation on victim while hart 1 performs action \req (it answers \ack); our SC must
   fail and victim must then hold \val */
.macro ASK_OTHER n, req, ack, val
  li gp, \n
  la s0, victim
  la s2, phase
  lr.d a0, (s0)
  li t0, \req
  sw t0, 0(s2)
  li s1, 50000000
9401:
  lw t1, 0(s2)
  li t0, \ack
  beq t1, t0, 9402f
  addi s1, s1, -1
  bnez s1, 9401b
  j fail
9402:
  li a1, 99
  sc.d a2, a1, (s0)
  beqz a2, fail
  ld a0, 0(s0)
  li t6, \val
  bne a0, t6, fail
.endm

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
  /* the same with the other hart's amoadd.d (7), its own LR/SC pair (8), and a 4-byte store
     to the upper half of the reserved doubleword (9): each kills our reservation */
  ASK_OTHER 7, 3, 4, 0x78
  ASK_OTHER 8, 5, 6, 0x79
  ASK_OTHER 9, 7, 8, 0x0000000100000079
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
  /* 3: amoadd.d 1 to victim */
  li t2, 3
3:
  lw t1, 0(s2)
  bne t1, t2, 3b
  li t0, 1
  amoadd.d zero, t0, (s0)
  li t0, 4
  sw t0, 0(s2)
  /* 5: an LR/SC increment of victim */
  li t2, 5
4:
  lw t1, 0(s2)
  bne t1, t2, 4b
5:
  lr.d t0, (s0)
  addi t0, t0, 1
  sc.d t1, t0, (s0)
  bnez t1, 5b
  li t0, 6
  sw t0, 0(s2)
  /* 7: store 1 to the upper word of victim */
  li t2, 7
6:
  lw t1, 0(s2)
  bne t1, t2, 6b
  li t0, 1
  sw t0, 4(s0)
  li t0, 8
  sw t0, 0(s2)
7:
  wfi
  j 7b

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
