import { describe, expect, it } from "vitest";
import { mcConfig } from "./config.ts";
import { parallelSearch, WorkerPool } from "./parallel.ts";
import { search } from "./search.ts";
import { counterexample } from "./trace.ts";
import { specMutants } from "./specMutants.ts";

const mc = mcConfig({ maxDepth: 4 });

describe("parallel search over worker_threads", () => {
  it("finds the same states as the single-threaded search, with and without symmetry", async () => {
    for (const symmetry of [true, false]) {
      const one = search({ ...mc, maxDepth: symmetry ? 4 : 2 }, { symmetry, continueAfterViolation: true });
      const two = await parallelSearch(
        { ...mc, maxDepth: symmetry ? 4 : 2 },
        { symmetry, continueAfterViolation: true, workers: 2 },
      );
      expect(two.distinct).toBe(one.distinct);
      expect(two.transitions).toBe(one.transitions);
      expect(two.atBound).toBe(one.atBound);
      expect(two.found).toEqual([]);
    }
  });

  it("finds a mutant's violation with a trace as short as the single-threaded one", async () => {
    const m = specMutants.find((x) => x.id === "M39-destroy-blocked-caller")!;
    const r = await parallelSearch({ ...mc, maxDepth: 6 }, { workers: 2, mutant: m.id });
    expect(r.found.length).toBeGreaterThan(0);
    const cx = counterexample(mc, r.found[0]!, r.table, { step: m.step });
    expect(cx.steps.length).toBe(m.shortestKnown);
  });

  it("a pool of workers, warmed up for a while first, serves one search after another with the same results", async () => {
    const pool = await WorkerPool.start(mc, { workers: 2, warmUpMs: 500 });
    try {
      for (const n of pool.warmSearches) expect(n).toBeGreaterThan(0); // each ran whole searches of mc first
      const one = search(mc, {});
      for (let i = 0; i < 2; i++) {
        const r = await parallelSearch(mc, { workers: 2, pool });
        expect([r.distinct, r.transitions, r.atBound, r.found.length]).toEqual([one.distinct, one.transitions, one.atBound, 0]);
      }
    } finally {
      await pool.close();
    }
  });
});
