/**
 * `npm run bench:cpu` — CPU speed of the RV64 machine (issue 3 "Speed"; riscv.md §0 reference
 * points). Prints one `name: value` line per figure:
 *   cpu.m.p1.mips, cpu.m.p2.mips            M-mode, no translation
 *   cpu.u-sv39.p1.mips, cpu.u-sv39.p2.mips  U-mode under Sv39 with PMP active
 *   qemu.p1.mips, qemu.p2.mips              the same M-mode programs on QEMU (when installed),
 *   qemu.u-sv39.p1.mips, qemu.u-sv39.p2.mips  and the U-mode ones
 * Each emulator figure is the best of BENCH_REPS (default 7) runs of about BENCH_SECONDS
 * (default 1) seconds each after a warm-up (best-of, because the 2-core machine is often shared); the instruction count is the budget given to
 * Machine.run, and the run is checked to have stayed in the loop, in the expected mode, trap-free.
 */
import { execFileSync } from "node:child_process";
import { parseElf } from "../elf.ts";
import { Machine } from "../machine.ts";
import { haveQemu } from "../diff/qemu.ts";
import { benchProgram, type BenchMode, type Loop } from "./programs.ts";
import { qemuMips } from "./qemuTiming.ts";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 1);
/** Only figures whose name contains this string (e.g. BENCH_ONLY=u-sv39). */
const ONLY = process.env.BENCH_ONLY ?? "";
const REPS = Number(process.env.BENCH_REPS ?? 7);
const FOREVER = 1n << 62n;

function machineFor(loop: Loop, mode: BenchMode): { m: Machine; check: () => void } {
  const p = benchProgram(loop, mode, FOREVER);
  const img = parseElf(p.elf);
  const m = new Machine({ harts: 1, ramSize: 128 << 20, seed: 1 });
  for (const s of img.segments) m.mem.write(s.paddr, s.data);
  m.reset(img.entry);
  const check = () => {
    const h = m.harts[0];
    const pc = h.pc;
    if (h.priv !== p.priv) throw new Error(`${loop}/${mode}: hart in privilege ${h.priv}, expected ${p.priv}`);
    if (pc < p.loopStart || pc >= p.loopEnd) throw new Error(`${loop}/${mode}: pc 0x${pc.toString(16)} left the loop`);
    if (h.csrRead(0x342) !== 0n) throw new Error(`${loop}/${mode}: a trap happened (mcause ${h.csrRead(0x342)})`);
  };
  return { m, check };
}

/** Best-of-REPS MIPS of our emulator on one loop/mode. */
function emulatorMips(loop: Loop, mode: BenchMode): number {
  const { m, check } = machineFor(loop, mode);
  // warm-up (JIT, decode cache, TLB) and calibration
  let n = 2_000_000;
  let t0 = performance.now();
  m.run(n);
  let dt = performance.now() - t0;
  while (dt < 300) {
    n *= 2;
    t0 = performance.now();
    m.run(n);
    dt = performance.now() - t0;
  }
  const budget = Math.max(1_000_000, Math.round((n / dt) * 1000 * SECONDS));
  let best = 0;
  for (let k = 0; k < REPS; k++) {
    t0 = performance.now();
    const done = m.run(budget);
    dt = performance.now() - t0;
    if (done !== budget) throw new Error(`${loop}/${mode}: ran ${done} of ${budget} instructions`);
    best = Math.max(best, done / (dt * 1000));
  }
  check();
  return best;
}

const fmt = (v: number) => v.toFixed(1);

const want = (name: string) => name.includes(ONLY);
for (const mode of ["m", "u-sv39"] as BenchMode[]) {
  for (const loop of ["p1", "p2"] as Loop[]) {
    const name = `cpu.${mode}.${loop}.mips`;
    if (!want(name)) continue;
    if (process.env.BENCH_CHILD === "1" || ONLY === name) console.log(`${name}: ${fmt(emulatorMips(loop, mode))}`);
    else {
      // Each figure in a fresh process: V8's optimised instruction loop is shared by every Machine of a
      // process, and a second Machine measurably slows it (an open issue, see README "Speed").
      const out = execFileSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
        env: { ...process.env, BENCH_ONLY: name, BENCH_CHILD: "1" },
        encoding: "utf8",
      });
      process.stdout.write(out);
    }
  }
}
if (haveQemu() && process.env.BENCH_CHILD !== "1") {
  // 3·10⁹ instructions per long QEMU run: under a second at the ~4 000 MIPS of riscv.md §0
  const iters: Record<Loop, bigint> = { p1: 500_000_000n, p2: 250_000_000n };
  for (const mode of ["m", "u-sv39"] as BenchMode[]) {
    for (const loop of ["p1", "p2"] as Loop[]) {
      const name = mode === "m" ? `qemu.${loop}.mips` : `qemu.${mode}.${loop}.mips`;
      if (want(name)) console.log(`${name}: ${fmt(qemuMips(loop, mode, iters[loop]))}`);
    }
  }
}
