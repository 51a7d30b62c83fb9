/* CLINT registers (riscv.md §2, §3.7; SiFive-compatible as QEMU's spike machine): msip holds bit 0
   only and drives mip.MSIP; mtimecmp reads back as 64 bits and as 32-bit halves; mtime is writable
   and keeps counting; byte and halfword accesses to the registers are access faults. */
#include "test_macros.h"
  .option norvc

TEST_MAIN
  csrw mie, zero
  /* msip: only bit 0 */
  li gp, 1
  li s0, CLINT_MSIP
  li a0, -1
  sw a0, 0(s0)
  lw a1, 0(s0)
  li t6, 1
  bne a1, t6, fail
  li gp, 2
  csrr a1, mip
  andi a1, a1, MIP_MSIP
  beqz a1, fail
  li gp, 3
  sw zero, 0(s0)
  lw a1, 0(s0)
  bnez a1, fail
  csrr a1, mip
  andi a1, a1, MIP_MSIP
  bnez a1, fail
  /* mtimecmp: 64-bit and 32-bit views */
  li gp, 4
  li s1, CLINT_MTIMECMP
  li a0, 0x123456789abcdef0
  sd a0, 0(s1)
  ld a1, 0(s1)
  bne a0, a1, fail
  li gp, 5
  lwu a1, 0(s1)
  li t6, 0x9abcdef0
  bne a1, t6, fail
  lwu a1, 4(s1)
  li t6, 0x12345678
  bne a1, t6, fail
  li gp, 6
  li a0, 0x0badcafe
  sw a0, 4(s1)
  ld a1, 0(s1)
  li t6, 0x0badcafe9abcdef0
  bne a1, t6, fail
  li a0, -1
  sd a0, 0(s1)
  /* mtime: written value, then it keeps counting */
  li gp, 7
  li s2, CLINT_MTIME
  li a0, 0x100000000
  sd a0, 0(s2)
  ld a1, 0(s2)
  bltu a1, a0, fail
  li gp, 8
  li s3, 100000
1:
  ld a2, 0(s2)
  bne a2, a1, 2f
  addi s3, s3, -1
  bnez s3, 1b
  j fail
2:
  bltu a2, a1, fail
  /* sub-word accesses are access faults */
  TEST_TRAP 9, CAUSE_LOAD_ACCESS, lb a0, 0(s2)
  TEST_TRAP 10, CAUSE_LOAD_ACCESS, lh a0, 0(s2)
  TEST_TRAP 11, CAUSE_STORE_ACCESS, sb a0, 0(s0)
  TEST_TRAP 12, CAUSE_STORE_ACCESS, sh a0, 0(s1)
  RVTEST_PASS
