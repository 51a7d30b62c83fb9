/*
 * Shared header for the directed bare-metal tests (impl/riscv/tests/src/*.S).
 *
 * Protocol (riscv.md §1): a program writes 1 to `tohost` on pass, (n << 1) | 1 on failure of check n.
 *
 * Register conventions:
 *   gp (x3)        number of the check being run (reported on failure)
 *   tp (x4)        resume spec for the next synchronous trap (one-shot, cleared by the handler):
 *                    0          unexpected trap -> fail with the current gp
 *                    SKIP (2)   resume after the faulting instruction (mepc += its length; only where
 *                               the faulting pc is readable at the same physical address)
 *                    label      resume at label in the mode the trap came from
 *                    label | 1  resume at label in M-mode (M handler) / S-mode (S handler)
 *   t5, t6         scratch for the macros and the trap handlers; after a handled synchronous trap
 *                  t5 = xcause and t6 = xtval. Interrupts preserve every register.
 *
 * The M handler (m_trap) records cause/epc/tval/status, a counter and a log of the last 8 mcause
 * values (CHECK_LOG) in trap_data; interrupts additionally clear mie (so a level-triggered source
 * cannot loop) and return to mepc. The S handler (s_trap) does the same with the S CSRs into
 * strap_data (no log) and clears sie on interrupts.
 */
#ifndef TEST_MACROS_H
#define TEST_MACROS_H

#define PRV_U 0
#define PRV_S 1
#define PRV_M 3

#define MSTATUS_SIE   (1 << 1)
#define MSTATUS_MIE   (1 << 3)
#define MSTATUS_SPIE  (1 << 5)
#define MSTATUS_MPIE  (1 << 7)
#define MSTATUS_SPP   (1 << 8)
#define MSTATUS_MPP   (3 << 11)
#define MSTATUS_MPRV  (1 << 17)
#define MSTATUS_SUM   (1 << 18)
#define MSTATUS_MXR   (1 << 19)
#define MSTATUS_TVM   (1 << 20)
#define MSTATUS_TW    (1 << 21)
#define MSTATUS_TSR   (1 << 22)

#define MIP_SSIP (1 << 1)
#define MIP_MSIP (1 << 3)
#define MIP_STIP (1 << 5)
#define MIP_MTIP (1 << 7)
#define MIP_SEIP (1 << 9)
#define MIP_MEIP (1 << 11)

#define IRQ_BIT   (1 << 63)
#define CAUSE_IRQ(n) (0x8000000000000000 | (n))

#define CAUSE_FETCH_MISALIGNED 0
#define CAUSE_FETCH_ACCESS     1
#define CAUSE_ILLEGAL          2
#define CAUSE_BREAKPOINT       3
#define CAUSE_LOAD_MISALIGNED  4
#define CAUSE_LOAD_ACCESS      5
#define CAUSE_STORE_MISALIGNED 6
#define CAUSE_STORE_ACCESS     7
#define CAUSE_ECALL_U          8
#define CAUSE_ECALL_S          9
#define CAUSE_ECALL_M          11
#define CAUSE_FETCH_PAGE       12
#define CAUSE_LOAD_PAGE        13
#define CAUSE_STORE_PAGE       15

#define CLINT_BASE     0x02000000
#define CLINT_MSIP     0x02000000
#define CLINT_MTIMECMP 0x02004000
#define CLINT_MTIME    0x0200BFF8

/* Sv39 PTE bits (riscv.md §3.3) */
#define PTE_V (1 << 0)
#define PTE_R (1 << 1)
#define PTE_W (1 << 2)
#define PTE_X (1 << 3)
#define PTE_U (1 << 4)
#define PTE_G (1 << 5)
#define PTE_A (1 << 6)
#define PTE_D (1 << 7)
#define SATP_SV39 (8 << 60)

/* PMP cfg bits (riscv.md §3.4) */
#define PMP_R 0x01
#define PMP_W 0x02
#define PMP_X 0x04
#define PMP_OFF 0x00
#define PMP_TOR 0x08
#define PMP_NA4 0x10
#define PMP_NAPOT 0x18
#define PMP_L 0x80

#define SKIP 2

/* trap_data / strap_data layout */
#define TD_CAUSE  0
#define TD_EPC    8
#define TD_TVAL   16
#define TD_STATUS 24
#define TD_COUNT  32
#define TD_SAVE5  40
#define TD_SAVE6  48
#define TD_LOG    64   /* m_trap only: mcause of trap k (k = 0, 1, ... since CLEAR_TRAP) at TD_LOG + 8 * (k % 8) */

/* ---------------------------------------------------------------- program frame
 * Every program is linked with common.S, which provides _start, the trap handlers, pass/fail,
 * tohost/fromhost and trap_data. A program defines `test_main` (hart 0, after common_init, in M-mode)
 * and, for multi-hart programs, `hart_other` (every other hart, a0 = mhartid, mtvec = m_trap, sp set).
 * The program ends with RVTEST_PASS (from M-mode) or by failing a check.
 */
#define TEST_MAIN .text; .globl test_main; test_main:

#ifdef __ASSEMBLER__

