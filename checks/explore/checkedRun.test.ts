import { describe, expect, it } from "vitest";
import { agentRegionPages, checkedRun } from "./checkedRun.ts";
import type { Event } from "../../model/events.ts";
import { PhysicalMemory } from "../../impl/riscv/memory.ts";

const seeds = (seed: number, n: number) => Array.from({ length: n }, (_, i) => (seed * 7919 + i * 104729) >>> 0);

describe("checked runs: the implementation refines the spec step by step", () => {
  it("random runs from several seeds pass every check and exercise enclaves, host and adversary", () => {
    const types = new Set<string>();
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const r = checkedRun({ kind: "choices", choices: seeds(seed, 150) });
      expect(r.failure, JSON.stringify(r.failure)).toBeUndefined();
      expect(r.steps).toHaveLength(150);
      for (const s of r.steps) types.add(`${s.event.type}:${s.result.status}`);
    }
    for (const t of [
      "host.create:ok",
      "host.run:ok",
      "enclave.access:ok",
      "enclave.exit:ok",
      "env.timer:ok",
      "adversary.touch:error",
    ])
      expect(types).toContain(t);
  }, 60_000);

  it("a run's RAM goes back to the pool all zero (every write path marks the pages it wrote)", () => {
    checkedRun({ kind: "choices", choices: seeds(9, 100) });
    const next = new PhysicalMemory(16 << 20); // the buffer the run just gave back
    expect(next.words.findIndex((w) => w !== 0)).toBe(-1);
  });

  it("OCALL_GETRANDOM of 0 bytes is refused by both (SP-4; the monitor used to answer 0, found by this checker)", () => {
    const n = agentRegionPages();
    const pages = Array.from({ length: n }, (_, i) => 4 + i);
    const events: Event[] = [
      { type: "host.shmget", hart: 0, host: 0, pages: [4 + n] },
      {
        type: "host.create",
        hart: 0,
        host: 0,
        kind: "normal",
        name: "",
        image: "agent",
        pages,
        textPages: 0,
        shm: 0,
        kbuffer: 5 + n,
      },
      { type: "host.run", hart: 1, host: 0, eid: 0, inherit: false },
      { type: "enclave.getRandom", hart: 1, size: 0 },
      { type: "enclave.getRandom", hart: 1, size: 32 },
    ];
    const r = checkedRun({ kind: "events", events });
    expect(r.failure, JSON.stringify(r.failure)).toBeUndefined();
    expect(r.steps.map((s) => s.result.code)).toEqual(["SUCCESS", "SUCCESS", "SUCCESS", "INVALID_ARGUMENT", "SUCCESS"]);
  });
});
