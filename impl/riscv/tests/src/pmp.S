/* PMP matching and permissions (riscv.md §3.4): NAPOT, NA4, TOR (entry 0 bottom 0, empty when
   bottom >= top), OFF; R/W/X for S and U (fetch/load/store access faults 1/5/7 with tval = the
   address); lowest-numbered matching entry decides; a partial match fails; with entries
   implemented, an S/U access matching none fails while M succeeds; unlocked entries do not bind M;
   MPRV makes M loads/stores checked as MPP. Entry 15 (common_init) allows everything to S/U. */
#include "test_macros.h"
  .option norvc

.macro AFAULT n, cause, addr_sym, off, insn:vararg
  la s0, \addr_sym + \off
  TEST_TRAP \n, \cause, \insn
  li gp, \n + 100
  bne t6, s0, fail
.endm

.macro OK n, addr_sym, off, insn:vararg
  la s0, \addr_sym + \off
  TEST_NOTRAP \n, \insn
.endm

TEST_MAIN
  csrw mie, zero
  /* entry 0: NAPOT pg_a, R */
  NAPOT_ADDR a0, pg_a, 4096
  csrw pmpaddr0, a0
  SET_PMPCFG 0, PMP_NAPOT | PMP_R
  /* entry 1: NAPOT pg_code, R (no X) */
  NAPOT_ADDR a0, pg_code, 4096
  csrw pmpaddr1, a0
  SET_PMPCFG 1, PMP_NAPOT | PMP_R
  /* entry 2: NA4 at pg_b + 8, no permission */
  la a0, pg_b + 8
  srli a0, a0, 2
  csrw pmpaddr2, a0
  SET_PMPCFG 2, PMP_NA4
  /* entries 3/4: TOR [pg_c, pg_c + 4096), RW */
  la a0, pg_c
  srli a0, a0, 2
  csrw pmpaddr3, a0
  la a0, pg_c + 4096
  srli a0, a0, 2
  csrw pmpaddr4, a0
  SET_PMPCFG 4, PMP_TOR | PMP_R | PMP_W
  /* entries 5/6: both NAPOT pg_d; 5 has no permission, 6 has RW */
  NAPOT_ADDR a0, pg_d, 4096
  csrw pmpaddr5, a0
  csrw pmpaddr6, a0
  SET_PMPCFG 5, PMP_NAPOT
  SET_PMPCFG 6, PMP_NAPOT | PMP_R | PMP_W
  sfence.vma
  /* pmpaddr reads back (grain 4 bytes) */
  li gp, 1
  csrr a1, pmpaddr2
  la a0, pg_b + 8
  srli a0, a0, 2
  bne a0, a1, fail
  CALL_PRIV PRV_S, s1, b1
s1:
  /* NAPOT R: load ok, store/AMO fault */
  OK 2, pg_a, 0, ld a0, 0(s0)
  AFAULT 3, CAUSE_STORE_ACCESS, pg_a, 16, sd a0, 0(s0)
  AFAULT 4, CAUSE_STORE_ACCESS, pg_a, 8, amoadd.d a0, a0, (s0)
  OK 5, pg_a, 4088, lw a0, 4(s0)
  /* no X: fetch access fault */
  AFAULT 6, CAUSE_FETCH_ACCESS, pg_code, 0, jalr s0
  /* NA4, no permission: exactly 4 bytes */
  AFAULT 7, CAUSE_LOAD_ACCESS, pg_b, 8, lw a0, 0(s0)
  AFAULT 8, CAUSE_STORE_ACCESS, pg_b, 10, sh a0, 0(s0)
  OK 9, pg_b, 12, lw a0, 0(s0)
  OK 10, pg_b, 4, lw a0, 0(s0)
  /* partial match of the lowest matching entry fails, even though entry 15 covers it all */
  AFAULT 11, CAUSE_LOAD_ACCESS, pg_b, 4, ld a0, 0(s0)
  AFAULT 12, CAUSE_LOAD_ACCESS, pg_b, 8, ld a0, 0(s0)
  /* a misaligned store half inside the NA4 entry faults and writes nothing (precise) */
  li a0, -1
  AFAULT 42, CAUSE_STORE_ACCESS, pg_b, 4, sd a0, 0(s0)
  li gp, 43
  lw a0, 0(s0)
  bnez a0, fail
  li a0, -1
  AFAULT 44, CAUSE_STORE_ACCESS, pg_b, 6, sw a0, 0(s0)
  li gp, 45
  lh a0, 0(s0)
  bnez a0, fail
  /* TOR: inside RW, bottom inclusive, top exclusive */
  OK 13, pg_c, 0, sd a0, 0(s0)
  OK 14, pg_c, 4088, ld a0, 0(s0)
  AFAULT 15, CAUSE_FETCH_ACCESS, pg_c, 0, jalr s0
  /* lowest-numbered match decides: entry 5 (no permission) beats entry 6 (RW) */
  AFAULT 16, CAUSE_LOAD_ACCESS, pg_d, 0, ld a0, 0(s0)
  ECALL_TO_M b1
