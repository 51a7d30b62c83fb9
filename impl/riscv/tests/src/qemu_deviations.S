/* Spec-only (excluded from QEMU, see the Makefile): exact instret counting.
   riscv.md §3.1: a CSR write to minstret takes effect after the writing instruction has otherwise
   completed, so its own increment is not visible: the next read sees exactly the value written.
   QEMU 7.2 derives instret from host ticks and does not suppress the increment. Also checked: every
   retired instruction counts exactly once; ECALL does not retire (riscv.md §3.1). The same file
   checks the cause of a misaligned AMO, store/AMO address misaligned (6), where QEMU 7.2 reports
   a load misaligned (4), and of an AMO to an address with no device, store/AMO access fault (7),
   where QEMU 7.2 reports a load access fault (5); and mret/sret to a mode below M clearing
   mstatus.MPRV (riscv.md §3.2), which QEMU 7.2 does not do; medeleg[11] read-only 0 (riscv.md
   §3.1), which QEMU 7.2 lets software set; csrrs/csrrc with rs1 != x0 holding 0 on a read-only
   CSR being illegal (riscv.md §3.1), which QEMU 7.2 decides by the value; mstatus.MPP never
   holding 2 (riscv.md §3.1), which QEMU 7.2 stores; pmpcfg R=0/W=1 never reading back (riscv.md
   §3.1), which QEMU 7.2 stores; mepc[0]/sepc[0] reading 0 (riscv.md §3.1), which QEMU 7.2 keeps
   (it only masks the bit on xRET); the interrupt priority MSI > MTI > SEI > SSI > STI
   (riscv.md §3.2), where QEMU 7.2 takes the lowest-numbered pending interrupt; a TOR range
   following later writes of pmpaddr(i-1) (riscv.md §3.4), which QEMU 7.2 does not recompute. */
#include "test_macros.h"
  .option norvc

/* enable the mie bits \bits, take one interrupt, expect \cause */
.macro TAKE n, bits, cause
  CLEAR_TRAP
  li t5, \bits
  csrw mie, t5
  nop
  nop
  CHECK_TRAP \n, TD_CAUSE, \cause
.endm

TEST_MAIN
  li gp, 1
  li a0, 1000
  csrw minstret, a0
  csrr a1, minstret
  bne a1, a0, fail
  li gp, 2
  csrw minstret, zero
  rdinstret a1
  bnez a1, fail
  /* one increment per retired instruction */
  li gp, 3
  csrr a0, minstret
  nop
  nop
  nop
  nop
  nop
  csrr a1, minstret
  sub a1, a1, a0
  li t6, 6
  bne a1, t6, fail
  /* ecall does not retire: count the handler path twice, once via ecall, once via a plain jump
     to a copy that does not trap, and compare */
  li gp, 4
  la tp, 1f
  csrr a0, minstret
  ecall
1:
  csrr a1, minstret
  sub s1, a1, a0            /* = (instructions of m_trap up to mret, incl. mret) + 0 for ecall */
  /* m_trap from entry to mret retires a fixed number of instructions on the skip-free path; the
     difference between two ecalls with the same handler path must be equal and the count must not
     include the ecall: compare with an ebreak, which also does not retire */
  la tp, 2f
  csrr a0, minstret
  ebreak
2:
  csrr a1, minstret
  sub s2, a1, a0
  bne s1, s2, fail
  /* a0 = minstret before the first csrr retires, so a1 - a0 = 1 (csrr a0) + 0 (ecall) + the 38
     instructions of m_trap on the resume-at-label path, mret included (common.S) */
  li gp, 5
  li t6, 39
  bne s1, t6, fail
  /* misaligned AMO: store/AMO address misaligned (riscv.md §3.2 causes) */
  la a7, buf + 1
  TEST_TRAP 6, CAUSE_STORE_MISALIGNED, amoadd.d a4, a3, (a7)
  addi a7, a7, 1
  TEST_TRAP 7, CAUSE_STORE_MISALIGNED, amoswap.w a4, a3, (a7)
  /* AMO to a physical address with no device: store/AMO access fault (riscv.md §3.2 causes) */
  li s0, 0x10
  TEST_TRAP 8, CAUSE_STORE_ACCESS, amoadd.d a0, a0, (s0)
  TEST_TRAP 9, CAUSE_STORE_ACCESS, amoor.w a0, a0, (s0)
  /* mret to S with MPRV = 1 clears MPRV (riscv.md §3.2 xRET: if y != M then MPRV <- 0) */
  li gp, 10
  csrw mie, zero
  li t5, MSTATUS_MPRV
  csrs mstatus, t5
  CALL_PRIV PRV_S, s_code1, back1
s_code1:
  ecall
back1:
  CHECK_CAUSE 11, CAUSE_ECALL_S
  li gp, 12
  la t5, trap_data
  ld a0, TD_STATUS(t5)
  li t6, MSTATUS_MPRV
  and a0, a0, t6
  bnez a0, fail
  /* sret from M (to U) clears MPRV too */
  li gp, 13
  li t5, MSTATUS_MPRV
  csrs mstatus, t5
  li t5, MSTATUS_SPP
  csrc mstatus, t5
  la t5, u_code1
  csrw sepc, t5
  la tp, back2 + 1
  sret
u_code1:
  ecall
