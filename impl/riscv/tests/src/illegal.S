/* Reserved and unimplemented encodings raise illegal instruction (cause 2; riscv.md §3.2), both
   32-bit (reserved funct3/funct7/shift amounts, RV128 and F/D opcodes, unknown AMO funct5) and
   compressed (the reserved cases of c.addi4spn, c.lui, c.addi16sp, c.addiw, c.lwsp, c.ldsp, c.jr,
   the F/D compressed loads/stores); mtval is 0 or the instruction bits. Also a misaligned access
   to a physical address with no device is an access fault. */
#include "test_macros.h"
  .option norvc

.macro ILL32 n, bits
  li gp, \n
  li t5, -1
  la tp, 9201f
9200:
  .word \bits
  j fail
9201:
  li t6, CAUSE_ILLEGAL
  bne t5, t6, fail
  la t5, trap_data
  ld t5, TD_TVAL(t5)
  beqz t5, 9202f
  li t6, \bits
  bne t5, t6, fail
9202:
.endm

.macro ILL16 n, bits
  li gp, \n
  li t5, -1
  la tp, 9211f
  .hword \bits
  .hword 0x0001          /* c.nop: keeps the following code 4-byte aligned */
  j fail
9211:
  li t6, CAUSE_ILLEGAL
  bne t5, t6, fail
  la t5, trap_data                 /* mtval: 0 or the 16 instruction bits */
  ld t5, TD_TVAL(t5)
  beqz t5, 9212f
  li t6, \bits
  bne t5, t6, fail
9212:
.endm

TEST_MAIN
  csrw mie, zero
  ILL32 1, 0x0205159b    /* slliw with shamt[5] = 1 */
  ILL32 2, 0x0205559b    /* srliw with shamt[5] = 1 */
  ILL32 3, 0x4205559b    /* sraiw with shamt[5] = 1 */
  ILL32 4, 0x04c58533    /* add with funct7 = 0x02 */
  ILL32 5, 0x0005f503    /* load funct3 = 7 */
  ILL32 6, 0x00a5c023    /* store funct3 = 4 */
  ILL32 7, 0x00b52063    /* branch funct3 = 2 */
  ILL32 8, 0x00051067    /* jalr funct3 = 1 */
  ILL32 9, 0x28c5a52f    /* AMO funct5 = 00101 */
  ILL32 10, 0x00c5c52f   /* AMO funct3 = 4 */
  ILL32 11, 0x0005b507   /* fld: no D */
  ILL32 12, 0x02c58553   /* fadd.d: no D */
  ILL32 13, 0x40c5953b   /* op-32 funct3 = 1 with funct7 = 0x20 (no such sllw) */
  ILL32 14, 0x0000007b   /* custom-3 opcode */
  ILL32 15, 0x00c5b0bb   /* op-32 funct3 = 3 */
  .option rvc
  ILL16 20, 0x0004       /* c.addi4spn with nzuimm = 0 */
  ILL16 21, 0x6501       /* c.lui a0, 0 */
  ILL16 22, 0x6101       /* c.addi16sp sp, 0 */
  ILL16 23, 0x2001       /* c.addiw x0 */
  ILL16 24, 0x4002       /* c.lwsp x0 */
  ILL16 25, 0x6002       /* c.ldsp x0 */
  ILL16 26, 0x8002       /* c.jr x0 */
  ILL16 27, 0x2000       /* c.fld: no D */
  ILL16 28, 0xa000       /* c.fsd: no D */
  ILL16 29, 0x8000       /* quadrant 0, funct3 = 100: reserved */
  .option norvc
  /* misaligned access to a physical address with no device: access fault, not misaligned */
  li s0, 0x11
  TEST_TRAP 30, CAUSE_LOAD_ACCESS, ld a0, 0(s0)
  TEST_TRAP 31, CAUSE_STORE_ACCESS, sw a0, 0(s0)
  RVTEST_PASS
