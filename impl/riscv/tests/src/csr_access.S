/* CSR access rules (riscv.md §3.1): non-existent CSRs, privilege (csr[9:8]), read-only CSRs
   (csr[11:10] = 3) where any write attempt is illegal, and the rd = x0 / rs1 = x0 / uimm = 0 rules
   that make a CSR instruction not read or not write; odd pmpcfg illegal on RV64; sstatus/sie/sip
   as restricted views of mstatus/mie/mip; UXL/SXL read 2. */
#include "test_macros.h"
  .option norvc

TEST_MAIN
  csrw mie, zero
  /* --- non-existent CSRs */
  TEST_TRAP 1, CAUSE_ILLEGAL, csrr a0, 0x7c0      /* custom M rw: not implemented */
  TEST_TRAP 2, CAUSE_ILLEGAL, csrr a0, 0x0ff
  TEST_TRAP 3, CAUSE_ILLEGAL, csrr a0, 0x345
  TEST_TRAP 4, CAUSE_ILLEGAL, csrw 0x107, zero
  TEST_TRAP 5, CAUSE_ILLEGAL, csrr a0, 0x600      /* hstatus: no H extension */
  TEST_TRAP 6, CAUSE_ILLEGAL, csrr a0, 0x003      /* fcsr: no F extension */
  TEST_TRAP 7, CAUSE_ILLEGAL, csrr a0, pmpcfg1    /* odd pmpcfg on RV64 */
  TEST_TRAP 8, CAUSE_ILLEGAL, csrw pmpcfg3, zero
  /* RV32-only upper halves do not exist on RV64 */
  TEST_TRAP 60, CAUSE_ILLEGAL, csrr a0, 0xc80     /* cycleh */
  TEST_TRAP 61, CAUSE_ILLEGAL, csrr a0, 0xc82     /* instreth */
  TEST_TRAP 62, CAUSE_ILLEGAL, csrr a0, 0xb80     /* mcycleh */
  TEST_TRAP 63, CAUSE_ILLEGAL, csrr a0, 0x310     /* mstatush */
  /* --- read-only CSRs: reads are fine, any write attempt is illegal */
  TEST_NOTRAP 9, csrr a0, mhartid
  li gp, 10
  bnez a0, fail
  TEST_NOTRAP 11, csrr a0, mvendorid
  TEST_NOTRAP 12, csrr a0, marchid
  TEST_NOTRAP 13, csrr a0, mimpid
  TEST_TRAP 14, CAUSE_ILLEGAL, csrw mhartid, zero
  TEST_TRAP 15, CAUSE_ILLEGAL, csrrw zero, mhartid, zero   /* rd = x0: no read, still a write */
  TEST_TRAP 16, CAUSE_ILLEGAL, csrrwi a0, mvendorid, 0
  /* (csrrs/csrrc with rs1 != x0 holding 0 on a read-only CSR: qemu_deviations.S) */
  TEST_TRAP 19, CAUSE_ILLEGAL, csrrsi a0, mimpid, 1
  TEST_TRAP 20, CAUSE_ILLEGAL, csrrci a0, mhartid, 4
  TEST_NOTRAP 21, csrrs a0, mhartid, zero                 /* rs1 = x0: no write */
  TEST_NOTRAP 22, csrrc a0, mhartid, zero
  TEST_NOTRAP 23, csrrsi a0, mhartid, 0                   /* uimm = 0: no write */
  TEST_NOTRAP 24, csrrci a0, mvendorid, 0
  TEST_NOTRAP 25, csrrs a0, cycle, zero
  TEST_TRAP 26, CAUSE_ILLEGAL, csrw cycle, zero
  TEST_TRAP 27, CAUSE_ILLEGAL, csrrsi a0, instret, 1
  /* csrrs/csrrc with rs1 = x0 on a writable CSR leave it unchanged */
  li gp, 28
  li a1, 0x5a
  csrw mscratch, a1
  csrrs a0, mscratch, zero
  csrrc a0, mscratch, zero
  csrrsi a0, mscratch, 0
  csrrci a0, mscratch, 0
  csrr a0, mscratch
  bne a0, a1, fail
  /* --- UXL and SXL read 2 (riscv.md §3.1 WARL) */
  li gp, 29
  csrr a0, mstatus
  srli a0, a0, 32
  andi a0, a0, 0xf
  li t6, 0xa
  bne a0, t6, fail
  li gp, 30
  csrr a0, sstatus
  srli a0, a0, 32
  andi a0, a0, 0x3
  li t6, 0x2
  bne a0, t6, fail
  /* --- sstatus is a view of mstatus: S fields visible and writable, M fields invisible */
  li gp, 31
  li t5, MSTATUS_MPP | MSTATUS_MIE | MSTATUS_MPIE
  csrs mstatus, t5
  csrr a0, sstatus
  and a0, a0, t5
  bnez a0, fail
  li gp, 32
  csrw sstatus, zero                 /* does not clear the M fields */
  csrr a0, mstatus
  and a0, a0, t5
  bne a0, t5, fail
  li gp, 33
  li t5, MSTATUS_SUM | MSTATUS_MXR | MSTATUS_SPP | MSTATUS_SPIE
  csrs sstatus, t5
  csrr a0, mstatus
  and a0, a0, t5
  bne a0, t5, fail
  csrw mstatus, zero
  /* --- sie/sip show only the bits delegated in mideleg */
  li gp, 34
  csrw mideleg, zero
  li t5, MIP_SSIP | MIP_STIP | MIP_SEIP
  csrw mie, t5
  csrr a0, sie
  bnez a0, fail
  li gp, 35
  li t6, MIP_SSIP | MIP_STIP
  csrw mideleg, t6
  csrr a0, sie
  bne a0, t6, fail
  li gp, 36
  csrw sie, zero                     /* clears only the delegated bits of mie */
  csrr a0, mie
  li t6, MIP_SEIP
  bne a0, t6, fail
  li gp, 37
  csrw mie, zero
  csrsi mip, MIP_SSIP                /* M sets SSIP */
  csrr a0, sip
  andi a0, a0, MIP_SSIP
  beqz a0, fail
  li gp, 38
  csrci sip, MIP_SSIP                /* S clears it through sip (delegated) */
  csrr a0, mip
  andi a0, a0, MIP_SSIP
  bnez a0, fail
  li gp, 39
  csrw mideleg, zero
  csrsi mip, MIP_SSIP
  csrr a0, sip                       /* not delegated: invisible in sip */
  bnez a0, fail
  csrci mip, MIP_SSIP
  /* --- privilege: S cannot touch M CSRs, U cannot touch S or M CSRs */
  li gp, 40
  CALL_PRIV PRV_S, s_code, back1
