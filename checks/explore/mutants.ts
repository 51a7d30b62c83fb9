/**
 * The proof that the checker works: explore against each mutant — the implementation's planted bugs
 * (impl/mutants.ts) and the spec-side ones (a guard weakened, an effect dropped: checks/mc/specMutants.ts)
 * — with a fixed budget, and report whether it was killed, how fast, and how short the shrunk
 * counterexample is.
 */
import { implMutants, setImplMutant, type ImplMutantId } from "../../impl/mutants.ts";
import { specMutants } from "../mc/specMutants.ts";
import { explore, type ExploreReport } from "./explore.ts";
import type { StepFn } from "./checkedRun.ts";
import { defaultPlatformConfig, type PlatformConfig } from "./platform.ts";

export interface MutantTarget {
  id: string;
  side: "impl" | "spec";
  description: string;
  /** Switch the mutant on (returns the spec step to use); `off` switches it off again. */
  on(): StepFn | undefined;
  off(): void;
}

export const mutantTargets: readonly MutantTarget[] = [
  ...(Object.keys(implMutants) as ImplMutantId[]).map((id): MutantTarget => ({
    id,
    side: "impl",
    description: implMutants[id],
    on: () => (setImplMutant(id), undefined),
    off: () => setImplMutant(null),
  })),
  ...specMutants.map((m): MutantTarget => ({
    id: `spec:${m.id}`,
    side: "spec",
    description: m.description,
    on: () => m.step,
    off: () => {},
  })),
];

export interface MutantOutcome {
  id: string;
  side: "impl" | "spec";
  killed: boolean;
  /** Checked steps until the first failure (all runs), and seconds. */
  steps: number;
  seconds: number;
  /** Length of the shrunk counterexample. */
  shrunk?: number;
  report: ExploreReport;
}

export interface MutantRunOptions {
  seed: number;
  runs: number;
  steps: number;
  /** Seconds per mutant before it counts as surviving. */
  budgetS: number;
  platform?: PlatformConfig;
}

/** Explore against one mutant. */
export function runMutant(t: MutantTarget, o: MutantRunOptions): MutantOutcome {
  const step = t.on();
  try {
    const report = explore({
      seed: o.seed,
      runs: o.runs,
      steps: o.steps,
      platform: o.platform ?? defaultPlatformConfig,
      step,
      timeLimitS: o.budgetS,
    });
    const cx = report.counterexample;
    return {
      id: t.id,
      side: t.side,
      killed: cx !== undefined,
      steps: report.firstFailure?.steps ?? report.steps,
      seconds: report.firstFailure?.seconds ?? report.seconds,
      shrunk: cx?.report.steps.length,
      report,
    };
  } finally {
    t.off();
  }
}
