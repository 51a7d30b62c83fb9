/**
 * Random exploration with fast-check: a run is an array of choice numbers, each of which draws one
 * event from the spec state of that step (generate.ts), so fast-check's shrinking — shorter arrays,
 * smaller numbers — shrinks the run to a minimal counterexample while every event stays one the
 * state allows. A failure comes back with the seed and `replayPath` that reproduce it exactly, and
 * as an ITF trace of the spec side.
 */
import fc from "fast-check";
import { toItf, type ItfTrace } from "../../model/itf.ts";
import { checkedRun, type EventSource, type Failure, type RunReport, type StepFn } from "./checkedRun.ts";
import type { PlatformConfig } from "./platform.ts";
import { shrinkEvents } from "./shrinkEvents.ts";
import { startCoverage, stopCoverage, type Coverage } from "./coverage.ts";

export interface ExploreOptions {
  /** fast-check seed. */
  seed: number;
  /** Runs (fast-check numRuns). */
  runs: number;
  /** Longest run, in steps. */
  steps: number;
  platform: PlatformConfig;
  /** The spec's step function (a spec mutant replaces it). */
  step?: StepFn;
  /** Stop exploring after this many seconds (the runs done so far count). */
  timeLimitS?: number;
  /** Shrink a failure (default true), for at most this many seconds (default 30). */
  shrink?: boolean;
  shrinkLimitS?: number;
  /** Called after every run. */
  onRun?: (done: number, steps: number) => void;
  /** Count spec coverage over the exploration (shrinking excluded). */
  coverage?: boolean;
  /** Called with every passing run (recording a corpus). */
  onPass?: (trace: ItfTrace, run: number) => void;
  /** Asked before each run: true stops exploring (another worker found a failure, parallelExplore.ts). */
  stop?: () => boolean;
  /** Called once, at the first failure (before shrinking). */
  onFailure?: () => void;
}

export interface ExploreReport {
  runs: number;
  /** Checked steps, all runs together (shrinking excluded). */
  steps: number;
  seconds: number;
  coverage?: Coverage;
  /** Checked steps (all runs) and seconds until the first failure. */
  firstFailure?: { steps: number; seconds: number };
  counterexample?: {
    report: RunReport & { failure: Failure };
    trace: ItfTrace;
    seed: number;
    replayPath: string;
    shrinks: number;
  };
}

/** The ITF trace of a run: the spec's states, the failing step included. */
export function runTrace(r: RunReport, description: string): ItfTrace {
  return toItf(r.initial, r.steps, description);
}

export function explore(o: ExploreOptions): ExploreReport {
  const t0 = performance.now();
  let runs = 0;
  let steps = 0;
  let first: ExploreReport["firstFailure"];
  let shrinking = false;
  let shrinkDeadline = Infinity;
  let last: (RunReport & { failure: Failure }) | undefined;
  const run = (source: EventSource): RunReport => checkedRun(source, o.platform, o.step);
  let coverage: Coverage | undefined;
  if (o.coverage) startCoverage();
  const property = fc.property(fc.array(fc.nat(), { minLength: 1, maxLength: o.steps, size: "max" }), (choices) => {
    if (shrinking && performance.now() > shrinkDeadline) return true; // out of shrinking time: keep the smallest so far
    if (!shrinking && o.stop?.()) return true; // stopped from outside: the remaining runs are skipped
    const r = run({ kind: "choices", choices });
    if (!shrinking) {
      runs++;
      steps += r.steps.length;
      o.onRun?.(runs, steps);
      if (!r.failure) o.onPass?.(runTrace(r, `passing run ${runs} (seed ${o.seed})`), runs);
    }
    if (r.failure) {
      if (!shrinking) {
        if (o.coverage) coverage = stopCoverage(); // shrinking is not exploration
        first = { steps, seconds: (performance.now() - t0) / 1000 };
        o.onFailure?.();
        shrinkDeadline = performance.now() + (o.shrinkLimitS ?? 30) * 500; // half for fast-check, half for the events
      }
      shrinking = true;
      last = r as RunReport & { failure: Failure };
      return false;
    }
    return true;
  });
  const out = fc.check(property, {
    seed: o.seed,
    numRuns: o.runs,
    endOnFailure: o.shrink === false,
    // out of exploring time: fast-check stops generating (an interrupt is not a failure)
    ...(o.timeLimitS === undefined ? {} : { interruptAfterTimeLimit: o.timeLimitS * 1000 }),
  });
  const seconds = (performance.now() - t0) / 1000;
  if (o.coverage && !coverage) coverage = stopCoverage();
  if (!out.failed || !out.counterexample) return { runs, steps, seconds, coverage };
  // the shrunk run, once more, for its report (the last failing evaluation may not be the minimal one)
  const minimal = run({ kind: "choices", choices: out.counterexample[0] });
  let report = (minimal.failure ? minimal : last!) as RunReport & { failure: Failure };
  let shrinks = out.numShrinks;
  if (o.shrink !== false) {
    const ev = shrinkEvents(
      report,
      o.platform,
      o.step,
      Math.max(shrinkDeadline, performance.now() + 5000) + (o.shrinkLimitS ?? 30) * 500,
    );
    report = ev.run;
    shrinks += ev.tries;
  }
  const description = `counterexample: ${report.failure.kind} at step ${report.failure.step} — ${report.failure.message} (fast-check seed ${out.seed}, replayPath ${out.counterexample ? JSON.stringify(out.counterexamplePath) : ""})`;
  return {
    runs,
    steps,
    seconds,
    firstFailure: first,
    coverage,
    counterexample: {
      report,
      trace: runTrace(report, description),
      seed: out.seed,
      replayPath: out.counterexamplePath ?? "",
      shrinks,
    },
  };
}