s_code:
  TEST_TRAP 41, CAUSE_ILLEGAL, csrr a0, mstatus
  TEST_TRAP 42, CAUSE_ILLEGAL, csrr a0, mhartid
  TEST_TRAP 43, CAUSE_ILLEGAL, csrw mscratch, zero
  TEST_TRAP 44, CAUSE_ILLEGAL, csrr a0, medeleg
  TEST_TRAP 45, CAUSE_ILLEGAL, csrr a0, pmpaddr0
  TEST_TRAP 46, CAUSE_ILLEGAL, csrr a0, mcycle
  TEST_NOTRAP 47, csrr a0, sstatus
  TEST_NOTRAP 48, csrw sscratch, a0
  TEST_NOTRAP 49, csrr a0, stvec
  TEST_NOTRAP 50, csrr a0, satp
  ECALL_TO_M back1
back1:
  CHECK_CAUSE 51, CAUSE_ECALL_S
  li gp, 52
  CALL_PRIV PRV_U, u_code, back2
u_code:
  TEST_TRAP 53, CAUSE_ILLEGAL, csrr a0, sstatus
  TEST_TRAP 54, CAUSE_ILLEGAL, csrw sscratch, zero
  TEST_TRAP 55, CAUSE_ILLEGAL, csrr a0, satp
  TEST_TRAP 56, CAUSE_ILLEGAL, csrr a0, mstatus
  TEST_TRAP 57, CAUSE_ILLEGAL, csrr a0, sepc
  TEST_TRAP 58, CAUSE_ILLEGAL, csrr a0, 0x7c0
  ECALL_TO_M back2
back2:
  CHECK_CAUSE 59, CAUSE_ECALL_U
  RVTEST_PASS
