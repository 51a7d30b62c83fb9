/* RV64I register-register and register-immediate arithmetic, including the W forms
   (issue 3: every RV64IMAC instruction). Uncompressed encodings only. */
#include "test_macros.h"
  .option norvc
TEST_MAIN
  /* add */
  TEST_RR 1, add, 0x0, 0x0, 0x0
  TEST_RR 2, add, 0x2, 0x1, 0x1
  TEST_RR 3, add, 0x0, 0xffffffffffffffff, 0x1
  TEST_RR 4, add, 0x8000000000000000, 0x7fffffffffffffff, 0x1
  TEST_RR 5, add, 0x7fffffffffffffff, 0x8000000000000000, 0xffffffffffffffff
  TEST_RR 6, add, 0x1111111111111100, 0x123456789abcdef0, 0xfedcba9876543210
  TEST_RR 7, add, 0xffffffffffffffff, 0xf0f0f0f0f0f0f0f, 0xf0f0f0f0f0f0f0f0
  TEST_RR 8, add, 0xffffffffffffffff, 0xffffffff80000000, 0x7fffffff
  TEST_RR 9, add, 0x8, 0x5, 0x3
  TEST_RR 10, add, 0xfffffffffffffffb, 0xfffffffffffffff9, 0x2
  TEST_RR 11, add, 0x8000000000000000, 0x8000000000000000, 0x0
  /* sub */
  TEST_RR 12, sub, 0x0, 0x0, 0x0
  TEST_RR 13, sub, 0x0, 0x1, 0x1
  TEST_RR 14, sub, 0xfffffffffffffffe, 0xffffffffffffffff, 0x1
  TEST_RR 15, sub, 0x7ffffffffffffffe, 0x7fffffffffffffff, 0x1
  TEST_RR 16, sub, 0x8000000000000001, 0x8000000000000000, 0xffffffffffffffff
  TEST_RR 17, sub, 0x13579be02468ace0, 0x123456789abcdef0, 0xfedcba9876543210
  TEST_RR 18, sub, 0x1e1e1e1e1e1e1e1f, 0xf0f0f0f0f0f0f0f, 0xf0f0f0f0f0f0f0f0
  TEST_RR 19, sub, 0xffffffff00000001, 0xffffffff80000000, 0x7fffffff
  TEST_RR 20, sub, 0x2, 0x5, 0x3
  TEST_RR 21, sub, 0xfffffffffffffff7, 0xfffffffffffffff9, 0x2
  TEST_RR 22, sub, 0x8000000000000000, 0x8000000000000000, 0x0
  /* sll */
  TEST_RR 23, sll, 0x8000000000000001, 0x8000000000000001, 0x0
  TEST_RR 24, sll, 0x2, 0x8000000000000001, 0x1
  TEST_RR 25, sll, 0x80000000, 0x8000000000000001, 0x1f
  TEST_RR 26, sll, 0x100000000, 0x8000000000000001, 0x20
  TEST_RR 27, sll, 0x8000000000000000, 0x8000000000000001, 0x3f
  TEST_RR 28, sll, 0x23456789abcdef00, 0x123456789abcdef0, 0x44
  TEST_RR 29, sll, 0xc000000000000000, 0xffffffff80000000, 0x1f
  TEST_RR 30, sll, 0x4000000000000000, 0x80000000, 0x1f
  TEST_RR 31, sll, 0x7f6e5d4c00, 0xfedcba98, 0x7
  TEST_RR 32, sll, 0xffffffffffffe000, 0xffffffffffffffff, 0xffffffffffffffcd
  /* slt */
  TEST_RR 33, slt, 0x0, 0x0, 0x0
  TEST_RR 34, slt, 0x0, 0x1, 0x1
  TEST_RR 35, slt, 0x1, 0xffffffffffffffff, 0x1
  TEST_RR 36, slt, 0x0, 0x7fffffffffffffff, 0x1
  TEST_RR 37, slt, 0x1, 0x8000000000000000, 0xffffffffffffffff
  TEST_RR 38, slt, 0x0, 0x123456789abcdef0, 0xfedcba9876543210
  TEST_RR 39, slt, 0x0, 0xf0f0f0f0f0f0f0f, 0xf0f0f0f0f0f0f0f0
  TEST_RR 40, slt, 0x1, 0xffffffff80000000, 0x7fffffff
  TEST_RR 41, slt, 0x0, 0x5, 0x3
  TEST_RR 42, slt, 0x1, 0xfffffffffffffff9, 0x2
  TEST_RR 43, slt, 0x1, 0x8000000000000000, 0x0
  /* sltu */
  TEST_RR 44, sltu, 0x0, 0x0, 0x0
  TEST_RR 45, sltu, 0x0, 0x1, 0x1
  TEST_RR 46, sltu, 0x0, 0xffffffffffffffff, 0x1
  TEST_RR 47, sltu, 0x0, 0x7fffffffffffffff, 0x1
  TEST_RR 48, sltu, 0x1, 0x8000000000000000, 0xffffffffffffffff
  TEST_RR 49, sltu, 0x1, 0x123456789abcdef0, 0xfedcba9876543210
  TEST_RR 50, sltu, 0x1, 0xf0f0f0f0f0f0f0f, 0xf0f0f0f0f0f0f0f0
  TEST_RR 51, sltu, 0x0, 0xffffffff80000000, 0x7fffffff
  TEST_RR 52, sltu, 0x0, 0x5, 0x3
  TEST_RR 53, sltu, 0x0, 0xfffffffffffffff9, 0x2
  TEST_RR 54, sltu, 0x0, 0x8000000000000000, 0x0
  /* xor */
  TEST_RR 55, xor, 0x0, 0x0, 0x0
  TEST_RR 56, xor, 0x0, 0x1, 0x1
  TEST_RR 57, xor, 0xfffffffffffffffe, 0xffffffffffffffff, 0x1
  TEST_RR 58, xor, 0x7ffffffffffffffe, 0x7fffffffffffffff, 0x1
  TEST_RR 59, xor, 0x7fffffffffffffff, 0x8000000000000000, 0xffffffffffffffff
  TEST_RR 60, xor, 0xece8ece0ece8ece0, 0x123456789abcdef0, 0xfedcba9876543210
  TEST_RR 61, xor, 0xffffffffffffffff, 0xf0f0f0f0f0f0f0f, 0xf0f0f0f0f0f0f0f0
  TEST_RR 62, xor, 0xffffffffffffffff, 0xffffffff80000000, 0x7fffffff
  TEST_RR 63, xor, 0x6, 0x5, 0x3
  TEST_RR 64, xor, 0xfffffffffffffffb, 0xfffffffffffffff9, 0x2
  TEST_RR 65, xor, 0x8000000000000000, 0x8000000000000000, 0x0
  /* srl */
  TEST_RR 66, srl, 0x8000000000000001, 0x8000000000000001, 0x0
  TEST_RR 67, srl, 0x4000000000000000, 0x8000000000000001, 0x1
  TEST_RR 68, srl, 0x100000000, 0x8000000000000001, 0x1f
  TEST_RR 69, srl, 0x80000000, 0x8000000000000001, 0x20
  TEST_RR 70, srl, 0x1, 0x8000000000000001, 0x3f
  TEST_RR 71, srl, 0x123456789abcdef, 0x123456789abcdef0, 0x44
  TEST_RR 72, srl, 0x1ffffffff, 0xffffffff80000000, 0x1f
  TEST_RR 73, srl, 0x1, 0x80000000, 0x1f
  TEST_RR 74, srl, 0x1fdb975, 0xfedcba98, 0x7
  TEST_RR 75, srl, 0x7ffffffffffff, 0xffffffffffffffff, 0xffffffffffffffcd
  /* sra */
  TEST_RR 76, sra, 0x8000000000000001, 0x8000000000000001, 0x0
  TEST_RR 77, sra, 0xc000000000000000, 0x8000000000000001, 0x1
  TEST_RR 78, sra, 0xffffffff00000000, 0x8000000000000001, 0x1f
  TEST_RR 79, sra, 0xffffffff80000000, 0x8000000000000001, 0x20
  TEST_RR 80, sra, 0xffffffffffffffff, 0x8000000000000001, 0x3f
  TEST_RR 81, sra, 0x123456789abcdef, 0x123456789abcdef0, 0x44
  TEST_RR 82, sra, 0xffffffffffffffff, 0xffffffff80000000, 0x1f
  TEST_RR 83, sra, 0x1, 0x80000000, 0x1f
  TEST_RR 84, sra, 0x1fdb975, 0xfedcba98, 0x7
  TEST_RR 85, sra, 0xffffffffffffffff, 0xffffffffffffffff, 0xffffffffffffffcd
  /* or */
  TEST_RR 86, or, 0x0, 0x0, 0x0
  TEST_RR 87, or, 0x1, 0x1, 0x1
  TEST_RR 88, or, 0xffffffffffffffff, 0xffffffffffffffff, 0x1
  TEST_RR 89, or, 0x7fffffffffffffff, 0x7fffffffffffffff, 0x1
  TEST_RR 90, or, 0xffffffffffffffff, 0x8000000000000000, 0xffffffffffffffff
  TEST_RR 91, or, 0xfefcfef8fefcfef0, 0x123456789abcdef0, 0xfedcba9876543210
  TEST_RR 92, or, 0xffffffffffffffff, 0xf0f0f0f0f0f0f0f, 0xf0f0f0f0f0f0f0f0
  TEST_RR 93, or, 0xffffffffffffffff, 0xffffffff80000000, 0x7fffffff
  TEST_RR 94, or, 0x7, 0x5, 0x3
  TEST_RR 95, or, 0xfffffffffffffffb, 0xfffffffffffffff9, 0x2
  TEST_RR 96, or, 0x8000000000000000, 0x8000000000000000, 0x0
  /* and */
  TEST_RR 97, and, 0x0, 0x0, 0x0
  TEST_RR 98, and, 0x1, 0x1, 0x1
  TEST_RR 99, and, 0x1, 0xffffffffffffffff, 0x1
  TEST_RR 100, and, 0x1, 0x7fffffffffffffff, 0x1
  TEST_RR 101, and, 0x8000000000000000, 0x8000000000000000, 0xffffffffffffffff
  TEST_RR 102, and, 0x1214121812141210, 0x123456789abcdef0, 0xfedcba9876543210
  TEST_RR 103, and, 0x0, 0xf0f0f0f0f0f0f0f, 0xf0f0f0f0f0f0f0f0
  TEST_RR 104, and, 0x0, 0xffffffff80000000, 0x7fffffff
  TEST_RR 105, and, 0x1, 0x5, 0x3
  TEST_RR 106, and, 0x0, 0xfffffffffffffff9, 0x2
  TEST_RR 107, and, 0x0, 0x8000000000000000, 0x0
  /* addw */
  TEST_RR 108, addw, 0x0, 0x0, 0x0
  TEST_RR 109, addw, 0x2, 0x1, 0x1
  TEST_RR 110, addw, 0x0, 0xffffffffffffffff, 0x1
  TEST_RR 111, addw, 0x0, 0x7fffffffffffffff, 0x1
  TEST_RR 112, addw, 0xffffffffffffffff, 0x8000000000000000, 0xffffffffffffffff
  TEST_RR 113, addw, 0x11111100, 0x123456789abcdef0, 0xfedcba9876543210
  TEST_RR 114, addw, 0xffffffffffffffff, 0xf0f0f0f0f0f0f0f, 0xf0f0f0f0f0f0f0f0
  TEST_RR 115, addw, 0xffffffffffffffff, 0xffffffff80000000, 0x7fffffff
  TEST_RR 116, addw, 0x8, 0x5, 0x3
  TEST_RR 117, addw, 0xfffffffffffffffb, 0xfffffffffffffff9, 0x2
  TEST_RR 118, addw, 0x0, 0x8000000000000000, 0x0
  /* subw */
  TEST_RR 119, subw, 0x0, 0x0, 0x0
  TEST_RR 120, subw, 0x0, 0x1, 0x1
  TEST_RR 121, subw, 0xfffffffffffffffe, 0xffffffffffffffff, 0x1
  TEST_RR 122, subw, 0xfffffffffffffffe, 0x7fffffffffffffff, 0x1
  TEST_RR 123, subw, 0x1, 0x8000000000000000, 0xffffffffffffffff
  TEST_RR 124, subw, 0x2468ace0, 0x123456789abcdef0, 0xfedcba9876543210
  TEST_RR 125, subw, 0x1e1e1e1f, 0xf0f0f0f0f0f0f0f, 0xf0f0f0f0f0f0f0f0
  TEST_RR 126, subw, 0x1, 0xffffffff80000000, 0x7fffffff
  TEST_RR 127, subw, 0x2, 0x5, 0x3
  TEST_RR 128, subw, 0xfffffffffffffff7, 0xfffffffffffffff9, 0x2
  TEST_RR 129, subw, 0x0, 0x8000000000000000, 0x0
  /* sllw */
  TEST_RR 130, sllw, 0x1, 0x8000000000000001, 0x0
  TEST_RR 131, sllw, 0x2, 0x8000000000000001, 0x1
  TEST_RR 132, sllw, 0xffffffff80000000, 0x8000000000000001, 0x1f
  TEST_RR 133, sllw, 0x1, 0x8000000000000001, 0x20
  TEST_RR 134, sllw, 0xffffffff80000000, 0x8000000000000001, 0x3f
  TEST_RR 135, sllw, 0xffffffffabcdef00, 0x123456789abcdef0, 0x44
  TEST_RR 136, sllw, 0x0, 0xffffffff80000000, 0x1f
  TEST_RR 137, sllw, 0x0, 0x80000000, 0x1f
  TEST_RR 138, sllw, 0x6e5d4c00, 0xfedcba98, 0x7
  TEST_RR 139, sllw, 0xffffffffffffe000, 0xffffffffffffffff, 0xffffffffffffffcd
  /* srlw */
  TEST_RR 140, srlw, 0x1, 0x8000000000000001, 0x0
  TEST_RR 141, srlw, 0x0, 0x8000000000000001, 0x1
  TEST_RR 142, srlw, 0x0, 0x8000000000000001, 0x1f
  TEST_RR 143, srlw, 0x1, 0x8000000000000001, 0x20
  TEST_RR 144, srlw, 0x0, 0x8000000000000001, 0x3f
  TEST_RR 145, srlw, 0x9abcdef, 0x123456789abcdef0, 0x44
  TEST_RR 146, srlw, 0x1, 0xffffffff80000000, 0x1f
  TEST_RR 147, srlw, 0x1, 0x80000000, 0x1f
  TEST_RR 148, srlw, 0x1fdb975, 0xfedcba98, 0x7
  TEST_RR 149, srlw, 0x7ffff, 0xffffffffffffffff, 0xffffffffffffffcd
  /* sraw */
  TEST_RR 150, sraw, 0x1, 0x8000000000000001, 0x0
  TEST_RR 151, sraw, 0x0, 0x8000000000000001, 0x1
  TEST_RR 152, sraw, 0x0, 0x8000000000000001, 0x1f
  TEST_RR 153, sraw, 0x1, 0x8000000000000001, 0x20
  TEST_RR 154, sraw, 0x0, 0x8000000000000001, 0x3f
  TEST_RR 155, sraw, 0xfffffffff9abcdef, 0x123456789abcdef0, 0x44
  TEST_RR 156, sraw, 0xffffffffffffffff, 0xffffffff80000000, 0x1f
  TEST_RR 157, sraw, 0xffffffffffffffff, 0x80000000, 0x1f
  TEST_RR 158, sraw, 0xfffffffffffdb975, 0xfedcba98, 0x7
  TEST_RR 159, sraw, 0xffffffffffffffff, 0xffffffffffffffff, 0xffffffffffffffcd
  /* addi */
  TEST_RI 160, addi, 0x0, 0x0, 0
  TEST_RI 161, addi, 0x2, 0x1, 1
  TEST_RI 162, addi, 0xfffffffffffffffe, 0xffffffffffffffff, -1
  TEST_RI 163, addi, 0x8000000000000000, 0x7fffffffffffffff, 1
  TEST_RI 164, addi, 0x7ffffffffffff800, 0x8000000000000000, -2048
  TEST_RI 165, addi, 0x123456789abce6ef, 0x123456789abcdef0, 2047
  TEST_RI 166, addi, 0xffffffff7fffffff, 0xffffffff80000000, -1
  TEST_RI 167, addi, 0x80000000, 0x7fffffff, 1
  TEST_RI 168, addi, 0x2, 0x5, -3
  /* slti */
  TEST_RI 169, slti, 0x0, 0x0, 0
  TEST_RI 170, slti, 0x0, 0x1, 1
  TEST_RI 171, slti, 0x0, 0xffffffffffffffff, -1
  TEST_RI 172, slti, 0x0, 0x7fffffffffffffff, 1
  TEST_RI 173, slti, 0x1, 0x8000000000000000, -2048
  TEST_RI 174, slti, 0x0, 0x123456789abcdef0, 2047
  TEST_RI 175, slti, 0x1, 0xffffffff80000000, -1
  TEST_RI 176, slti, 0x0, 0x7fffffff, 1
  TEST_RI 177, slti, 0x0, 0x5, -3
  /* sltiu */
  TEST_RI 178, sltiu, 0x0, 0x0, 0
  TEST_RI 179, sltiu, 0x0, 0x1, 1
  TEST_RI 180, sltiu, 0x0, 0xffffffffffffffff, -1
  TEST_RI 181, sltiu, 0x0, 0x7fffffffffffffff, 1
  TEST_RI 182, sltiu, 0x1, 0x8000000000000000, -2048
  TEST_RI 183, sltiu, 0x0, 0x123456789abcdef0, 2047
  TEST_RI 184, sltiu, 0x1, 0xffffffff80000000, -1
  TEST_RI 185, sltiu, 0x0, 0x7fffffff, 1
  TEST_RI 186, sltiu, 0x1, 0x5, -3
  /* xori */
  TEST_RI 187, xori, 0x0, 0x0, 0
  TEST_RI 188, xori, 0x0, 0x1, 1
  TEST_RI 189, xori, 0x0, 0xffffffffffffffff, -1
  TEST_RI 190, xori, 0x7ffffffffffffffe, 0x7fffffffffffffff, 1
  TEST_RI 191, xori, 0x7ffffffffffff800, 0x8000000000000000, -2048
  TEST_RI 192, xori, 0x123456789abcd90f, 0x123456789abcdef0, 2047
  TEST_RI 193, xori, 0x7fffffff, 0xffffffff80000000, -1
  TEST_RI 194, xori, 0x7ffffffe, 0x7fffffff, 1
  TEST_RI 195, xori, 0xfffffffffffffff8, 0x5, -3
  /* ori */
  TEST_RI 196, ori, 0x0, 0x0, 0
  TEST_RI 197, ori, 0x1, 0x1, 1
  TEST_RI 198, ori, 0xffffffffffffffff, 0xffffffffffffffff, -1
  TEST_RI 199, ori, 0x7fffffffffffffff, 0x7fffffffffffffff, 1
  TEST_RI 200, ori, 0xfffffffffffff800, 0x8000000000000000, -2048
  TEST_RI 201, ori, 0x123456789abcdfff, 0x123456789abcdef0, 2047
  TEST_RI 202, ori, 0xffffffffffffffff, 0xffffffff80000000, -1
  TEST_RI 203, ori, 0x7fffffff, 0x7fffffff, 1
  TEST_RI 204, ori, 0xfffffffffffffffd, 0x5, -3
  /* andi */
  TEST_RI 205, andi, 0x0, 0x0, 0
  TEST_RI 206, andi, 0x1, 0x1, 1
  TEST_RI 207, andi, 0xffffffffffffffff, 0xffffffffffffffff, -1
  TEST_RI 208, andi, 0x1, 0x7fffffffffffffff, 1
  TEST_RI 209, andi, 0x8000000000000000, 0x8000000000000000, -2048
  TEST_RI 210, andi, 0x6f0, 0x123456789abcdef0, 2047
  TEST_RI 211, andi, 0xffffffff80000000, 0xffffffff80000000, -1
  TEST_RI 212, andi, 0x1, 0x7fffffff, 1
  TEST_RI 213, andi, 0x5, 0x5, -3
  /* addiw */
  TEST_RI 214, addiw, 0x0, 0x0, 0
  TEST_RI 215, addiw, 0x2, 0x1, 1
  TEST_RI 216, addiw, 0xfffffffffffffffe, 0xffffffffffffffff, -1
  TEST_RI 217, addiw, 0x0, 0x7fffffffffffffff, 1
  TEST_RI 218, addiw, 0xfffffffffffff800, 0x8000000000000000, -2048
  TEST_RI 219, addiw, 0xffffffff9abce6ef, 0x123456789abcdef0, 2047
  TEST_RI 220, addiw, 0x7fffffff, 0xffffffff80000000, -1
  TEST_RI 221, addiw, 0xffffffff80000000, 0x7fffffff, 1
  TEST_RI 222, addiw, 0x2, 0x5, -3
  /* slli */
  TEST_RI 223, slli, 0x8000000000000001, 0x8000000000000001, 0
  TEST_RI 224, slli, 0x2, 0x8000000000000001, 1
  TEST_RI 225, slli, 0x80000000, 0x8000000000000001, 31
  TEST_RI 226, slli, 0x100000000, 0x8000000000000001, 32
  TEST_RI 227, slli, 0x8000000000000000, 0x8000000000000001, 63
  TEST_RI 228, slli, 0x23456789abcdef00, 0x123456789abcdef0, 4
  TEST_RI 229, slli, 0xc000000000000000, 0xffffffff80000000, 31
  /* srli */
  TEST_RI 230, srli, 0x8000000000000001, 0x8000000000000001, 0
  TEST_RI 231, srli, 0x4000000000000000, 0x8000000000000001, 1
  TEST_RI 232, srli, 0x100000000, 0x8000000000000001, 31
  TEST_RI 233, srli, 0x80000000, 0x8000000000000001, 32
  TEST_RI 234, srli, 0x1, 0x8000000000000001, 63
  TEST_RI 235, srli, 0x123456789abcdef, 0x123456789abcdef0, 4
  TEST_RI 236, srli, 0x1ffffffff, 0xffffffff80000000, 31
  /* srai */
  TEST_RI 237, srai, 0x8000000000000001, 0x8000000000000001, 0
  TEST_RI 238, srai, 0xc000000000000000, 0x8000000000000001, 1
  TEST_RI 239, srai, 0xffffffff00000000, 0x8000000000000001, 31
  TEST_RI 240, srai, 0xffffffff80000000, 0x8000000000000001, 32
  TEST_RI 241, srai, 0xffffffffffffffff, 0x8000000000000001, 63
  TEST_RI 242, srai, 0x123456789abcdef, 0x123456789abcdef0, 4
  TEST_RI 243, srai, 0xffffffffffffffff, 0xffffffff80000000, 31
  /* slliw */
  TEST_RI 244, slliw, 0x1, 0x8000000000000001, 0
  TEST_RI 245, slliw, 0x2, 0x8000000000000001, 1
  TEST_RI 246, slliw, 0xffffffff80000000, 0x8000000000000001, 31
  TEST_RI 247, slliw, 0xffffffffabcdef00, 0x123456789abcdef0, 4
  TEST_RI 248, slliw, 0x0, 0xffffffff80000000, 31
  /* srliw */
  TEST_RI 249, srliw, 0x1, 0x8000000000000001, 0
  TEST_RI 250, srliw, 0x0, 0x8000000000000001, 1
  TEST_RI 251, srliw, 0x0, 0x8000000000000001, 31
  TEST_RI 252, srliw, 0x9abcdef, 0x123456789abcdef0, 4
  TEST_RI 253, srliw, 0x1, 0xffffffff80000000, 31
  /* sraiw */
  TEST_RI 254, sraiw, 0x1, 0x8000000000000001, 0
  TEST_RI 255, sraiw, 0x0, 0x8000000000000001, 1
  TEST_RI 256, sraiw, 0x0, 0x8000000000000001, 31
  TEST_RI 257, sraiw, 0xfffffffff9abcdef, 0x123456789abcdef0, 4
  TEST_RI 258, sraiw, 0xffffffffffffffff, 0xffffffff80000000, 31
  /* rd = x0 is never written; source/destination aliasing */
  li gp, 230
  li a1, 5
  add x0, a1, a1
  bnez x0, fail
  addi x0, x0, 7
  bnez x0, fail
  li gp, 231
  li a1, 21
  add a1, a1, a1
  li t6, 42
  bne a1, t6, fail
  li gp, 232
  li a2, -1
  sub a2, zero, a2
  li t6, 1
  bne a2, t6, fail
  /* nop is addi x0, x0, 0 */
  li gp, 233
  nop
  RVTEST_PASS