/* End the program with success (must run in M-mode, or where tohost is writable). */
.macro RVTEST_PASS
  j pass
.endm

/* Check that register \reg equals \val (check number \n). */
.macro CHECK n, reg, val
  li gp, \n
  li t6, \val
  bne \reg, t6, fail
.endm

/* Check that register \reg is not equal to \val. */
.macro CHECK_NE n, reg, val
  li gp, \n
  li t6, \val
  beq \reg, t6, fail
.endm

/* Check the CSR value (read into t5). */
.macro CHECK_CSR n, csr, val
  li gp, \n
  csrr t5, \csr
  li t6, \val
  bne t5, t6, fail
.endm

/* Check the 64-bit memory word at symbol \sym. */
.macro CHECK_MEM n, sym, val
  li gp, \n
  la t5, \sym
  ld t5, 0(t5)
  li t6, \val
  bne t5, t6, fail
.endm

/* Register-register op: a3 = \a op \b must equal \res. */
.macro TEST_RR n, op, res, a, b
  li gp, \n
  li a1, \a
  li a2, \b
  \op a3, a1, a2
  li t6, \res
  bne a3, t6, fail
.endm

/* Register-immediate op: a3 = \a op \imm must equal \res. */
.macro TEST_RI n, op, res, a, imm
  li gp, \n
  li a1, \a
  \op a3, a1, \imm
  li t6, \res
  bne a3, t6, fail
.endm

/* Reset the M handler's record (cause := -1) and count. */
.macro CLEAR_TRAP
  la t5, trap_data
  li t6, -1
  sd t6, TD_CAUSE(t5)
  sd zero, TD_COUNT(t5)
  sd zero, TD_TVAL(t5)
  sd zero, TD_EPC(t5)
.endm

.macro CLEAR_STRAP
  la t5, strap_data
  li t6, -1
  sd t6, TD_CAUSE(t5)
  sd zero, TD_COUNT(t5)
  sd zero, TD_TVAL(t5)
  sd zero, TD_EPC(t5)
.endm

/* Check a field of the record of the last trap taken by m_trap (\off = TD_CAUSE, ...). */
.macro CHECK_TRAP n, off, val
  li gp, \n
  la t5, trap_data
  ld t5, \off(t5)
  li t6, \val
  bne t5, t6, fail
.endm

.macro CHECK_STRAP n, off, val
  li gp, \n
  la t5, strap_data
  ld t5, \off(t5)
  li t6, \val
  bne t5, t6, fail
.endm

/* Check the mcause of the \k-th trap (0-based) since CLEAR_TRAP. */
.macro CHECK_LOG n, k, val
  li gp, \n
  la t5, trap_data
  ld t5, (TD_LOG + 8 * \k)(t5)
  li t6, \val
  bne t5, t6, fail
.endm

/* Check that the recorded trap epc equals the constant \val. */
.macro CHECK_TRAP_EPC_VAL n, val
  li gp, \n
  la t5, trap_data
  ld t5, TD_EPC(t5)
  li t6, \val
  bne t5, t6, fail
.endm

/* Check that the recorded trap epc equals the address of \label. */
.macro CHECK_TRAP_EPC n, label
  li gp, \n
  la t5, trap_data
  ld t5, TD_EPC(t5)
  la t6, \label
  bne t5, t6, fail
.endm

.macro CHECK_STRAP_EPC n, label
  li gp, \n
  la t5, strap_data
  ld t5, TD_EPC(t5)
  la t6, \label
  bne t5, t6, fail
.endm

/* Check t5/t6 as left by a handled synchronous trap: cause and (optionally) tval. */
.macro CHECK_CAUSE n, cause
  li gp, \n
  addi t5, t5, -(\cause)
  bnez t5, fail
.endm

/* Expect the next synchronous trap: resume after the faulting instruction. */
.macro EXPECT_SKIP
  li tp, SKIP
.endm

/* Run \insn (one instruction, may be given with arguments), expecting a synchronous trap with
   cause \cause taken by m_trap; resumes after it. */
.macro TEST_TRAP n, cause, insn:vararg
  li gp, \n
  li t5, -1
  la tp, 9001f
  \insn
  j fail
9001:
  addi t5, t5, -(\cause)
  bnez t5, fail
.endm

/* Run \insn expecting no trap at all. */
.macro TEST_NOTRAP n, insn:vararg
  li gp, \n
  li tp, 0
  \insn
.endm

/* Enter privilege \priv at \label via mret (from M). MPIE is left as it is. */
.macro GOTO_PRIV priv, label
  li t5, MSTATUS_MPP
  csrc mstatus, t5
  li t5, (\priv << 11)
  csrs mstatus, t5
  la t5, \label
  csrw mepc, t5
  mret
.endm

/* Enter privilege \priv at \label with tp set so that the first synchronous trap (e.g. ecall)
   returns to \back in M-mode. */
.macro CALL_PRIV priv, label, back
  la tp, \back
  ori tp, tp, 1
  GOTO_PRIV \priv, \label
.endm

/* From S or U: ecall back to M at \back (tp protocol). */
.macro ECALL_TO_M back
  la tp, \back
  ori tp, tp, 1
  ecall
