// One worker of `explore --workers N` (parallelExplore.ts): explores its seed and share of the runs,
// posting progress, and stops early when another worker raised the shared failure flag.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { parentPort, workerData } from "node:worker_threads";
import { itfToText } from "../../model/itf.ts";
import { explore } from "./explore.ts";
import { mutantTargets } from "./mutants.ts";
import type { ExploreWorkerInit, ExploreWorkerMessage } from "./parallelExplore.ts";

const init = workerData as ExploreWorkerInit;
const post = (m: ExploreWorkerMessage): void => parentPort!.postMessage(m);
const flag = new Int32Array(init.stop);
const target = init.mutant === undefined ? undefined : mutantTargets.find((t) => t.id === init.mutant);
try {
  if (init.mutant !== undefined && !target) throw new Error(`unknown mutant ${init.mutant}`);
  const step = target?.on();
  const seed = init.options.seed;
  let last = 0;
  const report = explore({
    ...init.options,
    step,
    stop: () => Atomics.load(flag, 0) !== 0,
    onFailure: () => Atomics.store(flag, 0, 1),
    onRun: (runs, steps) => {
      const now = performance.now();
      if (now - last > 250) ((last = now), post({ kind: "progress", runs, steps }));
    },
    onPass: init.record
      ? (trace, run) => writeFileSync(join(init.record!, `run-${seed}-${run}.itf.json`), itfToText(trace))
      : undefined,
  });
  target?.off();
  post({ kind: "done", report });
} catch (e) {
  post({ kind: "error", message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
}