b1:
  CHECK_CAUSE 17, CAUSE_ECALL_S
  /* M is not bound by unlocked entries */
  li gp, 18
  la s0, pg_a
  sd zero, 16(s0)
  la s0, pg_b + 8
  sw zero, 0(s0)
  la s0, pg_d
  ld a0, 0(s0)
  /* X on entry 1: S can now run code in pg_code; swap 5/6: now RW wins */
  SET_PMPCFG 1, PMP_NAPOT | PMP_R | PMP_X
  SET_PMPCFG 5, PMP_NAPOT | PMP_R | PMP_W
  SET_PMPCFG 6, PMP_NAPOT
  /* TOR entry 4 without permission; then an empty TOR (bottom >= top) */
  SET_PMPCFG 4, PMP_TOR
  sfence.vma
  CALL_PRIV PRV_S, s2, b2
s2:
  li gp, 19
  la s0, pg_code
  li a0, 0
  jalr s0
  li t6, 55
  bne a0, t6, fail
  OK 20, pg_d, 0, sd a0, 0(s0)
  AFAULT 21, CAUSE_LOAD_ACCESS, pg_c, 8, ld a0, 0(s0)
  OK 22, pg_c, -8, ld a0, 0(s0)
  OK 23, pg_c, 4096, lb a0, 0(s0)      /* first byte above the top */
  ECALL_TO_M b2
b2:
  la a0, pg_c + 4096
  srli a0, a0, 2
  csrw pmpaddr3, a0                    /* bottom = top: empty */
  /* rewrite entry 4's cfg: QEMU 7.2 does not recompute a TOR range when only pmpaddr(i-1)
     changes (that case is checked in qemu_deviations.S) */
  SET_PMPCFG 4, PMP_TOR
  sfence.vma
  CALL_PRIV PRV_S, s3, b3
s3:
  OK 24, pg_c, 8, ld a0, 0(s0)
  ECALL_TO_M b3
b3:
  /* MPRV: M loads/stores checked as MPP */
  li t5, MSTATUS_MPP
  csrc mstatus, t5
  li t5, (PRV_S << 11) | MSTATUS_MPRV
  csrs mstatus, t5
  AFAULT 25, CAUSE_LOAD_ACCESS, pg_b, 8, lw a0, 0(s0)
  li t5, MSTATUS_MPRV
  csrc mstatus, t5
  li t5, MSTATUS_MPP
  csrc mstatus, t5                     /* MPP = U */
  li t5, MSTATUS_MPRV
  csrs mstatus, t5
  AFAULT 26, CAUSE_STORE_ACCESS, pg_a, 0, sd a0, 0(s0)
  li t5, MSTATUS_MPRV
  csrc mstatus, t5
  /* --- no matching entry: S/U fail, M succeeds. Entry 7 = RAM (128 MiB NAPOT) RWX, entry 15 off */
  li a0, (0x80000000 >> 2) | ((128 << 20) >> 3) - 1
  csrw pmpaddr7, a0
  SET_PMPCFG 7, PMP_NAPOT | PMP_R | PMP_W | PMP_X
  csrw pmpcfg2, zero
  sfence.vma
  li gp, 27
  li s0, CLINT_MTIME
  ld a0, 0(s0)                          /* M: allowed */
  CALL_PRIV PRV_S, s4, b4
s4:
  li s0, CLINT_MTIME
  TEST_TRAP 28, CAUSE_LOAD_ACCESS, ld a0, 0(s0)
  ECALL_TO_M b4
b4:
  CALL_PRIV PRV_U, u1, b5
u1:
  li s0, CLINT_MTIME
  TEST_TRAP 29, CAUSE_LOAD_ACCESS, ld a0, 0(s0)
  OK 30, pg_d, 0, ld a0, 0(s0)
  ECALL_TO_M b5
