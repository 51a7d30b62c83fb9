/* Two harts (riscv.md §3.7 CLINT): hart 1 parks in WFI with MIE = 0 and mie.MSIE = 1 until hart 0
   writes its msip (an IPI); WFI resumes on the locally enabled pending interrupt; hart 1 clears
   its own msip and acknowledges. Then hart 1 waits with MIE = 1 and takes the IPI as a machine
   software interrupt (mcause 3, epc after its WFI) in its own handler. mhartid and a0 at reset
   give the hart number; each hart sees only its own msip. */
#include "test_macros.h"
  .option norvc

#define MSIP1 (CLINT_MSIP + 4)

TEST_MAIN
  csrw mie, zero
  /* wait until hart 1 says it is parked */
  li gp, 1
  la s0, parked
  li s1, 10000000
1:
  lw a0, 0(s0)
  bnez a0, 2f
  addi s1, s1, -1
  bnez s1, 1b
  j fail
2:
  /* hart 1 must not wake up by itself: ack stays 0 for a while */
  li gp, 2
  DELAY 2000
  la s2, ack
  lw a0, 0(s2)
  bnez a0, fail
  /* our own msip is untouched by hart 1's */
  li gp, 3
  csrr a0, mip
  andi a0, a0, MIP_MSIP
  bnez a0, fail
  /* IPI */
  li gp, 4
  li t5, MSIP1
  li t6, 1
  sw t6, 0(t5)
  csrr a0, mip
  andi a0, a0, MIP_MSIP
  bnez a0, fail                        /* hart 1's msip does not show in hart 0's mip */
  li gp, 5
  li s1, 10000000
3:
  lw a0, 0(s2)
  li t6, 1
  beq a0, t6, 4f
  addi s1, s1, -1
  bnez s1, 3b
  j fail
4:
  /* hart 1 cleared its msip */
  li gp, 6
  li t5, MSIP1
  lw a0, 0(t5)
  bnez a0, fail
  /* phase 2: hart 1 waits with MIE = 1 and takes the interrupt */
  li gp, 7
  li s1, 10000000
5:
  lw a0, 0(s0)
  li t6, 2
  beq a0, t6, 6f
  addi s1, s1, -1
  bnez s1, 5b
  j fail
6:
  DELAY 1000
  li t5, MSIP1
  li t6, 1
  sw t6, 0(t5)
  li gp, 8
  li s1, 10000000
7:
  lw a0, 0(s2)
  li t6, 2
  beq a0, t6, 8f
  addi s1, s1, -1
  bnez s1, 7b
  j fail
8:
  /* hart 1 recorded mcause and whether mepc was right after its wfi */
  la s3, h1_cause
  ld a0, 0(s3)
  CHECK 9, a0, CAUSE_IRQ(3)
  ld a0, 8(s3)
  CHECK 10, a0, 1
  /* hart 1's mhartid / a0 at reset */
  ld a0, 16(s3)
  CHECK 11, a0, 1
  RVTEST_PASS

/* ------------------------------------------------------------------ hart 1 */
  .globl hart_other
hart_other:
  mv s4, a0                            /* a0 = mhartid at reset */
  li t0, 1
  bne a0, t0, park_hart                /* only hart 1 takes part */
  csrr t0, mhartid
  bne t0, a0, park_hart
  la s3, h1_cause
  sd a0, 16(s3)
  la t0, h1_trap
  csrw mtvec, t0
  csrci mstatus, MSTATUS_MIE
  li t0, MIP_MSIP
  csrw mie, t0
  la s0, parked
  la s2, ack
  li t0, 1
  sw t0, 0(s0)
  fence
h1_wait:
  wfi
  li t0, MSIP1
  lw t1, 0(t0)
  beqz t1, h1_wait                     /* wfi may return early: check the source */
  sw zero, 0(t0)                       /* clear our msip */
  fence
  li t0, 1
  sw t0, 0(s2)
  /* phase 2 */
  li t0, MIP_MSIP
  csrw mie, t0
  csrsi mstatus, MSTATUS_MIE
  li t0, 2
  sw t0, 0(s0)
h1_wfi:
  wfi
h1_after_wfi:
  j h1_wfi

  .align 2
h1_trap:
  csrr t0, mcause
  sd t0, 0(s3)
  csrr t0, mepc
  la t1, h1_after_wfi
  sub t0, t0, t1
  seqz t0, t0
  sd t0, 8(s3)
  li t0, MSIP1
  sw zero, 0(t0)
  li t0, 2
  sw t0, 0(s2)
1:
  wfi
  j 1b

  .data
  .align 6
parked: .word 0
  .align 6
ack: .word 0
  .align 6
h1_cause: .dword 0, 0, 0
