/* RV64C: every compressed encoding of RV64IMAC (c.addi4spn, c.lw, c.ld, c.sw, c.sd, c.nop, c.addi,
   c.addiw, c.li, c.addi16sp, c.lui, c.srli, c.srai, c.andi, c.sub, c.xor, c.or, c.and, c.subw,
   c.addw, c.j, c.beqz, c.bnez, c.slli, c.lwsp, c.ldsp, c.jr, c.mv, c.ebreak, c.jalr, c.add,
   c.swsp, c.sdsp), 2-byte aligned 32-bit instructions, and the all-zero halfword being illegal. */
#include "test_macros.h"
  .option rvc

TEST_MAIN
  mv s11, sp                 /* keep the real sp */
  la sp, cbuf
  /* c.addi4spn rd' = sp + nzuimm */
  li gp, 1
  c.addi4spn a0, sp, 16
  la t6, cbuf + 16
  bne a0, t6, fail
  /* c.ld / c.lw (sign-extending) / c.sd / c.sw */
  li gp, 2
  la a1, cdata
  c.ld a2, 8(a1)
  li t6, 0x8000000000000123
  bne a2, t6, fail
  li gp, 3
  c.lw a3, 4(a1)
  li t6, 0xffffffff89abcdef
  bne a3, t6, fail
  li gp, 4
  li a4, 0x1122334455667788
  c.sd a4, 16(a1)
  ld a5, 16(a1)
  bne a4, a5, fail
  li gp, 5
  li a4, 0xaabbccdd
  c.sw a4, 20(a1)
  ld a5, 16(a1)
  li t6, 0xaabbccdd55667788
  bne a5, t6, fail
  /* c.nop, c.addi, c.addiw (sign-extends), c.li */
  li gp, 6
  li a0, 10
  c.nop
  c.addi a0, -11
  li t6, -1
  bne a0, t6, fail
  li gp, 7
  li a0, 0x7fffffff
  c.addiw a0, 1
  li t6, 0xffffffff80000000
  bne a0, t6, fail
  li gp, 8
  c.li a0, -32
  li t6, -32
  bne a0, t6, fail
  c.li a0, 31
  li t6, 31
  bne a0, t6, fail
  /* c.addiw rd, 0 is sext.w */
  li gp, 9
  li a0, 0x00000001ffffffff
  c.addiw a0, 0
  li t6, -1
  bne a0, t6, fail
  /* c.addi16sp, c.lui (sign-extended) */
  li gp, 10
  mv a5, sp
  c.addi16sp sp, -64
  addi a5, a5, -64
  bne sp, a5, fail
  c.addi16sp sp, 496
  addi a5, a5, 496
  bne sp, a5, fail
  la sp, cbuf
  li gp, 11
  c.lui a0, 0xfffe0
  li t6, 0xfffffffffffe0000
  bne a0, t6, fail
  c.lui a0, 1
  li t6, 0x1000
  bne a0, t6, fail
  /* c.srli, c.srai, c.andi, c.slli (64-bit shift amounts) */
  li gp, 12
  li s0, 0x8000000000000010
  c.srli s0, 4
  li t6, 0x0800000000000001
  bne s0, t6, fail
  li gp, 13
  li s0, 0x8000000000000010
  c.srai s0, 36
  li t6, 0xfffffffff8000000
  bne s0, t6, fail
  li gp, 14
  li s0, 0xff
  c.andi s0, -16
  li t6, 0xf0
  bne s0, t6, fail
  li gp, 15
  li s0, 3
  c.slli s0, 62
  li t6, 0xc000000000000000
  bne s0, t6, fail
  /* c.sub, c.xor, c.or, c.and, c.subw, c.addw */
  li gp, 16
  li s0, 5
  li s1, 7
  c.sub s0, s1
  li t6, -2
  bne s0, t6, fail
  li gp, 17
  li s0, 0xff00
  li s1, 0x0ff0
  c.xor s0, s1
  li t6, 0xf0f0
  bne s0, t6, fail
  li gp, 18
  li s0, 0xff00
  c.or s0, s1
  li t6, 0xfff0
  bne s0, t6, fail
  li gp, 19
  li s0, 0xff00
  c.and s0, s1
  li t6, 0x0f00
  bne s0, t6, fail
  li gp, 20
  li s0, 0x100000000
  li s1, 1
  c.subw s0, s1
  li t6, -1
  bne s0, t6, fail
  li gp, 21
  li s0, 0x7fffffff
  c.addw s0, s1
  li t6, 0xffffffff80000000
  bne s0, t6, fail
  /* c.j, c.beqz, c.bnez */
  li gp, 22
  c.j 1f
  j fail
1:
  li gp, 23
  li a0, 0
  c.beqz a0, 2f
  j fail
2:
  li a0, 1
  c.beqz a0, fail_near
  c.bnez a0, 3f
  j fail
3:
  li a0, 0
  c.bnez a0, fail_near
  /* c.lwsp, c.ldsp, c.swsp, c.sdsp */
  li gp, 24
  li a0, 0x0123456789abcdef
  c.sdsp a0, 24(sp)
  c.ldsp a1, 24(sp)
  bne a0, a1, fail
  li gp, 25
  li a0, 0x87654321
  c.swsp a0, 32(sp)
  c.lwsp a1, 32(sp)
  li t6, 0xffffffff87654321
  bne a1, t6, fail
  /* c.mv, c.add */
  li gp, 26
  li a2, 40
  c.mv a3, a2
  c.add a3, a2
  li t6, 80
  bne a3, t6, fail
  /* c.jr, c.jalr (link = pc + 2) */
  li gp, 27
  la a0, 4f
  c.jr a0
  j fail
4:
  li gp, 28
  la a0, 6f
  c.jalr a0
5:
  j fail
6:
  la t6, 5b
  bne ra, t6, fail
  /* a 32-bit instruction at a 2-byte aligned address */
  li gp, 29
  .balign 4
  c.nop
  addi a0, zero, 123
  li t6, 123
  bne a0, t6, fail
  /* c.ebreak: breakpoint, epc = its address */
  li gp, 30
  la tp, 7f
8:
  c.ebreak
  j fail
7:
  li t6, CAUSE_BREAKPOINT
  bne t5, t6, fail
  CHECK_TRAP_EPC 31, 8b
  /* the all-zero halfword is an illegal instruction */
  li gp, 32
  li t5, -1
  la tp, 9f
  .hword 0
  j fail
9:
  li t6, CAUSE_ILLEGAL
  bne t5, t6, fail
  mv sp, s11
  RVTEST_PASS
fail_near:
  j fail

  .data
  .align 4
cdata:
  .dword 0x89abcdef01234567
  .dword 0x8000000000000123
  .dword 0, 0
  .align 6
cbuf:
  .fill 64, 8, 0
