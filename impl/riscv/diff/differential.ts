/**
 * The differential driver (riscv.md §2): generate N programs from consecutive fast-check seeds,
 * run each on QEMU (child processes, several at once) and on our emulator (in-process, while QEMU
 * runs), and compare the two console dumps. A mismatch is shrunk with fast-check (each candidate
 * re-run on both sides) and reported with its seed, the differing fields and the listing.
 */
import fc from "fast-check";
import { runBareMetal } from "../baremetal.ts";
import { programArb } from "./arb.ts";
import { compareDumps, type ProgramInfo, parseDump } from "./dump.ts";
import { CODE, CODE_SIZE, VA_UALIAS } from "./layout.ts";
import { type Assembled, assemble, type Program } from "./program.ts";
import { runQemuFile } from "./qemu.ts";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";

/** Instruction budget per program on our emulator (generated programs run a few thousand). */
export const EMU_MAX_INSTRUCTIONS = 2_000_000;

/** The program generated from one seed (the first value fast-check draws for it). */
export function programForSeed(seed: number): Program {
  return fc.sample(programArb, { seed, numRuns: 1 })[0];
}

/** Console output of our emulator for an ELF (timeouts and errors become text the dump parser rejects). */
export function emulatorConsole(elf: Uint8Array): string {
  try {
    const r = runBareMetal(elf, { maxInstructions: EMU_MAX_INSTRUCTIONS });
    return r.status === "timeout" ? `${r.console}\n<timeout after ${r.instructions} instructions>` : r.console;
  } catch (e) {
    return `<emulator threw ${(e as Error).stack ?? String(e)}>`;
  }
}

/** Instruction lookup for a program, also through the U alias of the code (layout.ts). */
export function programInfo(a: Assembled): ProgramInfo {
  const map = new Map(a.asm.listing.map((l) => [l.addr, l.text]));
  return {
    insnAt: (addr) => {
      const ua = addr - VA_UALIAS;
      return map.get(addr) ?? (ua >= 0n && ua < BigInt(CODE_SIZE) ? map.get(CODE + ua) : undefined);
    },
  };
}

/**
 * Differences between the QEMU and emulator consoles after the allowances of
 * {@link compareDumps} ([] when they agree).
 */
export function compareConsoles(qemu: string, emu: string, info: ProgramInfo): { diffs: string[]; allowed: string[] } {
  if (qemu === emu) return { diffs: [], allowed: [] };
  const r = compareDumps(parseDump(qemu), parseDump(emu), info);
  if (r.diffs.length === 0 && r.allowed.length === 0) return { diffs: ["consoles differ outside the dump"], allowed: [] };
  return r;
}

/** One disagreement. */
export interface Mismatch { seed: number; differences: string[]; listing: string; shrunkDifferences: string[]; shrunkListing: string }

/** Summary of a differential run. */
export interface DiffReport {
  programs: number; agreed: number; qemuTimeouts: number; mismatches: Mismatch[]; ms: number;
  /** How often each allowance of {@link compareDumps} fired. */
  allowances: Record<string, number>;
}

async function qemuConsole(dir: string, name: string, elf: Uint8Array): Promise<string> {
  const path = join(dir, `${name}.elf`);
  writeFileSync(path, elf);
  const r = await runQemuFile(path);
  rmSync(path, { force: true });
  return r.timedOut ? `${r.stdout}\n<qemu timeout>` : r.stdout;
}

/** Shrink a failing program: fast-check replays `seed` and minimises while the consoles differ. */
export async function shrink(seed: number, dir: string, maxMs = 40_000): Promise<Program | undefined> {
  let smallest: Program | undefined;
  const prop = fc.asyncProperty(programArb, async (p) => {
    const a = assemble(p);
    const emu = emulatorConsole(a.elf);
    const q = await qemuConsole(dir, "shrink", a.elf);
    const same = compareConsoles(q, emu, programInfo(a)).diffs.length === 0;
    if (!same) smallest = p;
    return same;
  });
  await fc.check(prop, { seed, numRuns: 1, interruptAfterTimeLimit: maxMs, markInterruptAsFailure: false });
  return smallest;
}

/**
 * Run `count` programs from seeds `seed, seed+1, …`. `concurrency` QEMU processes run at once
 * (default: 2 per core; a short QEMU run is mostly start-up). Mismatches (at most `maxShrink` of
 * them are shrunk) are returned, not thrown.
 */
export async function runDifferential(opts: { count: number; seed: number; concurrency?: number; maxShrink?: number; log?: (s: string) => void }): Promise<DiffReport> {
  const t0 = performance.now();
  const dir = mkdtempSync(join(tmpdir(), "rvdiff-"));
  const conc = opts.concurrency ?? Math.max(2, availableParallelism() * 2);
  const failing: Array<{ seed: number; differences: string[]; listing: string }> = [];
  let qemuTimeouts = 0;
  let next = 0;
  const allowances: Record<string, number> = {};
  try {
    const worker = async () => {
      while (next < opts.count) {
        const k = next++;
        const seed = opts.seed + k;
        const asm = assemble(programForSeed(seed));
        const q = qemuConsole(dir, `p${k}`, asm.elf); // QEMU runs while we emulate
        const emu = emulatorConsole(asm.elf);
        const qc = await q;
        if (qc.endsWith("<qemu timeout>")) qemuTimeouts++;
        const { diffs: d, allowed } = compareConsoles(qc, emu, programInfo(asm));
        for (const x of allowed) { const k = x.split(" ")[0]; allowances[k] = (allowances[k] ?? 0) + 1; }
        if (d.length) {
          failing.push({ seed, differences: d, listing: asm.listing });
          opts.log?.(`mismatch at seed ${seed}: ${d.slice(0, 3).join("; ")}`);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(conc, opts.count) }, worker));
    const mismatches: Mismatch[] = [];
    for (const f of failing.slice(0, opts.maxShrink ?? 3)) {
      const s = await shrink(f.seed, dir);
      const sAsm = s ? assemble(s) : undefined;
      const sd = sAsm ? compareConsoles(await qemuConsole(dir, "final", sAsm.elf), emulatorConsole(sAsm.elf), programInfo(sAsm)).diffs : [];
      mismatches.push({ ...f, shrunkDifferences: sd, shrunkListing: sAsm?.listing ?? "" });
    }
    for (const f of failing.slice(opts.maxShrink ?? 3)) mismatches.push({ ...f, shrunkDifferences: [], shrunkListing: "" });
    return { programs: opts.count, agreed: opts.count - failing.length, qemuTimeouts, mismatches, ms: performance.now() - t0, allowances };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Human-readable mismatch report. */
export function formatMismatch(m: Mismatch): string {
  return [
    `seed ${m.seed}: ${m.differences.length} differing fields`,
    ...m.differences.slice(0, 40).map((d) => `  ${d}`),
    ...(m.shrunkListing
      ? [`shrunk program (${m.shrunkDifferences.length} differing fields):`, ...m.shrunkDifferences.slice(0, 40).map((d) => `  ${d}`), m.shrunkListing]
      : ["program:", m.listing]),
  ].join("\n");
}
