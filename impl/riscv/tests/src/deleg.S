/* medeleg delegation (riscv.md §3.2): exceptions from U/S with medeleg[cause] = 1 go to S (scause,
   sepc, stval, SPP, SPIE <- SIE, SIE <- 0; the M trap CSRs are untouched); S->S horizontal traps;
   exceptions raised in M are taken in M whatever medeleg says; undelegated causes still go to M;
   sret returns to SPP with SIE <- SPIE, SPIE <- 1, SPP <- U. */
#include "test_macros.h"
  .option norvc

TEST_MAIN
  csrw mie, zero
  /* delegate U ecall (8), S ecall (9), illegal (2), load access (5) */
  li t5, (1 << CAUSE_ECALL_U) | (1 << CAUSE_ECALL_S) | (1 << CAUSE_ILLEGAL) | (1 << CAUSE_LOAD_ACCESS)
  csrw medeleg, t5
  CLEAR_TRAP
  CLEAR_STRAP
  /* --- U ecall -> S handler. Enter U from M with SIE = 1 to see SPIE <- SIE. */
  li gp, 1
  csrsi mstatus, MSTATUS_SIE
  la tp, u_back1 + 1          /* S handler: resume in S at u_back1 */
  GOTO_PRIV PRV_U, u_code1
u_code1:
u_ecall1:
  ecall
  j fail
u_back1:
  /* now in S (via the S handler) */
  li gp, 2
  csrr a0, scause
  li t6, CAUSE_ECALL_U
  bne a0, t6, fail
  CHECK_STRAP_EPC 3, u_ecall1
  CHECK_STRAP 4, TD_COUNT, 1
  li gp, 5
  la t5, strap_data
  ld a0, TD_STATUS(t5)
  li t6, MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE
  and a0, a0, t6
  li t6, MSTATUS_SPIE          /* SPP = U, SPIE = old SIE = 1, SIE = 0 */
  bne a0, t6, fail
  /* M saw nothing */
  CHECK_TRAP 6, TD_COUNT, 0
  /* --- delegated illegal instruction from S -> S (horizontal), stval = 0 or the bits */
  li gp, 7
  li t5, -1
  la tp, s_back2
s_ill:
  .word 0xffffffff
  j fail
s_back2:
  li t6, CAUSE_ILLEGAL
  bne t5, t6, fail
  CHECK_STRAP_EPC 8, s_ill
  li gp, 9
  la t5, strap_data
  ld a0, TD_STATUS(t5)
  andi a0, a0, MSTATUS_SPP
  beqz a0, fail                /* SPP = S */
  /* --- delegated load access fault from S: stval = address */
  li s0, 0x20
  li gp, 10
  li t5, -1
  la tp, 1f
  ld a0, 0(s0)
  j fail
1:
  li t5, CAUSE_LOAD_ACCESS
  csrr a0, scause
  bne a0, t5, fail
  li gp, 11
  csrr a0, stval
  bne a0, s0, fail
  /* --- undelegated cause (store access, 7) from S goes to M */
  li gp, 12
  li t5, -1
  la tp, 2f
  sd a0, 0(s0)
  j fail
2:
  li t6, CAUSE_STORE_ACCESS
  bne t5, t6, fail
  CHECK_TRAP 13, TD_COUNT, 1
  CHECK_STRAP 14, TD_COUNT, 3
  /* --- S ecall with medeleg[9] = 1 stays in S */
  li gp, 15
  li t5, -1
  la tp, 3f
s_ecall:
  ecall
  j fail
3:
  li t6, CAUSE_ECALL_S
  bne t5, t6, fail
  CHECK_STRAP_EPC 16, s_ecall
  /* --- sret to U: SIE <- SPIE, SPIE <- 1, SPP <- U */
  li gp, 17
  li t5, MSTATUS_SPP
  csrc sstatus, t5
  li t5, MSTATUS_SPIE
  csrs sstatus, t5
  csrci sstatus, MSTATUS_SIE
  la t5, u_code2
  csrw sepc, t5
  sret
u_code2:
  /* in U: back to S through a delegated ecall */
  la tp, s_back3 + 1
  ecall
s_back3:
  li gp, 18
  la t5, strap_data
  ld a0, TD_STATUS(t5)
  li t6, MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE
  and a0, a0, t6
  li t6, MSTATUS_SPIE          /* at the trap: SIE was 1 (from SPIE) -> SPIE = 1, SIE = 0 */
  bne a0, t6, fail
  /* --- back to M: ecall from S is delegated, so use an undelegated trap: ebreak */
  li gp, 19
  la tp, m_back + 1
  ebreak
m_back:
  li t6, CAUSE_BREAKPOINT
  bne t5, t6, fail
  /* --- exceptions in M are never delegated (medeleg[2] = 1 here) */
  CLEAR_STRAP
  TEST_TRAP 20, CAUSE_ILLEGAL, .word 0xffffffff
  CHECK_STRAP 21, TD_COUNT, 0
  TEST_TRAP 22, CAUSE_ECALL_M, ecall
  CHECK_STRAP 23, TD_COUNT, 0
  /* (medeleg[11] read-only 0: QEMU 7.2 lets it be set, so that check is in qemu_deviations.S) */
  /* --- delegation does not change what M sees: mepc was not touched by the S traps */
  li gp, 25
  csrw medeleg, zero
  la t5, 4f
  csrw mepc, t5
  CALL_PRIV PRV_U, u_code3, 5f
u_code3:
  li s1, 1
  ecall
4:
  j fail
5:
  CHECK_CAUSE 26, CAUSE_ECALL_U
  RVTEST_PASS
