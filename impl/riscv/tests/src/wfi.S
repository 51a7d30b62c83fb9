/* WFI (riscv.md §3.2 "Wait for Interrupt", §3.5 TW): resumes when a locally enabled interrupt
   (mip & mie) is pending whatever MIE/SIE/mideleg say; if the interrupt is taken, xEPC = pc + 4;
   in U it is illegal (S-mode present); in S it is illegal when TW = 1 and allowed when TW = 0;
   M is unaffected by TW. */
#include "test_macros.h"
  .option norvc

TEST_MAIN
  csrw mie, zero
  csrw mideleg, zero
  /* --- MIE = 0, MSI pending and enabled in mie: wfi returns, no trap */
  CLEAR_TRAP
  li gp, 1
  csrci mstatus, MSTATUS_MIE
  li t5, MIP_MSIP
  csrw mie, t5
  SET_MSIP 1
  wfi
  CHECK_TRAP 2, TD_COUNT, 0
  SET_MSIP 0
  /* --- MIE = 0: a timer firing later wakes the hart up */
  li gp, 3
  li t5, MIP_MTIP
  csrw mie, t5
  SET_TIMER 500
1:
  wfi
  csrr a0, mip
  andi a0, a0, MIP_MTIP
  beqz a0, 1b                      /* wfi may return early (it may be a NOP): wait again */
  CHECK_TRAP 4, TD_COUNT, 0
  CLEAR_TIMER
  /* --- MIE = 1: the interrupt is taken with mepc = wfi + 4 */
  CLEAR_TRAP
  li gp, 5
  SET_TIMER 1000000                 /* 100 ms on QEMU: the tick arrives while the hart is in wfi */
  csrsi mstatus, MSTATUS_MIE
  li s1, 1000000
2:
  wfi
3:
  la t5, trap_data
  ld t5, TD_COUNT(t5)
  bnez t5, 4f
  addi s1, s1, -1
  bnez s1, 2b
  j fail
4:
  CHECK_TRAP 6, TD_CAUSE, CAUSE_IRQ(7)
  CHECK_TRAP_EPC 7, 3b
  CLEAR_TIMER
  /* --- delegated SSI pending and enabled in sie, SIE = 0, in S: wfi returns */
  CLEAR_STRAP
  li gp, 8
  li t5, MIP_SSIP
  csrw mideleg, t5
  csrw mie, t5
  csrs mip, t5
  csrci mstatus, MSTATUS_SIE
  li t5, MSTATUS_TW
  csrc mstatus, t5
  CALL_PRIV PRV_S, s1, b1
s1:
  wfi
  CHECK_STRAP 9, TD_COUNT, 0
  ECALL_TO_M b1
b1:
  CHECK_CAUSE 10, CAUSE_ECALL_S
  li t5, MIP_SSIP
  csrc mip, t5
  csrw mie, zero
  /* --- TW = 1: wfi in S is illegal; in M still fine */
  li gp, 11
  li t5, MSTATUS_TW
  csrs mstatus, t5
  csrci mstatus, MSTATUS_MIE
  SET_MSIP 1
  li t5, MIP_MSIP
  csrw mie, t5
  TEST_NOTRAP 12, wfi
  SET_MSIP 0
  csrw mie, zero
  CALL_PRIV PRV_S, s2, b2
s2:
  TEST_TRAP 13, CAUSE_ILLEGAL, wfi
  ECALL_TO_M b2
b2:
  /* --- wfi in U is illegal whatever TW says */
  li gp, 14
  li t5, MSTATUS_TW
  csrc mstatus, t5
  CALL_PRIV PRV_U, u1, b3
u1:
  TEST_TRAP 15, CAUSE_ILLEGAL, wfi
  ECALL_TO_M b3
b3:
  CHECK_CAUSE 16, CAUSE_ECALL_U
  RVTEST_PASS
