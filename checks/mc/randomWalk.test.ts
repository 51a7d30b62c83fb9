import { describe, expect, it } from "vitest";
import { initialSystem } from "../../model/state.ts";
import { randomEvent } from "../../spec/gen/randomEvent.ts";
import { rng } from "../../spec/gen/rng.ts";
import { step } from "../../spec/step.ts";
import { Canonicalizer } from "./canonical.ts";
import { mcConfig } from "./config.ts";
import { EXTRA_STRINGS } from "./enumerate.ts";
import { search } from "./search.ts";

// A configuration whose domains cover spec/gen/randomEvent.ts's choices that reach the state:
// its images, secure shm keys 1–3, mmap/sbrk/shmGet counts up to 2, page lists up to 3 (+ kbuffer).
const mc = mcConfig({
  spec: { enclaves: 2, harts: 2, pages: 5, monitorPages: 1, ptaPages: 1, hosts: 1, shms: 1, secureShms: 1, relays: 1, names: ["caller", "server"] },
  images: ["hello", "server", "fork"],
  keys: [1, 2, 3],
  maxList: 3,
  maxCount: 2,
  maxDepth: 4,
});

describe("random exploration stays inside the BFS-reachable set", () => {
  it("every state of seeded random walks (length ≤ depth bound) was reached by the search", () => {
    const r = search(mc, { continueAfterViolation: true });
    expect(r.found).toEqual([]);
    const canon = new Canonicalizer(mc, true, EXTRA_STRINGS);
    let checked = 0;
    for (let seed = 1; seed <= 400; seed++) {
      const rand = rng(seed);
      let s = initialSystem(mc.spec);
      for (let i = 0; i < mc.maxDepth; i++) {
        s = step(s, randomEvent(s, rand)).state;
        canon.fingerprint(s);
        expect(r.table.find(canon.hi, canon.lo), `seed ${seed} step ${i + 1}`).toBeGreaterThanOrEqual(0);
        checked++;
      }
    }
    expect(checked).toBe(400 * mc.maxDepth);
  });
});
