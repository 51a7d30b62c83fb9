/**
 * The host kernel's machine code: tiny S-mode routines through which the TypeScript host kernel
 * does everything that touches the machine — loads, stores, SBI calls, satp writes — so that each
 * access is a real instruction, translated by the host page table and checked by PMP (issue 5:
 * "every host memory access and every SBI call goes through an S-mode hart").
 *
 * Every routine ends by storing to its hart's doorbell (`t6`) and parking in WFI; the S-mode trap
 * vector stores to doorbell + 8 instead, so the kernel learns that the routine faulted.
 */
import * as E from "../riscv/asm/encode.ts";

const A0 = 10,
  A1 = 11,
  A2 = 12,
  A3 = 13,
  T0 = 5,
  T6 = 31,
  S2 = 18;
const CSR_SATP = 0x180;

/**
 * Registers a bulk transfer moves: every one but zero, a0 (the address) and t6 (the doorbell) — 29
 * doublewords = 232 bytes. A routine's registers are all the host kernel's to set (the S trap vector
 * only rings the doorbell).
 */
export const BULK_REGS: readonly number[] = [1, 2, 3, 4, 5, 6, 7, 8, 9, ...Array.from({ length: 20 }, (_, i) => 11 + i)];
export const BULK_BYTES = BULK_REGS.length * 8;

/** Park: ring the doorbell, then wait in WFI forever. */
const done = (): number[] => [E.sd(0, T6, 0), E.wfi(), E.jal(0, -4)];

/** Routine name → its instructions (before the common epilogue). */
const ROUTINES = {
  /** ecall with the registers as given (SBI call). */
  ecall: [E.ecall()],
  /** a0 ← mem64[a0] */
  ld: [E.ld(A0, A0, 0)],
  /** a0 ← mem32[a0] (zero-extended) */
  lwu: [E.lwu(A0, A0, 0)],
  /** a0 ← mem8[a0] */
  lbu: [E.lbu(A0, A0, 0)],
  /** mem64[a0] ← a1 */
  sd: [E.sd(A1, A0, 0)],
  /** mem32[a0] ← a1 */
  sw: [E.sw(A1, A0, 0)],
  /** mem8[a0] ← a1 */
  sb: [E.sb(A1, A0, 0)],
  /** mem64[a0 + 8i] ← BULK_REGS[i], i < 29 (entered at instruction k: only i ≥ k, a shorter transfer) */
  bulkStore: BULK_REGS.map((r, i) => E.sd(r, A0, 8 * i)),
  /** BULK_REGS[i] ← mem64[a0 + 8i], i < 29 */
  bulkLoad: BULK_REGS.map((r, i) => E.ld(r, A0, 8 * i)),
  /** for i < a2: mem64[a0 + 8i] ← a1 + i·a3 (fills page-table entries before the GPT is on) */
  fill: [E.sd(A1, A0, 0), E.addi(A0, A0, 8), E.add(A1, A1, A3), E.addi(A2, A2, -1), E.bne(A2, 0, -16)],
  /** `fill` for a2 a multiple of 8: eight stores a round (page tables and pages at boot) */
  fill8: [
    ...Array.from({ length: 8 }, (_, i) => [E.sd(A1, A0, 8 * i), E.add(A1, A1, A3)]).flat(),
    E.addi(A0, A0, 64),
    E.addi(A2, A2, -8),
    E.bne(A2, 0, -72),
  ],
  /**
   * for i < a2 (a multiple of 64): mem64[a0 + 8i] ← 0 — whole regions, eight 64-byte cbo.zero blocks a
   * round (Zicboz, as Linux's clear_page; the monitor enables it in menvcfg)
   */
  zero: [...Array.from({ length: 8 }, () => [E.cboZero(A0), E.addi(A0, A0, 64)]).flat(), E.addi(A2, A2, -64), E.bne(A2, 0, -68)],
  /** csrw satp, a0 (emulated by the monitor once TVM is on) */
  writeSatp: [E.csrrw(0, CSR_SATP, A0)],
  /** a0 ← satp */
  readSatp: [E.csrrs(A0, CSR_SATP, 0)],
  /** sfence.vma */
  sfence: [E.sfenceVma(0, 0)],
  /** a0 ← time (rdtime; mcounteren.TM lets S read it) */
  readTime: [E.csrrs(A0, 0xc01, 0)],
} as const;

export type Routine = keyof typeof ROUTINES;

/** Bytes reserved per routine (all fit: the longest is 15 + 3 instructions). */
const SLOT = 128;

/** Offset of each routine inside the stub page, and of the trap vector. */
export const ROUTINE_OFFSET: Record<Routine, number> = Object.fromEntries(
  (Object.keys(ROUTINES) as Routine[]).map((k, i) => [k, i * SLOT]),
) as Record<Routine, number>;
export const TRAP_VECTOR_OFFSET = Object.keys(ROUTINES).length * SLOT;
/** Where idle harts wait (WFI loop, no doorbell): the harts' entry point at boot. */
export const PARK_OFFSET = TRAP_VECTOR_OFFSET + SLOT;

/** The whole stub page (4 KiB): every routine and the S trap vector. */
export function stubPage(): Uint8Array {
  const page = new Uint8Array(4096);
  const view = new DataView(page.buffer);
  const put = (at: number, words: readonly number[]): void => words.forEach((w, i) => view.setUint32(at + 4 * i, w >>> 0, true));
  for (const k of Object.keys(ROUTINES) as Routine[]) put(ROUTINE_OFFSET[k], [...ROUTINES[k], ...done()]);
  // S trap vector: tell the kernel the routine faulted, then park
  put(TRAP_VECTOR_OFFSET, [E.sd(T6, T6, 8), E.wfi(), E.jal(0, -4)]);
  put(PARK_OFFSET, [E.wfi(), E.jal(0, -4)]);
  return page;
}