.endm

/* Spin until trap_data.count != 0 (an interrupt was taken), at most \n iterations, else fail.
   Clobbers t5/t6 only between interrupts (the handler restores them). */
.macro WAIT_TRAP n
  li a7, \n
9003:
  la t5, trap_data
  ld t5, TD_COUNT(t5)
  bnez t5, 9004f
  addi a7, a7, -1
  bnez a7, 9003b
  j fail
9004:
.endm

.macro WAIT_STRAP n
  li a7, \n
9005:
  la t5, strap_data
  ld t5, TD_COUNT(t5)
  bnez t5, 9006f
  addi a7, a7, -1
  bnez a7, 9005b
  j fail
9006:
.endm

/* Set this hart's CLINT msip to \v (0/1); clobbers t5, t6. */
.macro SET_MSIP v
  csrr t5, mhartid
  slli t5, t5, 2
  li t6, CLINT_MSIP
  add t5, t5, t6
  li t6, \v
  sw t6, 0(t5)
.endm

/* mtimecmp[this hart] = mtime + \delta; clobbers t5, t6, a6. */
.macro SET_TIMER delta
  li t5, CLINT_MTIME
  ld t6, 0(t5)
  li a6, \delta
  add a6, a6, t6
  csrr t5, mhartid
  slli t5, t5, 3
  li t6, CLINT_MTIMECMP
  add t5, t5, t6
  sd a6, 0(t5)
.endm

/* mtimecmp[this hart] = max: MTIP clear; clobbers t5, t6. */
.macro CLEAR_TIMER
  csrr t5, mhartid
  slli t5, t5, 3
  li t6, CLINT_MTIMECMP
  add t5, t5, t6
  li t6, -1
  sd t6, 0(t5)
.endm

/* ---------------------------------------------------------------- Sv39 helpers (riscv.md §3.3)
 * VM_TABLES declares pt_root, pt_l1 and pt_l0 (zeroed pages). VM_SETUP builds:
 *   root[2] = 1 GiB leaf VA 0x80000000 -> PA 0x80000000, RWX A D, U = 0 (the program itself, so S
 *             can keep running and the handlers' data stays reachable);
 *   root[1] -> pt_l1 ; pt_l1[0] -> pt_l0 : 4 KiB pages at VA 0x40000000 + 4096 * i (MAP4K);
 * and sets satp = Sv39 | pt_root (ASID 0), then sfence.vma. Clobbers a0-a2.
 */
#define VA_BASE 0x40000000
#define VA4K(i) (VA_BASE + 4096 * (i))

/* \dst = PTE pointing at the physical address in register \pa, with flags \flags (< 2048) */
.macro MAKE_PTE dst, pa, flags
  srli \dst, \pa, 12
  slli \dst, \dst, 10
  ori \dst, \dst, \flags
.endm

.macro VM_SETUP
  la a0, pt_root
  li a1, 0x80000000
  MAKE_PTE a2, a1, PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D
  sd a2, 16(a0)
  la a1, pt_l1
  MAKE_PTE a2, a1, PTE_V
  sd a2, 8(a0)
  la a0, pt_l1
  la a1, pt_l0
  MAKE_PTE a2, a1, PTE_V
  sd a2, 0(a0)
  la a0, pt_root
  srli a0, a0, 12
  li a1, SATP_SV39
  or a0, a0, a1
  csrw satp, a0
  sfence.vma zero, zero
.endm

/* pt_l0[\i] = PTE(\sym, \flags): VA4K(\i) -> \sym (page aligned). Clobbers a0, a1, a2. */
.macro MAP4K i, sym, flags
  la a0, pt_l0
  la a1, \sym
  MAKE_PTE a2, a1, \flags
  sd a2, (8 * \i)(a0)
.endm

/* \dst = pt_l0[\i] (the PTE as memory holds it) */
.macro LOAD_PTE dst, i
  la \dst, pt_l0
  ld \dst, (8 * \i)(\dst)
.endm

.macro VM_TABLES
  .bss
  .align 12
pt_root: .skip 4096
pt_l1:   .skip 4096
pt_l0:   .skip 4096
  .text
.endm

/* ---------------------------------------------------------------- PMP helpers (riscv.md §3.4) */
/* pmpcfg byte of entry \i (0..7, in pmpcfg0) := \val. Clobbers t5. */
.macro SET_PMPCFG i, val
  li t5, 0xff << (8 * \i)
  csrc pmpcfg0, t5
  li t5, (\val) << (8 * \i)
  csrs pmpcfg0, t5
.endm

/* \dst = NAPOT pmpaddr for the naturally aligned \size-byte region at symbol \sym (size 8..16K) */
.macro NAPOT_ADDR dst, sym, size
  la \dst, \sym
  srli \dst, \dst, 2
  ori \dst, \dst, ((\size) >> 3) - 1
.endm

/* Write an instruction count delay loop of about \n iterations (clobbers t5). */
.macro DELAY n
  li t5, \n
9002:
  addi t5, t5, -1
  bnez t5, 9002b
.endm

#endif /* __ASSEMBLER__ */

#endif /* TEST_MACROS_H */
