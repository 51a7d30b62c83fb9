/* Timer forwarding as a monitor does it (riscv.md §3.7 "mip.STIP is writable by M-mode (how M
   forwards timer ticks to S)"): S asks M by ecall to arm the CLINT timer; the MTI is taken in M
   (priv < M, mideleg does not delegate it) and M sets mip.STIP; the delegated STI then reaches S
   (scause = interrupt 5); S acknowledges through another ecall, which clears STIP. */
#include "test_macros.h"
  .option norvc

/* wait in WFI until the S handler has run (at most 1000 wake-ups). SIE is off between the check
   and the wfi, so the interrupt cannot slip in between (wfi wakes on pending & enabled in sie
   regardless of SIE); it is taken when SIE is set again. */
.macro WFI_WAIT_STRAP
  li a6, 1000
9301:
  csrci sstatus, MSTATUS_SIE
  la t5, strap_data
  ld t5, TD_COUNT(t5)
  bnez t5, 9302f
  wfi
  csrsi sstatus, MSTATUS_SIE
  nop
  addi a6, a6, -1
  bnez a6, 9301b
  j fail
9302:
  csrsi sstatus, MSTATUS_SIE
.endm

TEST_MAIN
  csrw mie, zero
  la t5, fwd_mtrap
  csrw mtvec, t5
  li t5, MIP_STIP
  csrw mideleg, t5
  li t5, MIP_MTIP | MIP_STIP
  csrw mie, t5
  CLEAR_STRAP
  li t5, MSTATUS_MPP
  csrc mstatus, t5
  li t5, PRV_S << 11
  csrs mstatus, t5
  la t5, s_main
  csrw mepc, t5
  mret
s_main:
  csrsi sstatus, MSTATUS_SIE
  /* sbi_set_timer(mtime + 300) */
  li gp, 1
  li t0, CLINT_MTIME
  ld a0, 0(t0)
  li t1, 1000000                    /* 100 ms of QEMU's 10 MHz mtime: keeps check 2 timing-safe */
  add a0, a0, t1
  li a7, 0
  ecall
  li gp, 2
  csrr a1, sip
  andi a1, a1, MIP_STIP
  bnez a1, fail                     /* not yet */
  WFI_WAIT_STRAP
  CHECK_STRAP 3, TD_CAUSE, CAUSE_IRQ(5)
  /* STIP stays pending until M clears it; S cannot clear it through sip */
  li gp, 4
  li t5, MIP_STIP
  csrc sip, t5
  csrr a1, sip
  and a1, a1, t5
  beqz a1, fail
  /* sbi_set_timer(-1): M disarms the timer and clears STIP */
  li gp, 5
  li a0, -1
  li a7, 0
  ecall
  csrr a1, sip
  andi a1, a1, MIP_STIP
  bnez a1, fail
  /* a second tick */
  CLEAR_STRAP
  li gp, 6
  li t5, MIP_STIP
  csrs sie, t5                      /* the S handler cleared sie */
  li t0, CLINT_MTIME
  ld a0, 0(t0)
  addi a0, a0, 100
  li a7, 0
  ecall
  WFI_WAIT_STRAP
  CHECK_STRAP 7, TD_CAUSE, CAUSE_IRQ(5)
  li gp, 8
  la t5, fwd_ticks
  ld a1, 0(t5)
  li t6, 2
  bne a1, t6, fail                  /* M saw exactly two MTIs */
  /* back to M */
  li a0, -1
  li a7, 0
  ecall
  la a1, m_end
  li a7, 1
  ecall
m_end:
  la t5, m_trap
  csrw mtvec, t5
  csrw mie, zero
  csrw mideleg, zero
  RVTEST_PASS

/* M handler: MTI -> STIP; ecall a7 = 0: mtimecmp = a0, STIP cleared; a7 = 1: return to M at a1.
   Preserves every register. */
  .align 2
fwd_mtrap:
  csrw mscratch, t6
  la t6, fwd_save
  sd t5, 0(t6)
  csrr t5, mcause
  bgez t5, 1f
  li t5, CAUSE_IRQ(7)
  csrr t6, mcause
  bne t5, t6, fail
  li t5, MIP_STIP
  csrs mip, t5
  la t6, fwd_ticks
  ld t5, 0(t6)
  addi t5, t5, 1
  sd t5, 0(t6)
  li t5, CLINT_MTIMECMP
  li t6, -1
  sd t6, 0(t5)
  j 3f
1:
  li t6, CAUSE_ECALL_S
  bne t5, t6, fail
  csrr t5, mepc
  addi t5, t5, 4
  csrw mepc, t5
  bnez a7, 2f
  li t5, CLINT_MTIMECMP
  sd a0, 0(t5)
  li t5, MIP_STIP
  csrc mip, t5
  j 3f
2:
  csrw mepc, a1
  li t5, MSTATUS_MPP
  csrs mstatus, t5
3:
  la t6, fwd_save
  ld t5, 0(t6)
  csrr t6, mscratch
  mret

  .data
  .align 3
fwd_save: .dword 0
fwd_ticks: .dword 0
