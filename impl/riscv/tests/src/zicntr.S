/* Zicntr and the machine counters in M-mode: cycle, time, instret (and mcycle, minstret) advance;
   time follows the CLINT mtime register; mcycle/minstret are writable (riscv.md §3.1 counters,
   §3.7 time). The exact write-then-read value of minstret is in qemu_deviations.S. */
#include "test_macros.h"
  .option norvc

TEST_MAIN
  li gp, 1
  rdcycle a0
  rdinstret a1
  DELAY 100
  rdcycle a2
  rdinstret a3
  bgeu a0, a2, fail
  li gp, 2
  bgeu a1, a3, fail
  /* the machine counter CSRs alias the user ones */
  li gp, 3
  csrr a0, mcycle
  rdcycle a1
  bltu a1, a0, fail
  li gp, 4
  csrr a0, minstret
  rdinstret a1
  bltu a1, a0, fail
  /* time == CLINT mtime (riscv.md §3.7). The time CSR may instead be unimplemented and trapped for
     M-mode to emulate (riscv.md §3.7; QEMU's spike machine does so): accept an illegal-instruction
     trap, otherwise the value must lie between two reads of mtime and advance. */
  li gp, 5
  li s0, CLINT_MTIME
  ld a0, 0(s0)
  li t5, -1
  la tp, 3f
  rdtime a1
  li tp, 0
  ld a2, 0(s0)
  bltu a1, a0, fail
  li gp, 6
  bltu a2, a1, fail
  /* time advances */
  li gp, 7
  li s1, 100000
1:
  rdtime a2
  bne a2, a1, 2f
  addi s1, s1, -1
  bnez s1, 1b
  j fail
3:
  li gp, 13
  li t6, CAUSE_ILLEGAL
  bne t5, t6, fail
2:
  /* mcycle / minstret writes take effect */
  li gp, 8
  li a0, 1 << 40
  csrw mcycle, a0
  csrr a1, mcycle
  bltu a1, a0, fail
  li t6, (1 << 40) + (1 << 24)
  bgeu a1, t6, fail
  li gp, 9
  csrw minstret, a0
  csrr a1, minstret
  bltu a1, a0, fail
  bgeu a1, t6, fail
  li gp, 10
  csrw minstret, zero
  rdinstret a1
  li t6, 1 << 24
  bgeu a1, t6, fail
  /* writing mtime moves mtime (and time, checked above to follow it) */
  li gp, 11
  li a0, 1 << 36
  sd a0, 0(s0)
  ld a1, 0(s0)
  bltu a1, a0, fail
  li t6, (1 << 36) + (1 << 24)
  bgeu a1, t6, fail
  /* 32-bit halves of mtime */
  li gp, 12
  lw a2, 4(s0)
  li t6, 1 << 4
  bne a2, t6, fail
  RVTEST_PASS
