/* RV64I control transfer and upper immediates: lui, auipc, jal, jalr (incl. bit 0 cleared),
   beq, bne, blt, bge, bltu, bgeu taken and not taken (issue 3: every RV64IMAC instruction). */
#include "test_macros.h"
  .option norvc

/* branch \op on (\a, \b): \taken = 1 if it must be taken */
.macro TEST_BR n, op, a, b, taken
  li gp, \n
  li a1, \a
  li a2, \b
  li a3, 0
  \op a1, a2, 9101f
  li a3, 1
9101:
  li t6, 1 - \taken
  bne a3, t6, fail
.endm

TEST_MAIN
  /* lui: 20-bit immediate << 12, sign-extended to 64 bits */
  li gp, 1
  lui a1, 0x12345
  li t6, 0x12345000
  bne a1, t6, fail
  li gp, 2
  lui a1, 0x80000
  li t6, 0xffffffff80000000
  bne a1, t6, fail
  li gp, 3
  lui a1, 0xfffff
  li t6, -4096
  bne a1, t6, fail
  /* auipc: pc + (imm << 12) */
  li gp, 4
1:
  auipc a1, 0
  la a2, 1b
  bne a1, a2, fail
  li gp, 5
2:
  auipc a1, 0x1
  la a2, 2b
  li t6, 0x1000
  add a2, a2, t6
  bne a1, a2, fail
  li gp, 6
3:
  auipc a1, 0xfffff
  la a2, 3b
  li t6, -0x1000
  add a2, a2, t6
  bne a1, a2, fail
  /* jal: link = pc + 4, forward and backward */
  li gp, 7
  jal a1, 4f
5:
  j fail
4:
  la a2, 5b
  bne a1, a2, fail
  li gp, 8
  j 7f
6:
  j 8f
7:
  jal zero, 6b
8:
  /* jalr: target = (rs1 + imm) & ~1, link = pc + 4, rd == rs1 uses the old rs1 */
  li gp, 9
  la a1, 10f
  addi a1, a1, -3
  jalr a2, 3(a1)
9:
  j fail
10:
  la t6, 9b
  bne a2, t6, fail
  li gp, 10
  la a1, 12f
  addi a1, a1, 1         /* odd: bit 0 is cleared */
  jalr a3, 0(a1)
  j fail
12:
  li gp, 11
  la a1, 14f
  jalr a1, 0(a1)
13:
  j fail
14:
  la t6, 13b
  bne a1, t6, fail
  li gp, 12
  la a1, 15f
  jalr zero, a1
  j fail
15:
  TEST_BR 20, beq, 5, 5, 1
  TEST_BR 21, beq, 5, 6, 0
  TEST_BR 22, beq, -1, -1, 1
  TEST_BR 23, bne, 5, 6, 1
  TEST_BR 24, bne, 5, 5, 0
  TEST_BR 25, blt, -1, 0, 1
  TEST_BR 26, blt, 0, -1, 0
  TEST_BR 27, blt, 3, 3, 0
  TEST_BR 28, blt, 0x8000000000000000, 0x7fffffffffffffff, 1
  TEST_BR 29, bge, 0, -1, 1
  TEST_BR 30, bge, 3, 3, 1
  TEST_BR 31, bge, -1, 0, 0
  TEST_BR 32, bge, 0x7fffffffffffffff, 0x8000000000000000, 1
  TEST_BR 33, bltu, 0, -1, 1
  TEST_BR 34, bltu, -1, 0, 0
  TEST_BR 35, bltu, 3, 3, 0
  TEST_BR 36, bltu, 0x7fffffffffffffff, 0x8000000000000000, 1
  TEST_BR 37, bgeu, -1, 0, 1
  TEST_BR 38, bgeu, 0, -1, 0
  TEST_BR 39, bgeu, 3, 3, 1
  TEST_BR 40, bgeu, 0x8000000000000000, 0x7fffffffffffffff, 1
  /* backward taken branch loop */
  li gp, 41
  li a1, 10
  li a2, 0
16:
  addi a2, a2, 3
  addi a1, a1, -1
  bnez a1, 16b
  li t6, 30
  bne a2, t6, fail
  RVTEST_PASS
