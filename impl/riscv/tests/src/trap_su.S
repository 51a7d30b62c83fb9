/* Traps from S and U into M, and the xRET rules (riscv.md §3.2): MPP records the trapping mode,
   MPIE <- MIE, mepc/mcause/mtval; mret/sret restore xIE <- xPIE, set xPIE <- 1, xPP <- U; sret in
   M is legal; mret in S/U and sret in U are illegal. (xRET below M clearing MPRV: QEMU 7.2 does not,
   so that check is in qemu_deviations.S.) */
#include "test_macros.h"
  .option norvc

TEST_MAIN
  csrw mie, zero
  /* --- S-mode ecall: cause 9, MPP = S, mepc = the ecall */
  li gp, 1
  li t5, MSTATUS_MPIE
  csrs mstatus, t5                    /* mret will set MIE <- 1 */
  CALL_PRIV PRV_S, s_code1, back1
s_code1:
  /* in S: M CSRs are inaccessible */
  TEST_TRAP 2, CAUSE_ILLEGAL, csrr a0, mstatus
  li gp, 3
  la tp, back1 + 1
s_ecall1:
  ecall
  j fail
back1:
  CHECK_CAUSE 4, CAUSE_ECALL_S
  CHECK_TRAP_EPC 5, s_ecall1
  CHECK_TRAP 6, TD_TVAL, 0
  li gp, 7
  la t5, trap_data
  ld a0, TD_STATUS(t5)
  li t6, MSTATUS_MPP | MSTATUS_MPIE | MSTATUS_MIE
  and a0, a0, t6
  li t6, (PRV_S << 11) | MSTATUS_MPIE  /* MIE was 1 in S, now 0; MPIE = 1 */
  bne a0, t6, fail
  /* --- U-mode ecall: cause 8, MPP = U */
  li gp, 8
  csrci mstatus, MSTATUS_MIE
  li t5, MSTATUS_MPIE
  csrc mstatus, t5
  CALL_PRIV PRV_U, u_code1, back2
u_code1:
  TEST_TRAP 9, CAUSE_ILLEGAL, csrr a0, sstatus
  TEST_TRAP 10, CAUSE_ILLEGAL, csrr a0, mscratch
  li gp, 11
  la tp, back2 + 1
u_ecall1:
  ecall
  j fail
back2:
  CHECK_CAUSE 12, CAUSE_ECALL_U
  CHECK_TRAP_EPC 13, u_ecall1
  li gp, 14
  la t5, trap_data
  ld a0, TD_STATUS(t5)
  li t6, MSTATUS_MPP | MSTATUS_MPIE
  and a0, a0, t6
  bnez a0, fail                       /* MPP = U, MPIE = 0 (MIE was 0) */
  /* --- other exceptions from U go to M with the same stack effects */
  li gp, 15
  CALL_PRIV PRV_U, u_code2, back3
u_code2:
  TEST_TRAP 16, CAUSE_BREAKPOINT, ebreak
  TEST_TRAP 17, CAUSE_ILLEGAL, .word 0
  li s0, 0x10
  TEST_TRAP 18, CAUSE_LOAD_ACCESS, ld a0, 0(s0)
  TEST_TRAP 19, CAUSE_STORE_ACCESS, sd a0, 0(s0)
  /* privileged instructions in U */
  TEST_TRAP 20, CAUSE_ILLEGAL, mret
  TEST_TRAP 21, CAUSE_ILLEGAL, sret
  TEST_TRAP 22, CAUSE_ILLEGAL, sfence.vma
  ECALL_TO_M back3
  j fail
back3:
  CHECK_CAUSE 23, CAUSE_ECALL_U
  /* --- mret in S is illegal; sret in S (TSR = 0) is legal */
  li gp, 24
  CALL_PRIV PRV_S, s_code2, back4
s_code2:
  TEST_TRAP 25, CAUSE_ILLEGAL, mret
  li gp, 26
  li t5, MSTATUS_SPP
  csrs sstatus, t5                    /* SPP = S: sret stays in S */
  csrsi sstatus, MSTATUS_SIE
  la t5, s_after_sret
  csrw sepc, t5
  sret
  j fail
s_after_sret:
  /* sret: SIE <- SPIE(0), SPIE <- 1, SPP <- U */
  li gp, 27
  csrr a0, sstatus
  li t6, MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE
  and a0, a0, t6
  li t6, MSTATUS_SPIE
  bne a0, t6, fail
  li gp, 28
  la tp, back4 + 1
  ecall
back4:
  CHECK_CAUSE 29, CAUSE_ECALL_S
  /* --- mret to M keeps MPRV (clearing it on a return below M: qemu_deviations.S) */
  li gp, 32
  li t5, MSTATUS_MPRV | MSTATUS_MPP   /* MPP = M, MPRV = 1 */
  csrs mstatus, t5
  la t5, 1f
  csrw mepc, t5
  mret
1:
  csrr a0, mstatus
  li t6, MSTATUS_MPRV
  and a1, a0, t6
  beqz a1, fail
  csrc mstatus, t6
  /* --- sret executed in M is legal: to U (SPP = U), SIE <- SPIE, SPIE <- 1 */
  li gp, 33
  li t5, MSTATUS_SPP | MSTATUS_SIE
  csrc mstatus, t5
  li t5, MSTATUS_SPIE
  csrs mstatus, t5
  la t5, u_code3
  csrw sepc, t5
  la tp, back6 + 1
  sret
  j fail
u_code3:
  ecall
  j fail
back6:
  CHECK_CAUSE 34, CAUSE_ECALL_U
  li gp, 35
  la t5, trap_data
  ld a0, TD_STATUS(t5)
  li t6, MSTATUS_SPIE | MSTATUS_SIE | MSTATUS_SPP
  and a0, a0, t6
  li t6, MSTATUS_SPIE | MSTATUS_SIE
  bne a0, t6, fail
  /* --- sret in M to S (SPP = S) */
  li gp, 36
  li t5, MSTATUS_SPP
  csrs mstatus, t5
  la t5, s_code4
  csrw sepc, t5
  la tp, back7 + 1
  sret
s_code4:
  ecall
back7:
  CHECK_CAUSE 37, CAUSE_ECALL_S
  /* --- traps while in S with MIE = 0 do not care about MIE: exceptions are never masked */
  RVTEST_PASS
