// A search worker (worker_threads). It keeps the states of the BFS level it is to expand (those it
// generated itself, plus any the parent moved to it to balance the load), expands them on request,
// inserting fingerprints into the shared table, and keeps the new states for the next level. It
// serves one search after another (a persistent pool, parallel.ts): each search sends a fresh table.
import { parentPort, workerData } from "node:worker_threads";
import type { System } from "../../model/state.ts";
import { defaultMcConfig } from "./config.ts";
import { decodeState } from "./decode.ts";
import { Expander, type Found } from "./expander.ts";
import { FingerprintSet } from "./fingerprint.ts";
import { RecordBuffer } from "./records.ts";
import { search } from "./search.ts";
import { specMutants } from "./specMutants.ts";
import type { WorkerInit, WorkerReply, WorkerRequest } from "./parallel.ts";

const init = workerData as WorkerInit;
const mutant = init.mutant ? specMutants.find((m) => m.id === init.mutant) : undefined;
const step = mutant?.step;

// warm the JIT on small searches of its own before any clock starts (like the single-threaded bench's
// warm-up): the default configuration to depth 4 (~2,000 states) and this one to depth 2, with this
// pool's options
const { tableBits: _, ...own } = init.opts; // the warm-up searches run on tables of their own, of the default size
const warm = { ...own, step, continueAfterViolation: true };
search({ ...defaultMcConfig, maxDepth: 4 }, { ...warm, symmetry: true });
search({ ...init.mc, maxDepth: Math.min(2, init.mc.maxDepth) }, warm);
// and, when asked (bench:mc), whole searches of this configuration: V8 keeps optimizing for seconds
const warmUntil = performance.now() + (init.warmUpMs ?? 0);
let warmSearches = 0;
for (; performance.now() < warmUntil; warmSearches++) search(init.mc, warm);

/** The search being served. */
let x: Expander | undefined;
let stopFlag: Int32Array<ArrayBufferLike> = new Int32Array(1);
let fixed: readonly string[] = [];
/** This worker's share of the level to expand, and their table slots. */
let level: System[] = [];
let slots: number[] = [];

const post = (m: WorkerReply, transfer: ArrayBuffer[] = []) => parentPort!.postMessage(m, transfer);
post({ type: "ready", warmSearches });

parentPort!.on("message", (req: WorkerRequest) => {
  if (req.type === "start") {
    x = new Expander(init.mc, { ...init.opts, step }, FingerprintSet.adopt(req.table));
    stopFlag = new Int32Array(req.stop);
    fixed = x.canon.fixedStrings;
    level = [];
    slots = [];
    post({ type: "ready", warmSearches: 0 });
    return;
  }
  if (req.type === "give") {
    // hand the last `count` states of the level over (encoded as they are)
    const out = new RecordBuffer(1024);
    for (let i = level.length - req.count; i < level.length; i++) out.push(slots[i]!, x!.encoding(level[i]!));
    level.length -= req.count;
    slots.length -= req.count;
    const data = out.take();
    post({ type: "given", data }, [data.buffer as ArrayBuffer]);
    return;
  }
  // expand the level: this worker's states plus those it is handed
  const d = req.data;
  for (let i = 0; i < d.length;) {
    const len = d[i + 1]!;
    level.push(decodeState(d.subarray(i + 2, i + 2 + len), init.mc, fixed));
    slots.push(d[i]!);
    i += 2 + len;
  }
  const xp = x!;
  const found: Found[] = [];
  const t0 = xp.transitions,
    g0 = xp.generated;
  const onFound = (f: Found) => {
    found.push(f);
    if (!init.opts.continueAfterViolation) Atomics.store(stopFlag, 0, 1); // deadlocks stop too, as in TLC
  };
  // states at the depth bound are never expanded: counted, not kept
  const next: System[] = [];
  const nextSlots: number[] = [];
  let queued = 0;
  const push =
    req.depth + 1 < init.mc.maxDepth
      ? (t: System, at: number) => {
          next.push(t);
          nextSlots.push(at);
          queued++;
        }
      : () => {
          queued++;
        };
  let done = 0;
  let lastReport = performance.now();
  for (let i = 0; i < level.length; i++) {
    if (Atomics.load(stopFlag, 0)) break;
    xp.expand(level[i]!, slots[i]!, req.depth, push, onFound);
    done++;
    if ((done & 63) === 0 && performance.now() - lastReport > 500) {
      lastReport = performance.now();
      post({ type: "progress", done, transitions: xp.transitions - t0, generated: xp.generated - g0, queued });
    }
  }
  level = next;
  slots = nextSlots;
  xp.table.flush();
  post({ type: "done", done, transitions: xp.transitions - t0, generated: xp.generated - g0, queued, kept: next.length, found });
});
