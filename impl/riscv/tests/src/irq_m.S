/* Machine interrupts from the CLINT (riscv.md §3.2 interrupts, §3.7): MSI through msip and MTI
   through mtimecmp; taken only when mie bit set and (MIE or priv < M); mepc = next instruction;
   re-evaluated right after writes to mstatus/mie and after mret; MSIP/MTIP read-only in mip; MTIP cleared only by
   writing mtimecmp; 32-bit halves of mtimecmp. */
#include "test_macros.h"
  .option norvc

TEST_MAIN
  csrw mie, zero
  csrci mstatus, MSTATUS_MIE
  /* --- MSI pending but MIE = 0: visible in mip, not taken */
  CLEAR_TRAP
  li gp, 1
  SET_MSIP 1
  li t5, MIP_MSIP
  csrs mie, t5
  DELAY 100
  csrr a0, mip
  andi a0, a0, MIP_MSIP
  beqz a0, fail
  CHECK_TRAP 2, TD_COUNT, 0
  /* --- setting MIE takes it at once: mepc = the instruction after the csrs */
  li gp, 3
  csrsi mstatus, MSTATUS_MIE
1:
  nop
  CHECK_TRAP 4, TD_COUNT, 1
  CHECK_TRAP 5, TD_CAUSE, CAUSE_IRQ(3)
  CHECK_TRAP_EPC 6, 1b
  /* the handler cleared mie; MPIE was 1 so MIE is back on: nothing else happens */
  li gp, 7
  csrr a0, mstatus
  andi a0, a0, MSTATUS_MIE
  beqz a0, fail
  /* --- msip is the only way to clear MSIP: mip writes do nothing */
  li gp, 8
  li t5, MIP_MSIP
  csrc mip, t5
  csrr a0, mip
  andi a0, a0, MIP_MSIP
  beqz a0, fail
  li gp, 9
  SET_MSIP 0
  csrr a0, mip
  andi a0, a0, MIP_MSIP
  bnez a0, fail
  /* --- writing mie re-evaluates: pending MSI taken right after csrs mie */
  CLEAR_TRAP
  li gp, 10
  SET_MSIP 1
  li t5, MIP_MSIP
  csrs mie, t5
2:
  nop
  CHECK_TRAP 11, TD_CAUSE, CAUSE_IRQ(3)
  CHECK_TRAP_EPC 12, 2b
  SET_MSIP 0
  /* --- MTI: mtimecmp in the future, wait for it */
  CLEAR_TRAP
  li gp, 13
  csrci mstatus, MSTATUS_MIE
  SET_TIMER 1000000                   /* 100 ms on QEMU: "not yet" is timing-safe */
  li t5, MIP_MTIP
  csrs mie, t5
  csrr a0, mip
  andi a0, a0, MIP_MTIP
  bnez a0, fail                       /* not yet */
  li s1, 1000                         /* sleep (MIE = 0: no lost wake-up) until MTIP */
5:
  wfi
  csrr a0, mip
  andi a0, a0, MIP_MTIP
  bnez a0, 6f
  addi s1, s1, -1
  bnez s1, 5b
  j fail
6:
  CHECK_TRAP 31, TD_COUNT, 0
  csrsi mstatus, MSTATUS_MIE
  nop
  CHECK_TRAP 14, TD_CAUSE, CAUSE_IRQ(7)
  /* MTIP stays pending until mtimecmp is written; mip writes do not clear it */
  li gp, 15
  li t5, MIP_MTIP
  csrc mip, t5
  csrr a0, mip
  andi a0, a0, MIP_MTIP
  beqz a0, fail
  li gp, 16
  CLEAR_TIMER
  csrr a0, mip
  andi a0, a0, MIP_MTIP
  bnez a0, fail
  /* --- mtimecmp written as 32-bit halves (high word first to avoid a spurious match) */
  li gp, 17
  csrr a0, mhartid
  slli a0, a0, 3
  li t6, CLINT_MTIMECMP
  add a0, a0, t6
  li t5, CLINT_MTIME
  ld a1, 0(t5)
  addi a1, a1, 100
  srli a2, a1, 32
  sw a2, 4(a0)
  sw a1, 0(a0)
  ld a3, 0(a0)
  bne a3, a1, fail
  li gp, 18
  lw a3, 4(a0)
  bne a3, a2, fail
  CLEAR_TRAP
  li t5, MIP_MTIP
  csrs mie, t5
  WAIT_TRAP 10000000
  CHECK_TRAP 19, TD_CAUSE, CAUSE_IRQ(7)
  CLEAR_TIMER
  /* --- interrupts with a clear mie bit are not taken even with MIE = 1 */
  CLEAR_TRAP
  li gp, 20
  csrw mie, zero
  SET_MSIP 1
  DELAY 100
  CHECK_TRAP 21, TD_COUNT, 0
  /* --- from U (and S) M interrupts are taken even with MIE = 0 */
  li gp, 22
  csrci mstatus, MSTATUS_MIE
  li t5, MSTATUS_MPIE
  csrc mstatus, t5
  li t5, MIP_MSIP
  csrs mie, t5
  DELAY 10
  CHECK_TRAP 23, TD_COUNT, 0
  CLEAR_TRAP
  la tp, 4f
  ori tp, tp, 1
  GOTO_PRIV PRV_U, 3f
3:
  ecall                               /* the MSI is taken before it; then it traps back to M */
  j fail
4:
  CHECK_CAUSE 24, CAUSE_ECALL_U
  CHECK_TRAP 25, TD_COUNT, 2
  CHECK_LOG 26, 0, CAUSE_IRQ(3)
  CHECK_LOG 27, 1, CAUSE_ECALL_U
  SET_MSIP 0
  /* --- re-evaluated right after mret: MSI pending with MIE = 0; mret with MPIE = 1 (MPP = M)
     takes it before the first instruction at mepc */
  CLEAR_TRAP
  li gp, 28
  csrci mstatus, MSTATUS_MIE
  li t5, MIP_MSIP
  csrw mie, t5
  SET_MSIP 1
  li t5, MSTATUS_MPP | MSTATUS_MPIE
  csrs mstatus, t5
  la t5, 5f
  csrw mepc, t5
  mret
5:
  nop
  CHECK_TRAP 29, TD_CAUSE, CAUSE_IRQ(3)
  CHECK_TRAP_EPC 30, 5b
  SET_MSIP 0
  RVTEST_PASS
