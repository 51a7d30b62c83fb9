/* Traps taken in M from M (riscv.md §3.2): ecall/ebreak/illegal/access faults set mepc, mcause,
   mtval, MPIE <- MIE, MIE <- 0, MPP <- M; mret restores MIE <- MPIE, MPIE <- 1, MPP <- U. */
#include "test_macros.h"
  .option norvc

TEST_MAIN
  /* ecall from M: cause 11, mepc = the ecall, mtval = 0, MPIE <- MIE(1), MIE <- 0, MPP = M */
  csrw mie, zero
  csrsi mstatus, MSTATUS_MIE
  CLEAR_TRAP
  li gp, 1
  la tp, 2f
1:
  ecall
  j fail
2:
  CHECK_CAUSE 1, CAUSE_ECALL_M
  CHECK_TRAP_EPC 2, 1b
  CHECK_TRAP 3, TD_TVAL, 0
  li gp, 4
  la t5, trap_data
  ld a0, TD_STATUS(t5)
  li t6, MSTATUS_MPP | MSTATUS_MPIE | MSTATUS_MIE
  and a0, a0, t6
  li t6, MSTATUS_MPP | MSTATUS_MPIE       /* MIE was cleared on entry */
  bne a0, t6, fail
  /* after mret: MIE <- MPIE (1), MPIE <- 1, MPP <- U */
  li gp, 5
  csrr a0, mstatus
  li t6, MSTATUS_MPP | MSTATUS_MPIE | MSTATUS_MIE
  and a0, a0, t6
  li t6, MSTATUS_MPIE | MSTATUS_MIE
  bne a0, t6, fail
  CHECK_TRAP 6, TD_COUNT, 1
  /* with MIE = 0 the trap leaves MPIE = 0 */
  csrci mstatus, MSTATUS_MIE
  li gp, 7
  la tp, 3f
  ecall
3:
  la t5, trap_data
  ld a0, TD_STATUS(t5)
  andi a0, a0, MSTATUS_MPIE | MSTATUS_MIE
  bnez a0, fail
  /* ebreak: cause 3, mepc = the ebreak, mtval = 0 or its pc */
  li gp, 8
  la tp, 5f
4:
  ebreak
  j fail
5:
  CHECK_CAUSE 8, CAUSE_BREAKPOINT
  CHECK_TRAP_EPC 9, 4b
  li gp, 10
  la t5, trap_data
  ld a0, TD_TVAL(t5)
  beqz a0, 6f
  la t6, 4b
  bne a0, t6, fail
6:
  /* illegal instructions: all-zero, all-one, an unknown opcode, a reserved funct3 */
  TEST_TRAP 11, CAUSE_ILLEGAL, .word 0x00000000
  TEST_TRAP 12, CAUSE_ILLEGAL, .word 0xffffffff
  TEST_TRAP 13, CAUSE_ILLEGAL, .word 0x0000007f
  TEST_TRAP 14, CAUSE_ILLEGAL, .word 0x0000305b    /* opcode 0x5b (custom-2): not implemented */
  j 7f
7:
  /* mtval for illegal instruction: 0 or the instruction bits (riscv.md §3.2) */
  li gp, 15
  li t5, -1
  la tp, 9f
8:
  .word 0xfff0007f
  j fail
9:
  li t6, CAUSE_ILLEGAL
  bne t5, t6, fail
  li gp, 16
  la t5, trap_data
  ld a0, TD_TVAL(t5)
  beqz a0, 10f
  li t6, 0xfff0007f
  bne a0, t6, fail
10:
  /* load / store access fault on a physical address with no device: mtval = address */
  li s0, 0x10
  TEST_TRAP 17, CAUSE_LOAD_ACCESS, ld a0, 0(s0)
  li gp, 18
  li t5, 0x10
  bne t6, t5, fail
  TEST_TRAP 19, CAUSE_STORE_ACCESS, sd a0, 8(s0)
  li gp, 20
  li t5, 0x18
  bne t6, t5, fail
  TEST_TRAP 22, CAUSE_LOAD_ACCESS, lr.d a0, (s0)
  /* beyond the end of RAM (128 MiB at 0x80000000) */
  li s0, 0x80000000 + (128 << 20)
  TEST_TRAP 23, CAUSE_LOAD_ACCESS, lw a0, 0(s0)
  /* fetch access fault: mepc = mtval = the target */
  li gp, 24
  li s0, 0x10
  li t5, -1
  la tp, 11f
  jr s0
  j fail
11:
  li t6, CAUSE_FETCH_ACCESS
  bne t5, t6, fail
  CHECK_TRAP 25, TD_EPC, 0x10
  CHECK_TRAP 26, TD_TVAL, 0x10
  /* fetch from the CLINT (a device, not memory): fetch access fault */
  li gp, 29
  li s0, CLINT_BASE
  li t5, -1
  la tp, 13f
  jr s0
  j fail
13:
  li t6, CAUSE_FETCH_ACCESS
  bne t5, t6, fail
  /* mret with MPP = M stays in M; mepc is the target */
  li gp, 27
  li t5, MSTATUS_MPP
  csrs mstatus, t5
  la t5, 12f
  csrw mepc, t5
  mret
  j fail
12:
  csrr a0, mstatus            /* still M: M CSRs accessible */
  li t6, MSTATUS_MPP
  and a0, a0, t6
  bnez a0, fail               /* MPP <- U after mret */
  /* mtvec direct mode: synchronous traps go to BASE */
  li gp, 28
  la t5, m_trap
  csrr a0, mtvec
  bne a0, t5, fail
  RVTEST_PASS
