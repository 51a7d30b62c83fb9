/* Misaligned loads and stores succeed (issue 3 "Misaligned loads and stores succeed"), including
   ones that cross an 8-byte boundary and a page boundary. */
#include "test_macros.h"
  .option norvc

.macro TEST_MLD n, op, res, off
  li gp, \n
  la a1, buf
  \op a3, \off(a1)
  li t6, \res
  bne a3, t6, fail
.endm

TEST_MAIN
  TEST_MLD 1, ld, 0x9988776655443322, 1
  TEST_MLD 2, ld, 0x1100ffeeddccbbaa, 9
  TEST_MLD 3, ld, 0xddccbbaa99887766, 5
  TEST_MLD 4, lw, 0x55443322, 1
  TEST_MLD 5, lw, 0xffffffffaa998877, 6
  TEST_MLD 6, lwu, 0xaa998877, 6
  TEST_MLD 7, lh, 0x3322, 1
  TEST_MLD 8, lh, 0xffffffffffff9988, 7
  TEST_MLD 9, lhu, 0x9988, 7
  TEST_MLD 10, lh, 0xffffffffffffaa99, 8
  /* stores */
  li gp, 20
  la a1, wbuf
  li a2, 0x1122334455667788
  sd a2, 3(a1)
  ld a3, 0(a1)
  li t6, 0x4455667788000000
  bne a3, t6, fail
  ld a3, 8(a1)
  li t6, 0x0000000000112233
  bne a3, t6, fail
  li gp, 21
  li a2, 0xdeadbeef
  sw a2, 7(a1)
  lwu a3, 7(a1)
  li t6, 0xdeadbeef
  bne a3, t6, fail
  li gp, 22
  li a2, 0xcafe
  sh a2, 15(a1)
  lhu a3, 15(a1)
  li t6, 0xcafe
  bne a3, t6, fail
  /* across a page boundary */
  li gp, 23
  la a1, pagebuf + 4096 - 3
  li a2, 0x0102030405060708
  sd a2, 0(a1)
  ld a3, 0(a1)
  bne a2, a3, fail
  li gp, 24
  lw a3, 1(a1)
  li t6, 0x04050607
  bne a3, t6, fail
  RVTEST_PASS

  .data
  .align 4
buf:
  .byte 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88
  .byte 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x00, 0x11, 0x22
  .align 4
wbuf:
  .dword 0, 0, 0
  .align 12
pagebuf:
  .fill 2 * 4096, 1, 0