b5:
  /* --- TOR in entry 0 starts at address 0: [0, CLINT + 0x10000) readable */
  li a0, (CLINT_BASE + 0x10000) >> 2
  csrw pmpaddr0, a0
  SET_PMPCFG 0, PMP_TOR | PMP_R
  sfence.vma
  CALL_PRIV PRV_S, s5, b6
s5:
  li s0, CLINT_MTIME
  TEST_NOTRAP 31, ld a0, 0(s0)
  li s0, CLINT_MTIME
  TEST_TRAP 32, CAUSE_STORE_ACCESS, sd a0, 0(s0)
  ECALL_TO_M b6
b6:
  /* --- NAPOT sizes: pmpaddr ...0 = 8 bytes, ...01 = 16 bytes (riscv.md §3.4) */
  la a0, pg_d + 64
  srli a0, a0, 2                       /* ...00: 8 bytes at pg_d + 64 */
  csrw pmpaddr0, a0
  la a0, pg_d + 128
  srli a0, a0, 2
  ori a0, a0, 1                        /* ...01: 16 bytes at pg_d + 128 */
  csrw pmpaddr1, a0
  SET_PMPCFG 0, PMP_NAPOT
  SET_PMPCFG 1, PMP_NAPOT
  SET_PMPCFG 5, PMP_OFF
  SET_PMPCFG 6, PMP_OFF
  csrw pmpcfg2, zero
  li t0, (PMP_NAPOT | PMP_R | PMP_W | PMP_X) << 56
  csrw pmpcfg2, t0
  sfence.vma
  CALL_PRIV PRV_S, s6, b7
s6:
  AFAULT 33, CAUSE_LOAD_ACCESS, pg_d, 64, ld a0, 0(s0)
  AFAULT 34, CAUSE_LOAD_ACCESS, pg_d, 68, lw a0, 0(s0)
  OK 35, pg_d, 72, ld a0, 0(s0)
  OK 36, pg_d, 56, ld a0, 0(s0)
  AFAULT 37, CAUSE_LOAD_ACCESS, pg_d, 128, ld a0, 0(s0)
  AFAULT 38, CAUSE_STORE_ACCESS, pg_d, 143, sb a0, 0(s0)
  OK 39, pg_d, 144, sb a0, 0(s0)
  OK 40, pg_d, 120, ld a0, 0(s0)
  /* SUM and MXR do not matter to PMP */
  li t5, MSTATUS_SUM | MSTATUS_MXR
  csrs sstatus, t5
  AFAULT 41, CAUSE_LOAD_ACCESS, pg_d, 64, ld a0, 0(s0)
  ECALL_TO_M b7
b7:
  li t5, MSTATUS_SUM | MSTATUS_MXR
  csrc mstatus, t5
  /* --- a 32-bit instruction whose second half lies in a region without X: fetch access fault,
     mepc = the instruction, mtval = the first byte of the faulting portion (riscv.md §3.2) */
  NAPOT_ADDR a0, pg_nox, 4096
  csrw pmpaddr0, a0
  SET_PMPCFG 0, PMP_NAPOT | PMP_R
  sfence.vma
  CLEAR_TRAP
  li gp, 46
  la tp, b8
  ori tp, tp, 1
  li t5, MSTATUS_MPP
  csrc mstatus, t5
  li t5, PRV_S << 11
  csrs mstatus, t5
  la t5, pg_nox - 2
  csrw mepc, t5
  mret
b8:
  li t6, CAUSE_FETCH_ACCESS
  bne t5, t6, fail
  li gp, 47
  la t5, trap_data
  ld a0, TD_EPC(t5)
  la t6, pg_nox - 2
  bne a0, t6, fail
  li gp, 48
  ld a0, TD_TVAL(t5)
  la t6, pg_nox
  bne a0, t6, fail
  /* restore the common set-up */
  csrw pmpcfg0, zero
  li t0, (PMP_NAPOT | PMP_R | PMP_W | PMP_X) << 56
  csrw pmpcfg2, t0
  sfence.vma
  RVTEST_PASS

  .align 12
pg_code:
  li a0, 55
  ret
  .align 12
pg_span:
  .fill 4094, 1, 0
  .hword 0x0513                      /* low half of addi a0, zero, 7 */
pg_nox:
  .hword 0x0070
  ret
  .align 12

  .data
  .align 12
pg_a: .fill 512, 8, 0
pg_b: .fill 512, 8, 0
pg_c: .fill 512, 8, 0
pg_d: .fill 512, 8, 0
