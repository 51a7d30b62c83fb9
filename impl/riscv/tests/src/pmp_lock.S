/* PMP locking (riscv.md §3.4): L = 1 makes pmpNcfg and pmpaddrN ignore writes until reset (also with
   A = OFF); a locked TOR entry also locks pmpaddr(N-1); locked entries bind M-mode too (loads,
   stores, fetches), and S as usual. Locks cannot be undone, so this program ends with them set. */
#include "test_macros.h"
  .option norvc

TEST_MAIN
  csrw mie, zero
  /* entry 0: NAPOT pg_a, R, locked */
  NAPOT_ADDR a0, pg_a, 4096
  csrw pmpaddr0, a0
  SET_PMPCFG 0, PMP_NAPOT | PMP_R | PMP_L
  /* entries 1/2: TOR [pg_b, pg_b + 4096), R, locked */
  la a0, pg_b
  srli a0, a0, 2
  csrw pmpaddr1, a0
  la a0, pg_b + 4096
  srli a0, a0, 2
  csrw pmpaddr2, a0
  SET_PMPCFG 2, PMP_TOR | PMP_R | PMP_L
  /* entry 3: OFF but locked */
  li a0, 0x1234
  csrw pmpaddr3, a0
  SET_PMPCFG 3, PMP_L
  /* entry 4: NAPOT pg_code, R only, locked: M cannot execute there */
  NAPOT_ADDR a0, pg_code, 4096
  csrw pmpaddr4, a0
  SET_PMPCFG 4, PMP_NAPOT | PMP_R | PMP_L
  sfence.vma
  /* --- locked entries bind M */
  li gp, 1
  la s0, pg_a
  ld a0, 0(s0)
  TEST_TRAP 2, CAUSE_STORE_ACCESS, sd a0, 0(s0)
  li gp, 3
  bne t6, s0, fail
  TEST_TRAP 4, CAUSE_STORE_ACCESS, amoadd.d a0, a0, (s0)
  la s0, pg_b + 16
  TEST_TRAP 5, CAUSE_STORE_ACCESS, sw a0, 0(s0)
  TEST_NOTRAP 6, lw a0, 0(s0)
  la s0, pg_code
  TEST_TRAP 7, CAUSE_FETCH_ACCESS, jalr s0
  li gp, 8
  bne t6, s0, fail
  /* --- writes to locked cfg bytes are ignored; other bytes of the same CSR are written */
  li gp, 9
  csrr s1, pmpcfg0
  li a0, (PMP_NAPOT | PMP_R | PMP_W | PMP_X) * 0x0101010101
  li t5, (PMP_NAPOT | PMP_R) << 40     /* byte 5 (entry 5) is unlocked */
  or a0, a0, t5
  csrw pmpcfg0, a0
  csrr a1, pmpcfg0
  li t5, 0x000000ffffff00ff
  and a2, a1, t5
  and a3, s1, t5
  bne a2, a3, fail                     /* locked entries 0, 2, 3, 4 unchanged (1 is unlocked) */
  li gp, 10
  srli a2, a1, 40
  andi a2, a2, 0xff
  li t6, PMP_NAPOT | PMP_R
  bne a2, t6, fail
  /* --- locked pmpaddr0, pmpaddr2 (TOR top), pmpaddr1 (bottom of a locked TOR), pmpaddr3 (L, OFF) */
  .irp r, 0, 1, 2, 3
  li gp, 11 + \r
  csrr a0, pmpaddr\r
  li a1, 0x3fff0
  csrw pmpaddr\r, a1
  csrr a2, pmpaddr\r
  bne a0, a2, fail
  .endr
  /* --- cfg of the OFF-but-locked entry 3 stays */
  li gp, 15
  li t5, 0xff << 24
  csrc pmpcfg0, t5
  csrr a0, pmpcfg0
  srli a0, a0, 24
  andi a0, a0, 0xff
  li t6, PMP_L
  bne a0, t6, fail
  /* --- entry 1 itself (unlocked cfg) can still be changed; its pmpaddr cannot */
  li gp, 16
  li t5, 0xff << 8
  csrc pmpcfg0, t5
  li t5, (PMP_NA4 | PMP_R) << 8
  csrs pmpcfg0, t5
  csrr a0, pmpcfg0
  srli a0, a0, 8
  andi a0, a0, 0xff
  li t6, PMP_NA4 | PMP_R
  bne a0, t6, fail
  li t5, 0xff << 8
  csrc pmpcfg0, t5
  sfence.vma
  /* --- S is bound as well */
  CALL_PRIV PRV_S, s1, b1
s1:
  la s0, pg_a + 8
  TEST_TRAP 17, CAUSE_STORE_ACCESS, sd a0, 0(s0)
  TEST_NOTRAP 18, ld a0, 0(s0)
  ECALL_TO_M b1
b1:
  CHECK_CAUSE 19, CAUSE_ECALL_S
  /* --- M code outside the locked regions keeps running */
  RVTEST_PASS

  .align 12
pg_code:
  ret
  .align 12

  .data
  .align 12
pg_a: .fill 512, 8, 0
pg_b: .fill 512, 8, 0
