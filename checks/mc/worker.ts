// A search worker (worker_threads): expands the states of one BFS level it is sent, inserting
// fingerprints into the shared table, and returns the new states in transfer form.
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
const table = FingerprintSet.adopt(init.table);
const stopFlag = new Int32Array(init.stop);
const mutant = init.mutant ? specMutants.find((m) => m.id === init.mutant) : undefined;
const x = new Expander(init.mc, { ...init.opts, step: mutant?.step }, table);
const fixed = x.canon.fixedStrings;

// warm the JIT on small searches of its own before the clock starts (like the single-threaded bench's
// warm-up): the default configuration to depth 4 (~2,000 states) and this one to depth 2, with this
// run's options
const warm = { ...init.opts, step: mutant?.step, tableBits: 20, continueAfterViolation: true };
search({ ...defaultMcConfig, maxDepth: 4 }, { ...warm, symmetry: true });
search({ ...init.mc, maxDepth: Math.min(2, init.mc.maxDepth) }, warm);
parentPort!.postMessage({ type: "ready" });

parentPort!.on("message", (req: WorkerRequest) => {
  const next = new RecordBuffer();
  const found: Found[] = [];
  const t0 = x.transitions,
    g0 = x.generated;
  const onFound = (f: Found) => {
    found.push(f);
    if (!init.opts.continueAfterViolation) Atomics.store(stopFlag, 0, 1); // deadlocks stop too, as in TLC
  };
  // states at the depth bound are never expanded: counted, not sent
  const push = req.depth + 1 < init.mc.maxDepth ? (t: System, at: number) => next.push(at, x.encoding(t)) : () => next.skip();
  const d = req.data;
  let done = 0;
  let lastReport = performance.now();
  for (let i = 0; i < d.length;) {
    if (Atomics.load(stopFlag, 0)) break;
    const slot = d[i]!,
      len = d[i + 1]!;
    const s = decodeState(d.subarray(i + 2, i + 2 + len), init.mc, fixed);
    i += 2 + len;
    x.expand(s, slot, req.depth, push, onFound);
    done++;
    if ((done & 63) === 0 && performance.now() - lastReport > 500) {
      lastReport = performance.now();
      const p: WorkerReply = {
        type: "progress",
        done,
        transitions: x.transitions - t0,
        generated: x.generated - g0,
        queued: next.count,
      };
      parentPort!.postMessage(p);
    }
  }
  const data = next.take();
  const reply: WorkerReply = {
    type: "done",
    done,
    transitions: x.transitions - t0,
    generated: x.generated - g0,
    queued: next.count,
    data,
    found,
  };
  parentPort!.postMessage(reply, [data.buffer as ArrayBuffer]);
});
