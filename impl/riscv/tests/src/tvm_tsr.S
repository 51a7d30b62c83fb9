/* mstatus.TVM and TSR (riscv.md §3.5; TW is in wfi.S): with TVM = 1, S-mode satp accesses (read
   or write) and sfence.vma are illegal, M is unaffected; with TSR = 1, sret in S is illegal and
   sret in M is fine; with both clear S may use them. */
#include "test_macros.h"
  .option norvc

TEST_MAIN
  csrw mie, zero
  /* --- TVM = 0: S reads/writes satp (Bare) and runs sfence.vma */
  li gp, 1
  CALL_PRIV PRV_S, s1, b1
s1:
  TEST_NOTRAP 2, csrr a0, satp
  TEST_NOTRAP 3, csrw satp, zero
  TEST_NOTRAP 4, sfence.vma
  TEST_NOTRAP 5, sfence.vma zero, a0
  ECALL_TO_M b1
b1:
  /* --- TVM = 1 */
  li gp, 6
  li t5, MSTATUS_TVM
  csrs mstatus, t5
  CALL_PRIV PRV_S, s2, b2
s2:
  TEST_TRAP 7, CAUSE_ILLEGAL, csrr a0, satp
  TEST_TRAP 8, CAUSE_ILLEGAL, csrw satp, zero
  TEST_TRAP 9, CAUSE_ILLEGAL, csrrs a0, satp, zero
  TEST_TRAP 10, CAUSE_ILLEGAL, sfence.vma
  la a1, s2
  TEST_TRAP 11, CAUSE_ILLEGAL, sfence.vma a1, zero
  /* other S CSRs are fine */
  TEST_NOTRAP 12, csrr a0, sstatus
  ECALL_TO_M b2
b2:
  /* M is unaffected by TVM */
  TEST_NOTRAP 13, csrr a0, satp
  TEST_NOTRAP 14, csrw satp, zero
  TEST_NOTRAP 15, sfence.vma
  /* TVM does not matter in U: satp is an S CSR, illegal anyway */
  li gp, 16
  CALL_PRIV PRV_U, u1, b3
u1:
  TEST_TRAP 17, CAUSE_ILLEGAL, csrr a0, satp
  ECALL_TO_M b3
b3:
  li t5, MSTATUS_TVM
  csrc mstatus, t5
  /* --- TSR = 1: sret in S is illegal */
  li gp, 18
  li t5, MSTATUS_TSR
  csrs mstatus, t5
  CALL_PRIV PRV_S, s3, b4
s3:
  la t5, fail
  csrw sepc, t5
  TEST_TRAP 19, CAUSE_ILLEGAL, sret
  ECALL_TO_M b4
b4:
  /* sret in M with TSR = 1 is fine (to S here) */
  li gp, 20
  li t5, MSTATUS_SPP
  csrs mstatus, t5
  la t5, s4
  csrw sepc, t5
  la tp, b5 + 1
  sret
  j fail
s4:
  ecall
b5:
  CHECK_CAUSE 21, CAUSE_ECALL_S
  /* --- TSR = 0: sret in S works */
  li gp, 22
  li t5, MSTATUS_TSR
  csrc mstatus, t5
  CALL_PRIV PRV_S, s5, b6
s5:
  li t5, MSTATUS_SPP
  csrs sstatus, t5
  la t5, s6
  csrw sepc, t5
  sret
  j fail
s6:
  ECALL_TO_M b6
b6:
  CHECK_CAUSE 23, CAUSE_ECALL_S
  /* TVM, TW, TSR are writable (WARL with S-mode present) */
  li gp, 24
  li t5, MSTATUS_TVM | MSTATUS_TW | MSTATUS_TSR
  csrs mstatus, t5
  csrr a0, mstatus
  and a0, a0, t5
  bne a0, t5, fail
  csrc mstatus, t5
  RVTEST_PASS