back2:
  CHECK_CAUSE 14, CAUSE_ECALL_U
  li gp, 15
  la t5, trap_data
  ld a0, TD_STATUS(t5)
  li t6, MSTATUS_MPRV
  and a0, a0, t6
  bnez a0, fail
  /* medeleg[11] (ecall from M) is read-only 0 (riscv.md §3.1 WARL fields) */
  li gp, 16
  li t5, 1 << 11
  csrs medeleg, t5
  csrr a0, medeleg
  and a0, a0, t5
  bnez a0, fail
  csrw medeleg, zero
  /* CSRRS/CSRRC with rs1 != x0 attempt a write even when the value is 0, so on a read-only CSR
     they are illegal (riscv.md §3.1; Zicsr) */
  li a1, 0
  TEST_TRAP 17, CAUSE_ILLEGAL, csrrs a0, mhartid, a1
  TEST_TRAP 18, CAUSE_ILLEGAL, csrrc a0, marchid, a1
  /* mstatus.MPP cannot hold 2 (riscv.md §3.1 WARL) */
  li gp, 19
  li t5, MSTATUS_MPP
  csrc mstatus, t5
  li t5, 2 << 11
  csrs mstatus, t5
  csrr a0, mstatus
  li t5, MSTATUS_MPP
  and a0, a0, t5
  li t6, 2 << 11
  beq a0, t6, fail
  li gp, 20
  li t5, MSTATUS_MPP
  csrs mstatus, t5
  li t5, 1 << 11
  csrc mstatus, t5                   /* 3 -> 2 by clearing bit 11 */
  csrr a0, mstatus
  li t5, MSTATUS_MPP
  and a0, a0, t5
  li t6, 2 << 11
  beq a0, t6, fail
  /* pmpcfg R = 0, W = 1 is reserved and never reads back (riscv.md §3.1 WARL) */
  li gp, 21
  li a1, PMP_NAPOT | PMP_W
  csrw pmpcfg0, a1
  csrr a0, pmpcfg0
  andi a0, a0, 3
  li t6, PMP_W
  beq a0, t6, fail
  li gp, 22
  li a1, (PMP_NAPOT | PMP_W | PMP_X) << 8
  csrw pmpcfg0, a1
  csrr a0, pmpcfg0
  srli a0, a0, 8
  andi a0, a0, 3
  li t6, PMP_W
  beq a0, t6, fail
  csrw pmpcfg0, zero
  /* mepc[0] / sepc[0] always read 0 (riscv.md §3.1 WARL) */
  li gp, 23
  li a1, 0x80000003
  csrw mepc, a1
  csrr a0, mepc
  li t6, 0x80000002
  bne a0, t6, fail
  li gp, 24
  csrw sepc, a1
  csrr a0, sepc
  bne a0, t6, fail
  li gp, 25
  li a1, -1
  csrw mepc, a1
  csrr a0, mepc
  li t6, -2
  bne a0, t6, fail
  /* interrupt priority MSI > MTI > SEI > SSI > STI (riscv.md §3.2); QEMU 7.2 takes the
     lowest-numbered pending interrupt (SSI first) */
  csrw mie, zero
  csrw mideleg, zero
  csrsi mstatus, MSTATUS_MIE
  SET_MSIP 1
  SET_TIMER 0
  li t5, MIP_SEIP | MIP_SSIP | MIP_STIP
  csrs mip, t5
  DELAY 20
  TAKE 26, MIP_MSIP | MIP_MTIP | MIP_SEIP | MIP_SSIP | MIP_STIP, CAUSE_IRQ(3)
  TAKE 27, MIP_MTIP | MIP_SEIP | MIP_SSIP | MIP_STIP, CAUSE_IRQ(7)
  TAKE 28, MIP_SEIP | MIP_SSIP | MIP_STIP, CAUSE_IRQ(9)
  TAKE 29, MIP_MTIP | MIP_STIP, CAUSE_IRQ(7)
  TAKE 30, MIP_MSIP | MIP_SSIP, CAUSE_IRQ(3)
  TAKE 31, MIP_MTIP | MIP_SSIP, CAUSE_IRQ(7)
  SET_MSIP 0
  CLEAR_TIMER
  li t5, MIP_SEIP | MIP_SSIP | MIP_STIP
  csrc mip, t5
  csrw mie, zero
  /* a TOR entry's range follows writes to pmpaddr(i-1) (riscv.md §3.4 TOR); QEMU 7.2 keeps the
     bottom it computed when entry i was last written */
  la a0, pg_c
  srli a0, a0, 2
  csrw pmpaddr3, a0
  la a0, pg_c + 4096
  srli a0, a0, 2
  csrw pmpaddr4, a0
  SET_PMPCFG 4, PMP_TOR                /* [pg_c, pg_c + 4096): no permission */
  sfence.vma
  la a0, pg_c + 4096
  srli a0, a0, 2
  csrw pmpaddr3, a0                    /* now empty: matches nothing */
  sfence.vma
  CALL_PRIV PRV_S, s_tor, b_tor
s_tor:
  la s0, pg_c + 8
  TEST_NOTRAP 32, ld a0, 0(s0)
  ECALL_TO_M b_tor
b_tor:
  CHECK_CAUSE 33, CAUSE_ECALL_S
  la a0, pg_c + 2048
  srli a0, a0, 2
  csrw pmpaddr3, a0                    /* [pg_c + 2048, pg_c + 4096) */
  sfence.vma
  CALL_PRIV PRV_S, s_tor2, b_tor2
s_tor2:
  la s0, pg_c + 8
  TEST_NOTRAP 34, ld a0, 0(s0)
  la s0, pg_c + 2048
  TEST_TRAP 35, CAUSE_LOAD_ACCESS, ld a0, 0(s0)
  ECALL_TO_M b_tor2
b_tor2:
  csrw pmpcfg0, zero
  sfence.vma
  RVTEST_PASS

  .data
  .align 12
pg_c:
  .fill 512, 8, 0
  .align 4
buf:
  .dword 0, 0
