import { Worker } from "node:worker_threads";
import { initialSystem } from "../../model/state.ts";
import { isBundled } from "./bundle.ts";
import type { McConfig } from "./config.ts";
import { Expander, type Found, type SearchOptions } from "./expander.ts";
import { FingerprintSet } from "./fingerprint.ts";
import { RecordBuffer, splitRecords } from "./records.ts";
import type { Progress, RunOptions, SearchResult } from "./search.ts";

/** What a worker is started with. */
export interface WorkerInit {
  mc: McConfig;
  opts: Omit<SearchOptions, "step" | "invariants">;
  /** Id of a spec mutant (specMutants.ts) to search instead of the spec. */
  mutant?: string;
  table: SharedArrayBuffer;
  stop: SharedArrayBuffer;
}
/** One BFS level's share of states. */
export interface WorkerRequest {
  depth: number;
  data: Int32Array;
}
/** A worker's progress report or level result. */
export type WorkerReply =
  | { type: "ready" }
  | { type: "progress"; done: number; transitions: number; generated: number; queued: number }
  | { type: "done"; done: number; transitions: number; generated: number; queued: number; data: Int32Array; found: Found[] };

/**
 * A worker running worker.ts. Node 20 does not apply `--import tsx` to a worker's own entry file
 * (ERR_UNKNOWN_FILE_EXTENSION), so a tiny evaluated bootstrap registers tsx's loader first and then
 * imports the TypeScript entry.
 */
function startWorker(init: WorkerInit): Worker {
  if (isBundled) return new Worker(new URL("./worker.mjs", import.meta.url), { workerData: init }); // see bundle.ts
  const tsxApi = import.meta.resolve("tsx/esm/api");
  const entry = new URL("./worker.ts", import.meta.url).href;
  const boot = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(boot, { eval: true, workerData: init });
}

/** Options of `parallelSearch`. */
export interface ParallelOptions extends Omit<RunOptions, "step" | "invariants"> {
  workers: number;
  mutant?: string;
}

/**
 * Level-synchronous parallel BFS over worker_threads: the fingerprint set is one lock-free table in
 * a SharedArrayBuffer; each level's states travel as canonical encodings (transferred, not copied)
 * and are dealt out evenly; every worker runs the same spec code (via tsx's loader).
 */
export async function parallelSearch(mc: McConfig, opts: ParallelOptions): Promise<SearchResult> {
  const table = new FingerprintSet(opts.tableBits ?? 22, true);
  const stop = new SharedArrayBuffer(4);
  const stopFlag = new Int32Array(stop);
  const { onProgress, progressMs, workers: n, mutant, ...plain } = opts;
  const init: WorkerInit = { mc, opts: plain, mutant, table: table.words.buffer as SharedArrayBuffer, stop };
  const workers = Array.from({ length: n }, () => startWorker(init));
  // the clock starts once every worker has loaded the spec (as TLC's starts after the JVM's)
  await Promise.all(workers.map((w) => new Promise<void>((resolve, reject) => {
    w.once("message", () => resolve());
    w.once("error", reject);
  })));
  const t0 = performance.now();
  const found: Found[] = [];
  let deadlocks = 0;
  const record = (f: Found) => {
    if (f.kind === "deadlock" && deadlocks++ > 0) return;
    found.push(f);
  };
  try {
    const x = new Expander(mc, plain, table);
    const s0 = initialSystem(mc.spec);
    const slot0 = x.initial(s0, record);
    const first = new RecordBuffer(1024);
    first.push(slot0, x.canon.canonical(s0));
    let chunks = [first.take()];
    let count = found.length ? 0 : 1;
    let depth = 0;
    let transitions = 0, generated = 0;
    const live = { done: new Array<number>(n).fill(0), tr: new Array<number>(n).fill(0), gen: new Array<number>(n).fill(0), q: new Array<number>(n).fill(0) };
    const progress = (levelSize: number): Progress => {
      const done = live.done.reduce((a, b) => a + b, 0);
      return {
        generated: generated + live.gen.reduce((a, b) => a + b, 0) + 1, transitions: transitions + live.tr.reduce((a, b) => a + b, 0),
        distinct: table.size, queue: levelSize - done + live.q.reduce((a, b) => a + b, 0), depth, levelDone: done, levelSize,
        elapsedMs: performance.now() - t0,
      };
    };
    let lastProgress = performance.now();
    while (count > 0 && depth < mc.maxDepth && !Atomics.load(stopFlag, 0)) {
      const parts = splitRecords(chunks, count, n);
      live.done.fill(0); live.tr.fill(0); live.gen.fill(0); live.q.fill(0);
      const levelSize = count;
      const results = await Promise.all(workers.map((w, i) => new Promise<Extract<WorkerReply, { type: "done" }>>((resolve, reject) => {
        const onMsg = (m: WorkerReply) => {
          if (m.type === "ready") return;
          if (m.type === "progress") {
            live.done[i] = m.done; live.tr[i] = m.transitions; live.gen[i] = m.generated; live.q[i] = m.queued;
            if (onProgress && performance.now() - lastProgress >= (progressMs ?? 1000)) {
              lastProgress = performance.now();
              onProgress(progress(levelSize));
            }
            return;
          }
          w.off("message", onMsg);
          w.off("error", reject);
          resolve(m);
        };
        w.on("message", onMsg);
        w.once("error", reject);
        const req: WorkerRequest = { depth, data: parts[i]! };
        w.postMessage(req, [parts[i]!.buffer as ArrayBuffer]);
      })));
      chunks = [];
      count = 0;
      for (const r of results) {
        transitions += r.transitions;
        generated += r.generated;
        chunks.push(r.data);
        count += r.queued;
        r.found.forEach(record);
      }
      depth++;
      if (found.length && !opts.continueAfterViolation) break;
    }
    const stopped = found.length > 0 && !opts.continueAfterViolation;
    live.done.fill(0); live.tr.fill(0); live.gen.fill(0); live.q.fill(0);
    const end = progress(0);
    return {
      ...end,
      queue: stopped ? count : 0,
      depth,
      complete: !stopped && count === 0,
      atBound: stopped ? 0 : count,
      found,
      deadlocks,
      table,
      workers: n,
    };
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
