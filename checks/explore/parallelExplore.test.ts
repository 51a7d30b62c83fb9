import { describe, expect, it } from "vitest";
import { exploreParallel, shareOf } from "./parallelExplore.ts";
import { defaultPlatformConfig } from "./platform.ts";

describe("explore --workers", () => {
  it("splits the runs over the workers, the first ones taking the remainder", () => {
    expect([0, 1, 2].map((i) => shareOf(10, 3, i))).toEqual([4, 3, 3]);
    expect([0, 1].map((i) => shareOf(1, 2, i))).toEqual([1, 0]);
  });

  it("explores on every worker and sums runs, steps and coverage; a mutant is killed by one of them", async () => {
    const options = { seed: 7, runs: 4, steps: 8, platform: defaultPlatformConfig, coverage: true, shrink: false };
    const ok = await exploreParallel({ options, workers: 2 });
    expect(ok.counterexample).toBeUndefined();
    expect(ok.runs).toBe(4);
    expect(ok.steps).toBeGreaterThan(4);
    const hits = ok.coverage!.flatMap((m) => m.transitions).reduce((s, t) => s + t.hits, 0);
    expect(hits).toBeGreaterThan(0);
    const bad = await exploreParallel({ options: { ...options, runs: 40, steps: 30 }, workers: 2, mutant: "M05" });
    expect(bad.counterexample?.report.failure.kind).toBe("result");
    expect(bad.runs).toBeLessThan(40); // the other worker stopped when the flag went up
  }, 120_000);
});
