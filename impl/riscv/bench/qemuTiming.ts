/**
 * QEMU reference speed (riscv.md §0 "qemu-system-riscv64 7.2 TCG"): wall time of a long run of a
 * benchmark program minus a one-iteration baseline (QEMU start-up), divided into the known
 * instruction count of the extra iterations.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { QEMU_ARGS } from "../diff/qemu.ts";
import { benchProgram, INSNS_PER_ITER, type BenchMode, type Loop } from "./programs.ts";

function timeRun(path: string): number {
  const t0 = performance.now();
  const r = spawnSync("qemu-system-riscv64", [...QEMU_ARGS, "-kernel", path], { stdio: "ignore", timeout: 120_000 });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`QEMU run of ${path} failed: status ${r.status} ${r.error ?? ""}`);
  return ms;
}

/** MIPS of QEMU on a benchmark loop: best of `reps` (long − baseline) timings. */
export function qemuMips(loop: Loop, mode: BenchMode, iterations: bigint, reps = 3): number {
  const dir = mkdtempSync(join(tmpdir(), "rvbench-"));
  try {
    const long = join(dir, "long.elf");
    const short = join(dir, "short.elf");
    writeFileSync(long, benchProgram(loop, mode, iterations).elf);
    writeFileSync(short, benchProgram(loop, mode, 1n).elf);
    let best = Infinity;
    for (let k = 0; k < reps; k++) {
      const base = timeRun(short);
      const t = timeRun(long) - base;
      if (t > 0 && t < best) best = t;
    }
    return (Number(iterations - 1n) * INSNS_PER_ITER[loop]) / (best * 1000);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
