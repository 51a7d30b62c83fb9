import { Worker } from "node:worker_threads";
import { initialSystem } from "../../model/state.ts";
import { isBundled } from "./bundle.ts";
import type { McConfig } from "./config.ts";
import { Expander, type Found, type SearchOptions } from "./expander.ts";
import { FingerprintSet } from "./fingerprint.ts";
import { RecordBuffer } from "./records.ts";
import type { Progress, RunOptions, SearchResult } from "./search.ts";

/** What a worker is started with (a pool serves searches of one configuration, options and mutant). */
export interface WorkerInit {
  mc: McConfig;
  opts: Omit<SearchOptions, "step" | "invariants">;
  /** Id of a spec mutant (specMutants.ts) to search instead of the spec. */
  mutant?: string;
  /** Milliseconds of whole searches of `mc` a worker runs before it is ready (JIT warm-up; default 0). */
  warmUpMs?: number;
}
/** A request to a worker: start a search, hand states over, or expand its share of a BFS level. */
export type WorkerRequest =
  | { type: "start"; table: SharedArrayBuffer; stop: SharedArrayBuffer }
  | { type: "give"; count: number }
  | { type: "level"; depth: number; data: Int32Array };
/** A worker's answer. */
export type WorkerReply =
  /** Started (with the searches of `mc` run to warm up), or set up for a search (0). */
  | { type: "ready"; warmSearches: number }
  | { type: "given"; data: Int32Array }
  | { type: "progress"; done: number; transitions: number; generated: number; queued: number }
  | {
      type: "done";
      done: number;
      transitions: number;
      generated: number;
      /** New states of the next level (including those at the depth bound, counted only). */
      queued: number;
      /** New states kept for the next level. */
      kept: number;
      found: Found[];
    };

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
  /** Workers to reuse (from `WorkerPool.start` with the same configuration, options and mutant); default: a pool of this search only. */
  pool?: WorkerPool;
}

/** The search options a worker needs (no callbacks, no pool). */
function plainOptions(opts: Omit<ParallelOptions, "pool"> & { pool?: unknown; warmUpMs?: number }): WorkerInit["opts"] {
  const { onProgress: _p, progressMs: _ms, workers: _w, mutant: _m, pool: _pool, warmUpMs: _warm, ...plain } = opts;
  return plain;
}

/** The next message of `w` that is not a progress report (those go to `progress`). */
function reply(w: Worker, progress?: (m: Extract<WorkerReply, { type: "progress" }>) => void): Promise<WorkerReply> {
  return new Promise((resolve, reject) => {
    const onMsg = (m: WorkerReply) => {
      if (m.type === "progress") {
        progress?.(m);
        return;
      }
      w.off("message", onMsg);
      w.off("error", reject);
      resolve(m);
    };
    w.on("message", onMsg);
    w.once("error", reject);
  });
}

/**
 * Started search workers, warmed up (JIT), for searches of one configuration, options and mutant;
 * reused from one search to the next (the benchmark's rounds), closed with `close`.
 */
export class WorkerPool {
  private constructor(
    readonly init: WorkerInit,
    readonly workers: Worker[],
    /** Per worker: the whole searches of the configuration it ran to warm up (`warmUpMs`). */
    readonly warmSearches: number[],
  ) {}

