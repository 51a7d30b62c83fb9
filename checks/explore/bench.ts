/**
 * bench:explore — checked steps per second (spec step + implementation on the RV64 machine + α with
 * zod + comparison + invariants + machine checks), default configuration:
 *   explore.steps-per-s           one worker (this thread, after a warm-up), over every worker's seed range
 *   explore.steps-per-s.workers   one worker_threads worker per core, each on its own seed range, all
 *                                 measuring at once after their warm-up (start-up is not throughput)
 *   explore.workers-speedup       the ratio of the two, measured in the same run on the same seed ranges
 * Steady state: each thread first runs BENCH_WARMUP seconds (default 20) of other seeds. The checker is a
 * large body of code (monitor, host, RV64 machine, spec, checks) whose rarer paths get hot slowly: after
 * 3 s, V8 still ran ~290 TurboFan compilations (~1.4 s of compiler time) in the next 10 s, after 20 s
 * ~140 (~0.5 s). One thread gets that compiler time for free from the idle core; two workers pay it
 * on their own cores, and with a 3 s warm-up the measured speedup was 1.54 where after 20 s it was 1.81.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { checkedSteps } from "./benchLoop.ts";
import { CHECKER_NODE_FLAGS, isBundled, runBundled } from "../mc/bundle.ts";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 20);

type Measured = { steps: number; seconds: number; failures: number };

/** A warmed-up worker: `go()` starts its measured loop and resolves with what it measured. */
function startWorker(seed: number): Promise<{ go: () => Promise<Measured> }> {
  const workerData = { seed, seconds: SECONDS, warmup: WARMUP };
  const w = isBundled ? new Worker(new URL("./benchWorker.mjs", import.meta.url), { workerData }) : tsxWorker(workerData);
  return new Promise((ready, reject) => {
    w.once("error", reject);
    w.once("message", () =>
      ready({
        go: () =>
          new Promise<Measured>((resolve) => {
            w.once("message", (m: Measured) => {
              resolve(m);
              void w.terminate();
            });
            w.postMessage("go");
          }),
      }),
    );
  });
}

/** A worker running benchWorker.ts from source (tsx). */
function tsxWorker(workerData: { seed: number; seconds: number; warmup: number }): Worker {
  const tsxApi = import.meta.resolve("tsx/esm/api");
  const entry = new URL("./benchWorker.ts", import.meta.url).href;
  const boot = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(boot, { eval: true, workerData });
}

// measure what `explore` runs: the bundle, with its Node flags (mc/bundle.ts)
const delegated = await runBundled("checks/explore/bench.ts", process.argv.slice(2), CHECKER_NODE_FLAGS);
if (delegated !== undefined) process.exit(delegated);

checkedSteps(1_000_000, WARMUP); // warm-up: table derivation, JIT
const n = Math.max(1, availableParallelism());
// The same work on both sides: this thread runs every worker's seed range in turn (SECONDS / n each),
// the workers run theirs at once (runs differ in cost from seed to seed: a ratio of two different
// workloads would measure the workloads too).
const seeds = Array.from({ length: n }, (_, i) => 1 + (i + 1) * 100_000);
const one = seeds
  .map((seed) => checkedSteps(seed, SECONDS / n))
  .reduce((a, r) => ({ steps: a.steps + r.steps, seconds: a.seconds + r.seconds, failures: a.failures + r.failures }));
const workers = await Promise.all(seeds.map((seed) => startWorker(seed)));
const all = await Promise.all(workers.map((w) => w.go())); // all measure at once, after their warm-up
const wall = Math.max(...all.map((r) => r.seconds));
const total = all.reduce((s, r) => s + r.steps, 0);
const failures = one.failures + all.reduce((s, r) => s + r.failures, 0);
const single = one.steps / one.seconds;
const multi = total / wall;
console.log(`explore.steps-per-s: ${single.toFixed(0)}`);
console.log(`explore.steps-per-s.workers: ${multi.toFixed(0)} (${n} workers)`);
console.log(`explore.workers-speedup: ${(multi / single).toFixed(2)}`);
if (failures) console.log(`explore.failing-runs: ${failures}`);
