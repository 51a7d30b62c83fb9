/* Vectored mtvec/stvec (riscv.md §3.2): interrupts go to BASE + 4 * cause, synchronous exceptions
   to BASE. Each vector entry marks itself by writing its number to xtval (interrupts have tval 0),
   then jumps to the common handler that records it. */
#include "test_macros.h"
  .option norvc

TEST_MAIN
  csrw mie, zero
  la t5, mvec
  ori t5, t5, 1
  csrw mtvec, t5
  la t5, svec
  ori t5, t5, 1
  csrw stvec, t5
  /* --- MSI through entry 3 */
  CLEAR_TRAP
  li gp, 1
  SET_MSIP 1
  li t5, MIP_MSIP
  csrw mie, t5
  csrsi mstatus, MSTATUS_MIE
  nop
  CHECK_TRAP 2, TD_CAUSE, CAUSE_IRQ(3)
  CHECK_TRAP 3, TD_TVAL, 3
  SET_MSIP 0
  /* --- MTI through entry 7 */
  CLEAR_TRAP
  li gp, 4
  SET_TIMER 0
  li t5, MIP_MTIP
  csrw mie, t5
  WAIT_TRAP 1000000
  CHECK_TRAP 5, TD_CAUSE, CAUSE_IRQ(7)
  CHECK_TRAP 6, TD_TVAL, 7
  CLEAR_TIMER
  /* --- SSI (to M) through entry 1, STI through entry 5 */
  CLEAR_TRAP
  li gp, 7
  li t5, MIP_SSIP
  csrw mie, t5
  csrs mip, t5
  nop
  CHECK_TRAP 8, TD_TVAL, 1
  li t5, MIP_SSIP
  csrc mip, t5
  CLEAR_TRAP
  li gp, 9
  li t5, MIP_STIP
  csrw mie, t5
  csrs mip, t5
  nop
  CHECK_TRAP 10, TD_TVAL, 5
  li t5, MIP_STIP
  csrc mip, t5
  /* --- exceptions go to BASE, not BASE + 4 * cause (entry 11 would fail) */
  TEST_TRAP 11, CAUSE_ECALL_M, ecall
  TEST_TRAP 12, CAUSE_ILLEGAL, .word 0
  /* --- delegated SSI into S through stvec entry 1 */
  CLEAR_STRAP
  li gp, 13
  li t5, MIP_SSIP
  csrw mideleg, t5
  csrw mie, t5
  csrs mip, t5
  csrsi mstatus, MSTATUS_SIE
  CALL_PRIV PRV_S, s1, b1
s1:
  nop
  CHECK_STRAP 14, TD_CAUSE, CAUSE_IRQ(1)
  CHECK_STRAP 15, TD_TVAL, 1
  /* S exceptions delegated: to stvec BASE */
  li t5, 1 << CAUSE_BREAKPOINT
  ECALL_TO_M b1
b1:
  li t5, MIP_SSIP
  csrc mip, t5
  li t5, 1 << CAUSE_BREAKPOINT
  csrw medeleg, t5
  CALL_PRIV PRV_S, s2, b2
s2:
  TEST_TRAP 16, CAUSE_BREAKPOINT, ebreak
  CHECK_STRAP 17, TD_CAUSE, CAUSE_BREAKPOINT
  ECALL_TO_M b2
b2:
  CHECK_CAUSE 18, CAUSE_ECALL_S
  RVTEST_PASS

  .align 8
mvec:
  j m_trap                    /* 0: exceptions */
  j mvec1
  j fail
  j mvec3
  j fail
  j mvec5
  j fail
  j mvec7
  j fail
  j mvec9
  j fail
  j fail
mvec1: csrwi mtval, 1
  j m_trap
mvec3: csrwi mtval, 3
  j m_trap
mvec5: csrwi mtval, 5
  j m_trap
mvec7: csrwi mtval, 7
  j m_trap
mvec9: csrwi mtval, 9
  j m_trap

  .align 8
svec:
  j s_trap
  j svec1
  j fail
  j fail
  j fail
  j svec5
  j fail
  j fail
  j fail
  j svec9
  j fail
  j fail
svec1: csrwi stval, 1
  j s_trap
svec5: csrwi stval, 5
  j s_trap
svec9: csrwi stval, 9
  j s_trap