  /**
   * Starts `n` workers and waits until each has loaded the spec and warmed up: on small searches,
   * then for `warmUpMs` on searches of `mc` (a benchmark warms its workers as long as its own thread).
   */
  static async start(mc: McConfig, opts: Omit<ParallelOptions, "pool"> & { warmUpMs?: number }): Promise<WorkerPool> {
    const init: WorkerInit = { mc, opts: plainOptions(opts), mutant: opts.mutant, warmUpMs: opts.warmUpMs };
    const workers = Array.from({ length: opts.workers }, () => startWorker(init));
    const ready = await Promise.all(workers.map((w) => reply(w)));
    return new WorkerPool(
      init,
      workers,
      ready.map((m) => (m.type === "ready" ? m.warmSearches : 0)),
    );
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/**
 * Level-synchronous parallel BFS over worker_threads: the fingerprint set is one lock-free table in
 * a SharedArrayBuffer; every worker keeps the new states it generates and expands them at the next
 * level, so states stay where they are (and the workers' raw-hash caches keep working), except that
 * before a level the parent moves states (encoded as they are, transferred, not copied) from the
 * workers with more than their share to those with fewer. Every worker runs the same spec code.
 */
export async function parallelSearch(mc: McConfig, opts: ParallelOptions): Promise<SearchResult> {
  const own = opts.pool === undefined;
  const pool = opts.pool ?? (await WorkerPool.start(mc, opts));
  const { onProgress, progressMs } = opts;
  const plain = plainOptions(opts);
  const workers = pool.workers;
  const n = workers.length;
  const table = new FingerprintSet(opts.tableBits ?? 22, true);
  const stop = new SharedArrayBuffer(4);
  const stopFlag = new Int32Array(stop);
  try {
    await Promise.all(
      workers.map((w) => {
        const r = reply(w);
        w.postMessage({ type: "start", table: table.words.buffer as SharedArrayBuffer, stop } satisfies WorkerRequest);
        return r;
      }),
    );
    // the clock starts once every worker is ready (as TLC's starts after the JVM's)
    const t0 = performance.now();
    const found: Found[] = [];
    let deadlocks = 0;
    const record = (f: Found) => {
      if (f.kind === "deadlock" && deadlocks++ > 0) return;
      found.push(f);
    };
    const x = new Expander(mc, plain, table);
    const s0 = initialSystem(mc.spec);
    const slot0 = x.initial(s0, record);
    const first = new RecordBuffer(1024);
    first.push(slot0, x.encoding(s0));
    /** States each worker holds for the next level. */
    const held = new Array<number>(n).fill(0);
    let incoming: Int32Array[] = workers.map((_, i) => (i === 0 && !found.length ? first.take() : new Int32Array(0)));
    let count = found.length ? 0 : 1;
    let depth = 0;
    let transitions = 0,
      generated = 0;
    const live = {
      done: new Array<number>(n).fill(0),
      tr: new Array<number>(n).fill(0),
      gen: new Array<number>(n).fill(0),
      q: new Array<number>(n).fill(0),
    };
    const progress = (levelSize: number): Progress => {
      const done = live.done.reduce((a, b) => a + b, 0);
      return {
        generated: generated + live.gen.reduce((a, b) => a + b, 0) + 1,
        transitions: transitions + live.tr.reduce((a, b) => a + b, 0),
        distinct: table.size,
        queue: levelSize - done + live.q.reduce((a, b) => a + b, 0),
        depth,
        levelDone: done,
        levelSize,
        elapsedMs: performance.now() - t0,
      };
    };
    let lastProgress = performance.now();
    while (count > 0 && depth < mc.maxDepth && !Atomics.load(stopFlag, 0)) {
      if (depth > 0) incoming = await balance(workers, held);
      live.done.fill(0);
      live.tr.fill(0);
      live.gen.fill(0);
      live.q.fill(0);
      const levelSize = count;
      const results = await Promise.all(
        workers.map((w, i) => {
          const r = reply(w, (m) => {
            live.done[i] = m.done;
            live.tr[i] = m.transitions;
            live.gen[i] = m.generated;
            live.q[i] = m.queued;
            if (onProgress && performance.now() - lastProgress >= (progressMs ?? 1000)) {
              lastProgress = performance.now();
              onProgress(progress(levelSize));
            }
          }) as Promise<Extract<WorkerReply, { type: "done" }>>;
          w.postMessage({ type: "level", depth, data: incoming[i]! } satisfies WorkerRequest, [
            incoming[i]!.buffer as ArrayBuffer,
          ]);
          return r;
        }),
      );
      count = 0;
      results.forEach((r, i) => {
        transitions += r.transitions;
        generated += r.generated;
        count += r.queued;
        held[i] = r.kept;
        r.found.forEach(record);
      });
      depth++;
      if (found.length && !opts.continueAfterViolation) break;
    }
    const stopped = found.length > 0 && !opts.continueAfterViolation;
    live.done.fill(0);
    live.tr.fill(0);
    live.gen.fill(0);
    live.q.fill(0);
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
    if (own) await pool.close();
  }
}

/**
 * Moves states from the workers holding more than their share of the level (`held`) to those
 * holding fewer; returns, per worker, the encoded states it receives.
 */
async function balance(workers: Worker[], held: number[]): Promise<Int32Array[]> {
  const n = workers.length;
  const total = held.reduce((a, b) => a + b, 0);
  const share = Math.ceil(total / n);
  const incoming: Int32Array[] = workers.map(() => new Int32Array(0));
  const surplus = held.map((h) => Math.max(0, h - share));
  // a worker within an eighth of its share keeps its states (moving them costs an encoding each)
  if (surplus.every((k) => k <= share / 8)) return incoming;
  const given = await Promise.all(
    workers.map(async (w, i) => {
      if (surplus[i] === 0) return new Int32Array(0);
      const r = reply(w);
      w.postMessage({ type: "give", count: surplus[i]! } satisfies WorkerRequest);
      return ((await r) as Extract<WorkerReply, { type: "given" }>).data;
    }),
  );
  // deal the given states out to the workers below their share
  const deficit = held.map((h, i) => Math.max(0, share - (h - surplus[i]!)));
  const parts = splitRecordsBy(given, deficit);
  return parts;
}

/** Splits concatenated record arrays into arrays of at most `sizes[i]` records each (in order). */
function splitRecordsBy(chunks: readonly Int32Array[], sizes: readonly number[]): Int32Array[] {
  const out = sizes.map(() => new RecordBuffer(1024));
  let target = 0,
    k = 0;
  for (const c of chunks)
    for (let i = 0; i < c.length;) {
      while (target < sizes.length - 1 && k >= sizes[target]!) {
        target++;
        k = 0;
      }
      const len = c[i + 1]!;
      out[target]!.push(c[i]!, c.subarray(i + 2, i + 2 + len));
      i += 2 + len;
      k++;
    }
  return out.map((b) => b.take());
}
