/* Zicsr instruction semantics: csrrw, csrrs, csrrc, csrrwi, csrrsi, csrrci return the old value and
   write the new one; rd == rs1 aliasing; full 64-bit values (riscv.md §3.1 access rules are in
   csr_access.S). */
#include "test_macros.h"
  .option norvc

TEST_MAIN
  li gp, 1
  li a1, 0x0f
  csrw mscratch, a1
  li a3, 0xf0
  csrrw a2, mscratch, a3
  li t6, 0x0f
  bne a2, t6, fail
  CHECK_CSR 2, mscratch, 0xf0
  li gp, 3
  csrrs a2, mscratch, a1
  li t6, 0xf0
  bne a2, t6, fail
  CHECK_CSR 4, mscratch, 0xff
  li gp, 5
  li a4, 0x33
  csrrc a2, mscratch, a4
  li t6, 0xff
  bne a2, t6, fail
  CHECK_CSR 6, mscratch, 0xcc
  li gp, 7
  csrrwi a2, mscratch, 31
  li t6, 0xcc
  bne a2, t6, fail
  CHECK_CSR 8, mscratch, 31
  li gp, 9
  csrrci a2, mscratch, 5
  li t6, 31
  bne a2, t6, fail
  CHECK_CSR 10, mscratch, 26
  li gp, 11
  csrrsi a2, mscratch, 1
  li t6, 26
  bne a2, t6, fail
  CHECK_CSR 12, mscratch, 27
  /* rd == rs1: the old CSR value lands in rd, the old rd value in the CSR */
  li gp, 13
  li a1, 0x1234
  csrrw a1, mscratch, a1
  li t6, 27
  bne a1, t6, fail
  CHECK_CSR 14, mscratch, 0x1234
  /* 64-bit values */
  li gp, 15
  li a1, 0xfedcba9876543210
  csrw mscratch, a1
  csrr a2, mscratch
  bne a1, a2, fail
  li gp, 16
  li a1, 0x8000000000000000
  csrc mscratch, a1
  csrr a2, mscratch
  li t6, 0x7edcba9876543210
  bne a2, t6, fail
  /* pseudo-instructions: csrs/csrc/csrwi with rd = x0 */
  li gp, 17
  csrwi mscratch, 0
  csrsi mscratch, 6
  csrci mscratch, 2
  CHECK_CSR 18, mscratch, 4
  /* sscratch is an independent S-level scratch register */
  li gp, 19
  li a1, 0x55
  csrw sscratch, a1
  csrr a2, mscratch
  li t6, 4
  bne a2, t6, fail
  CHECK_CSR 20, sscratch, 0x55
  RVTEST_PASS
