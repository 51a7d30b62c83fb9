/**
 * Physical and virtual layout of a generated differential program (riscv.md §2, §3.3, §3.4).
 *
 * Physical (RAM at 0x8000_0000, the spike machine's and ours):
 *   CODE   0x8000_0000  init, M/S trap handlers, the random blocks, the state dump
 *   HARN   0x8000_6000  tohost, fromhost, trap counter, resume slot, saved registers, trap log
 *   DATA   0x8000_7000  four 4 KiB data pages, the only target of random loads/stores/AMOs and of
 *                      random PMP entries (so no PMP entry, locked or not, can cut M off its code)
 *   ROOT   0x8000_B000  Sv39 root table; T1 at 0x8000_C000 (level 1), T0 at 0x8000_D000 (level 0),
 *   ALT    0x8000_E000  a second root table (satp switching).
 * The page tables lie above the data pages, so a random TOR entry (whose top is in a data page)
 * never covers them; only explicit NAPOT entries over a table page do, and those never grant R
 * without W: QEMU 7.2 updates A/D bits without the PMP write check the spec requires
 * (riscv.md §3.3 "the PTE store must pass PMP"), so R-only page tables would be a known deviation.
 * Sv39 windows (root entries): [0] → T1 (T1[128] → T0: eight 4 KiB leaves at VA 0x1000_0000 — not
 * at VA 0, which in Bare mode is QEMU's boot ROM at 0x1000..0xffff; T1[1]: a 2 MiB leaf),
 * [1] the U alias (1 GiB leaf VA 0x4000_0000 → PA 0x8000_0000, U=1), [2] identity for S (1 GiB leaf,
 * U=0: the S trap handler and S code run there), [3] a 1 GiB leaf with generated flags.
 */

export const CODE = 0x8000_0000n;
export const CODE_SIZE = 0x6000;
export const HARN = 0x8000_6000n;
export const DATA = 0x8000_7000n;
export const DATA_PAGES = 4;
export const ROOT = 0x8000_b000n;
export const T1 = 0x8000_c000n;
export const T0 = 0x8000_d000n;
export const ALT = 0x8000_e000n;
/** The page-table pages in order (PMP entries with `pt` pick one of them). */
export const PT_PAGES = [ROOT, T1, T0, ALT] as const;
export const IMAGE_END = ALT + 0x1000n;

// Harness page offsets (x3 holds HARN; all offsets < 2048 so they are 12-bit immediates).
export const H_TOHOST = 0x0;
export const H_FROMHOST = 0x8;
export const H_COUNT = 0x40;
export const H_RESUME = 0x48;
export const H_SAVE = 0x50;
export const H_MSTATUS = 0x58;
export const H_REGS = 0x100;
export const H_LOG = 0x200;
/** Bytes per trap-log entry: mcause, mepc, mtval, mstatus, scause, sepc, stval, 0. */
export const LOG_ENTRY = 64;
/** Traps after which the M handler gives up and dumps (bounds any trap loop). */
export const TRAP_LIMIT = 24;

/** Virtual base of the U alias window (root entry 1). */
export const VA_UALIAS = 0x4000_0000n;
/** Virtual base of the T0 window (eight 4 KiB pages; T1 entry {@link T1_T0_INDEX}). */
export const VA_T0 = 0x1000_0000n;
/** Index of the T1 entry pointing to T0. */
export const T1_T0_INDEX = 128;
/** Virtual base of the 2 MiB window (T1 entry 1). */
export const VA_MEGA = 0x20_0000n;
/** Virtual base of the generated 1 GiB window (root entry 3). */
export const VA_GIGA = 0xc000_0000n;

/** PTE flag bits (riscv.md §3.3). */
export const PTE = { V: 1n, R: 2n, W: 4n, X: 8n, U: 16n, G: 32n, A: 64n, D: 128n } as const;

/** Sv39 leaf/pointer PTE for a physical address with flags. */
export function pte(pa: bigint, flags: bigint): bigint {
  return ((pa >> 12n) << 10n) | flags;
}

/** satp value for Sv39 with the given root table (ASID 0). */
export function satpSv39(root: bigint): bigint {
  return (8n << 60n) | (root >> 12n);
}

/** CSRs dumped (in this order) after x1..x31, all read in M-mode. mstatus is the value saved at dump entry. */
export const DUMP_CSRS: ReadonlyArray<[string, number]> = [
  ["mstatus", -1], ["misa", 0x301], ["medeleg", 0x302], ["mideleg", 0x303], ["mie", 0x304], ["mtvec", 0x305],
  ["mcounteren", 0x306], ["mscratch", 0x340], ["mepc", 0x341], ["mcause", 0x342], ["mtval", 0x343],
  ["sstatus", 0x100], ["sie", 0x104], ["stvec", 0x105], ["scounteren", 0x106], ["sscratch", 0x140],
  ["sepc", 0x141], ["scause", 0x142], ["stval", 0x143], ["satp", 0x180],
  ["pmpcfg0", 0x3a0], ["pmpcfg2", 0x3a2],
  ...Array.from({ length: 16 }, (_, i) => [`pmpaddr${i}`, 0x3b0 + i] as [string, number]),
  ["mhartid", 0xf14],
];

/** Memory signature regions (address, number of dwords, name). */
export const SIG_REGIONS: ReadonlyArray<{ name: string; addr: bigint; dwords: number }> = [
  ...Array.from({ length: DATA_PAGES }, (_, p) => [
    { name: `data${p}`, addr: DATA + BigInt(p * 4096), dwords: 32 },
    { name: `data${p}end`, addr: DATA + BigInt(p * 4096 + 4096 - 16), dwords: 2 },
  ]).flat(),
  { name: "root", addr: ROOT, dwords: 4 },
  { name: "t1", addr: T1, dwords: 2 },
  { name: "t1t0", addr: T1 + 8n * 128n, dwords: 1 },
  { name: "t0", addr: T0, dwords: 8 },
  { name: "alt", addr: ALT, dwords: 4 },
];
