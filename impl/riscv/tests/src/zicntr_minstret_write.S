/* Spec-only (excluded from QEMU, see the Makefile): exact instret counting.
   riscv.md §3.1: a CSR write to minstret takes effect after the writing instruction has otherwise
   completed, so its own increment is not visible: the next read sees exactly the value written.
   QEMU 7.2 derives instret from host ticks and does not suppress the increment. Also checked: every
   retired instruction counts exactly once; ECALL does not retire (riscv.md §3.1). The same file
   checks the cause of a misaligned AMO, store/AMO address misaligned (6), where QEMU 7.2 reports
   a load misaligned (4). */
#include "test_macros.h"
  .option norvc

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
  /* a0 = minstret before the first csrr retires, so a1 - a0 = 1 (csrr a0) + 0 (ecall) + the 30
     instructions of m_trap on the resume-at-label path, mret included (common.S) */
  li gp, 5
  li t6, 31
  bne s1, t6, fail
  /* misaligned AMO: store/AMO address misaligned (riscv.md §3.2 causes) */
  la a7, buf + 1
  TEST_TRAP 6, CAUSE_STORE_MISALIGNED, amoadd.d a4, a3, (a7)
  addi a7, a7, 1
  TEST_TRAP 7, CAUSE_STORE_MISALIGNED, amoswap.w a4, a3, (a7)
  RVTEST_PASS

  .data
  .align 4
buf:
  .dword 0, 0
