/* Supervisor interrupts (riscv.md §3.2, §3.7): SSIP/STIP/SEIP written by M in mip; undelegated
   they are taken in M; delegated through mideleg they go to S (scause, sepc, SPP, SPIE), are masked
   while in M, taken in S only with SIE, and in U always; S sets/clears SSIP through sip but cannot
   change STIP. */
#include "test_macros.h"
  .option norvc

TEST_MAIN
  csrw mie, zero
  csrw mideleg, zero
  /* --- undelegated SSI taken in M */
  CLEAR_TRAP
  li gp, 1
  li t5, MIP_SSIP
  csrs mie, t5
  csrsi mstatus, MSTATUS_MIE
  csrs mip, t5
1:
  nop
  CHECK_TRAP 2, TD_CAUSE, CAUSE_IRQ(1)
  CHECK_TRAP_EPC 3, 1b
  li t5, MIP_SSIP
  csrc mip, t5
  /* --- undelegated STI and SEI taken in M */
  CLEAR_TRAP
  li gp, 4
  li t5, MIP_STIP
  csrs mie, t5
  csrs mip, t5
  nop
  CHECK_TRAP 5, TD_CAUSE, CAUSE_IRQ(5)
  li t5, MIP_STIP
  csrc mip, t5
  CLEAR_TRAP
  li gp, 6
  li t5, MIP_SEIP
  csrs mie, t5
  csrs mip, t5
  nop
  CHECK_TRAP 7, TD_CAUSE, CAUSE_IRQ(9)
  li t5, MIP_SEIP
  csrc mip, t5
  /* --- delegated SSI is masked in M even with MIE = 1 */
  CLEAR_TRAP
  CLEAR_STRAP
  li gp, 8
  li t5, MIP_SSIP | MIP_STIP | MIP_SEIP
  csrw mideleg, t5
  li t5, MIP_SSIP
  csrw mie, t5
  csrsi mstatus, MSTATUS_MIE
  csrs mip, t5
  DELAY 50
  CHECK_TRAP 9, TD_COUNT, 0
  CHECK_STRAP 10, TD_COUNT, 0
  /* --- in S with SIE = 0: still pending, not taken */
  li gp, 11
  csrci mstatus, MSTATUS_SIE
  CALL_PRIV PRV_S, s1, b1
s1:
  DELAY 50
  CHECK_STRAP 12, TD_COUNT, 0
  li gp, 13
  csrr a0, sip
  andi a0, a0, MIP_SSIP
  beqz a0, fail
  /* setting SIE takes it at once, into S */
  li gp, 14
  csrsi sstatus, MSTATUS_SIE
2:
  nop
  CHECK_STRAP 15, TD_CAUSE, CAUSE_IRQ(1)
  CHECK_STRAP_EPC 16, 2b
  li gp, 17
  la t5, strap_data
  ld a0, TD_STATUS(t5)
  li t6, MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE
  and a0, a0, t6
  li t6, MSTATUS_SPP | MSTATUS_SPIE
  bne a0, t6, fail
  CHECK_TRAP 18, TD_COUNT, 0
  /* S clears SSIP through sip */
  li gp, 19
  csrci sip, MIP_SSIP
  csrr a0, sip
  andi a0, a0, MIP_SSIP
  bnez a0, fail
  /* S sets SSIP through sip: with sie.SSIE and SIE it is taken again */
  CLEAR_STRAP
  li gp, 20
  csrsi sie, MIP_SSIP
  csrsi sstatus, MSTATUS_SIE
  csrsi sip, MIP_SSIP
  nop
  CHECK_STRAP 21, TD_CAUSE, CAUSE_IRQ(1)
  csrci sip, MIP_SSIP
  /* S cannot change STIP through sip */
  li gp, 22
  li t5, MIP_STIP
  csrs sip, t5
  csrr a0, sip
  and a0, a0, t5
  bnez a0, fail
  ECALL_TO_M b1
b1:
  CHECK_CAUSE 23, CAUSE_ECALL_S
  /* --- delegated STI from M's mip write: taken in S */
  CLEAR_STRAP
  li gp, 24
  li t5, MIP_STIP
  csrw mie, t5
  csrs mip, t5
  csrsi mstatus, MSTATUS_SIE
  CALL_PRIV PRV_S, s2, b2
s2:
  nop
  CHECK_STRAP 25, TD_CAUSE, CAUSE_IRQ(5)
  /* STIP is still pending (only M clears it); sie was cleared by the S handler */
  li gp, 26
  csrr a0, sip
  andi a0, a0, MIP_STIP
  beqz a0, fail
  ECALL_TO_M b2
b2:
  li t5, MIP_STIP
  csrc mip, t5
  /* --- in U a delegated interrupt is taken whatever SIE says */
  CLEAR_STRAP
  li gp, 27
  li t5, MIP_SEIP
  csrw mie, t5
  csrs mip, t5
  csrci mstatus, MSTATUS_SIE
  CALL_PRIV PRV_U, u1, b3
u1:
  nop
  nop
  ECALL_TO_M b3
b3:
  CHECK_CAUSE 28, CAUSE_ECALL_U
  CHECK_STRAP 29, TD_CAUSE, CAUSE_IRQ(9)
  CHECK_STRAP_EPC 30, u1
  li gp, 31
  la t5, strap_data
  ld a0, TD_STATUS(t5)
  andi a0, a0, MSTATUS_SPP
  bnez a0, fail                    /* SPP = U */
  li t5, MIP_SEIP
  csrc mip, t5
  /* --- a write to mideleg re-evaluates: SSI pending and delegated (masked in M); undelegating it
     makes it an M interrupt, taken right after the csrw */
  CLEAR_TRAP
  li gp, 32
  li t5, MIP_SSIP
  csrw mideleg, t5
  csrw mie, t5
  csrsi mstatus, MSTATUS_MIE
  csrs mip, t5
  nop
  CHECK_TRAP 33, TD_COUNT, 0
  csrw mideleg, zero
7:
  nop
  CHECK_TRAP 34, TD_CAUSE, CAUSE_IRQ(1)
  CHECK_TRAP_EPC 35, 7b
  /* --- sret re-evaluates: delegated SSI pending, SIE = 0 in S; sret back to S with SPIE = 1
     takes it before the first instruction at sepc */
  CLEAR_STRAP
  li gp, 36
  csrci mstatus, MSTATUS_MIE
  li t5, MIP_SSIP
  csrw mideleg, t5
  csrw mie, t5
  csrs mip, t5
  csrci mstatus, MSTATUS_SIE
  CALL_PRIV PRV_S, s3, b4
s3:
  li t5, MSTATUS_SPP | MSTATUS_SPIE
  csrs sstatus, t5
  la t5, 8f
  csrw sepc, t5
  sret
8:
  nop
  CHECK_STRAP 37, TD_CAUSE, CAUSE_IRQ(1)
  CHECK_STRAP_EPC 38, 8b
  ECALL_TO_M b4
b4:
  li t5, MIP_SSIP
  csrc mip, t5
  csrw mideleg, zero
  RVTEST_PASS
