/**
 * The CPU benchmark programs (issue 3 "Speed"; riscv.md §0): P1 = `ld; add; addi; sd; addi; bne`,
 * P2 = a 12-instruction mix adding `slli, srli, xor, xor, sltu, add`, each run either in M-mode
 * (no translation) or in U-mode under Sv39 (4 KiB pages, PMP entry 0 NAPOT over the program).
 * Built with the project's encoder/ELF writer (impl/riscv/asm), so no cross toolchain is needed.
 * After the loop the program compares its accumulator with the value computed here and reports
 * pass (tohost = 1) or fail (tohost = 3) — the same ELF runs on QEMU and on our emulator. (Only
 * for up to {@link CHECKED_ITERATIONS} iterations; longer runs report pass after the loop.)
 */
import { Asm } from "../asm/asm.ts";
import { htifElf } from "../asm/htif.ts";

/** Loop body. */
export type Loop = "p1" | "p2";
/** Execution mode. */
export type BenchMode = "m" | "u-sv39";

const CODE = 0x8000_0000n;
const HTIF = 0x8000_1000n;
const DATA = 0x8000_2000n;
const ROOT = 0x8000_3000n;
const L1 = 0x8000_4000n;
const L0 = 0x8000_5000n;

/** Longest loop whose result is computed here and checked by the program. */
export const CHECKED_ITERATIONS = 1_000_000n;

/** Instructions per loop iteration. */
export const INSNS_PER_ITER: Record<Loop, number> = { p1: 6, p2: 12 };

// registers: a0 = data pointer, t0 load value, t1 accumulator, t2 counter, t3..t6 scratch
const A0 = 10, T0 = 5, T1 = 6, T2 = 7, T3 = 28, T4 = 29, T5 = 30, T6 = 31;

/** The accumulator (t1 ^ t6 for P2) after `n` iterations, computed in BigInt (the reference). */
export function expectedResult(loop: Loop, n: bigint): bigint {
  const M = (1n << 64n) - 1n;
  let t0 = 0n, t1 = 0n, t6 = 0n, mem = 0n;
  if (loop === "p1") {
    // t1 = sum of 0..n-1
    return ((n * (n - 1n)) / 2n) & M;
  }
  for (let i = 0n; i < n; i++) {
    t0 = mem;
    t1 = (t1 + t0) & M;
    const t3 = (t1 << 3n) & M;
    const t4 = t1 >> 5n;
    t1 ^= t3;
    t1 ^= t4;
    const t5 = t1 < t0 ? 1n : 0n;
    t6 = (t6 + t5) & M;
    t0 = (t0 + 1n) & M;
    mem = t0;
  }
  return t1 ^ t6;
}

function emitLoop(a: Asm, loop: Loop): void {
  a.label("loop");
  a.i("ld", T0, A0, 0).i("add", T1, T1, T0);
  if (loop === "p2") {
    a.i("slli", T3, T1, 3).i("srli", T4, T1, 5).i("xor", T1, T1, T3).i("xor", T1, T1, T4)
      .i("sltu", T5, T1, T0).i("add", T6, T6, T5);
  }
  a.i("addi", T0, T0, 1).i("sd", T0, A0, 0).i("addi", T2, T2, -1).br("bne", T2, 0, "loop");
}

/** A benchmark ELF plus where its loop is (virtual addresses as the hart sees them). */
export interface BenchProgram { elf: Uint8Array; entry: bigint; loopStart: bigint; loopEnd: bigint; priv: number }

/**
 * Build the benchmark program for `iterations` loop iterations (use a huge count to run "forever"
 * under an instruction budget). `expectedOverride` replaces the reference result (tests).
 */
export function benchProgram(loop: Loop, mode: BenchMode, iterations: bigint, expectedOverride?: bigint): BenchProgram {
  const a = new Asm(CODE);
  const check = iterations <= CHECKED_ITERATIONS;
  const expected = expectedOverride ?? (check ? expectedResult(loop, iterations) : 0n);
  a.la(4, "mtrap").i("csrrw", 0, 0x305, 4);
  if (mode === "u-sv39") {
    // PMP entry 0: NAPOT 2 MiB at 0x8000_0000, RWX (riscv.md §3.4); S/U outside it would fail.
    a.li(4, (CODE >> 2n) | ((0x20_0000n >> 3n) - 1n)).i("csrrw", 0, 0x3b0, 4);
    a.li(4, 0x1fn).i("csrrw", 0, 0x3a0, 4);
    a.li(4, (8n << 60n) | (ROOT >> 12n)).i("csrrw", 0, 0x180, 4).i("sfence.vma", 0, 0);
    a.li(4, 0x1800n).i("csrrc", 0, 0x300, 4); // MPP = U
    a.la(4, "user").i("csrrw", 0, 0x341, 4).i("mret");
  }
  a.label("user");
  a.li(A0, DATA).li(T1, 0n).li(T6, 0n).li(T2, iterations);
  a.i("sd", 0, A0, 0);
  emitLoop(a, loop);
  a.label("loop_end");
  if (loop === "p2") a.i("xor", T1, T1, T6);
  if (check) a.li(T3, expected);
  else a.i("addi", T3, T1, 0);
  a.i("ecall"); // to M (U) or M→M: the handler decides pass/fail from t1 == t3
  a.label("mtrap");
  a.li(4, HTIF).i("addi", 5, 0, 1).br("beq", T1, T3, "report").i("addi", 5, 0, 3);
  a.label("report").i("sd", 5, 4, 0);
  a.label("spin").jal(0, "spin");
  a.padTo(Number(HTIF - CODE)).dword(0n).dword(0n);
  a.padTo(Number(DATA - CODE)).dword(0n);
  // Sv39: root[2] → L1; L1[0] → L0; L0[0] code page (U, R, X), L0[2] data page (U, R, W); A/D preset.
  const ptr = (pa: bigint) => ((pa >> 12n) << 10n) | 1n;
  const leaf = (pa: bigint, flags: bigint) => ((pa >> 12n) << 10n) | flags;
  a.padTo(Number(ROOT - CODE)).dword(0n).dword(0n).dword(ptr(L1));
  a.padTo(Number(L1 - CODE)).dword(ptr(L0));
  a.padTo(Number(L0 - CODE)).dword(leaf(CODE, 0x5bn)).dword(0n).dword(leaf(DATA, 0xd7n));
  a.padTo(Number(L0 - CODE) + 4096);
  const image = a.finish();
  return {
    elf: htifElf(a, image, HTIF),
    entry: CODE,
    loopStart: a.addr("loop"),
    loopEnd: a.addr("loop_end"),
    priv: mode === "m" ? 3 : 0,
  };
}
