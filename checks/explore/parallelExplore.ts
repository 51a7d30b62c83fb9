/**
 * `explore --workers N`: N worker_threads, each exploring its own seed (seed, seed+1, …) with its
 * share of the runs. The first worker to find a failure raises a shared flag; the others stop
 * generating runs and report what they did; the failing worker shrinks and reports its
 * counterexample. Coverage is summed over the workers.
 */
import { Worker } from "node:worker_threads";
import { isBundled } from "../mc/bundle.ts";
import { mergeCoverage } from "./coverage.ts";
import type { ExploreOptions, ExploreReport } from "./explore.ts";

/** What a worker is asked to do (structured-clone safe). */
export interface ExploreWorkerInit {
  options: Omit<ExploreOptions, "step" | "onRun" | "onPass" | "stop" | "onFailure">;
  /** Mutant id as the CLI takes it (M01…, spec:…). */
  mutant?: string;
  /** Directory for passing runs (--record). */
  record?: string;
  /** Int32 flag: non-zero once some worker found a failure. */
  stop: SharedArrayBuffer;
}

export type ExploreWorkerMessage =
  | { kind: "progress"; runs: number; steps: number }
  | { kind: "done"; report: ExploreReport }
  | { kind: "error"; message: string };

function startWorker(init: ExploreWorkerInit): Worker {
  if (isBundled) return new Worker(new URL("./exploreWorker.mjs", import.meta.url), { workerData: init }); // mc/bundle.ts
  const tsxApi = import.meta.resolve("tsx/esm/api");
  const entry = new URL("./exploreWorker.ts", import.meta.url).href;
  const boot = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(boot, { eval: true, workerData: init });
}

export interface ParallelExploreOptions {
  options: ExploreWorkerInit["options"];
  workers: number;
  mutant?: string;
  record?: string;
  /** All workers together: runs and checked steps so far. */
  onProgress?: (runs: number, steps: number) => void;
}

/** Runs split over the workers: the first ones take the remainder. */
export function shareOf(runs: number, workers: number, i: number): number {
  return Math.floor(runs / workers) + (i < runs % workers ? 1 : 0);
}

export async function exploreParallel(p: ParallelExploreOptions): Promise<ExploreReport> {
  const stop = new SharedArrayBuffer(4);
  const n = Math.max(1, Math.min(p.workers, p.options.runs));
  const progress = Array.from({ length: n }, () => ({ runs: 0, steps: 0 }));
  const t0 = performance.now();
  const reports = await Promise.all(
    Array.from({ length: n }, (_, i) => {
      const options = { ...p.options, seed: (p.options.seed + i) % 2 ** 31, runs: shareOf(p.options.runs, n, i) };
      const w = startWorker({ options, mutant: p.mutant, record: p.record, stop });
      return new Promise<ExploreReport>((resolve, reject) => {
        w.on("message", (m: ExploreWorkerMessage) => {
          if (m.kind === "progress") {
            progress[i] = m;
            p.onProgress?.(
              progress.reduce((s, x) => s + x.runs, 0),
              progress.reduce((s, x) => s + x.steps, 0),
            );
          } else if (m.kind === "done") {
            resolve(m.report);
            void w.terminate();
          } else reject(new Error(`explore worker ${i}: ${m.message}`));
        });
        w.once("error", reject);
      });
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const failing = reports.filter((r) => r.counterexample).sort((a, b) => a.firstFailure!.seconds - b.firstFailure!.seconds)[0];
  const covered = reports.flatMap((r) => (r.coverage ? [r.coverage] : []));
  return {
    runs: reports.reduce((s, r) => s + r.runs, 0),
    steps: reports.reduce((s, r) => s + r.steps, 0),
    seconds,
    coverage: covered.length ? covered.reduce(mergeCoverage) : undefined,
    firstFailure: failing?.firstFailure,
    counterexample: failing?.counterexample,
  };
}
