import { describe, expect, it } from "vitest";
import { initialSystem, type System } from "../../model/state.ts";
import { randomEvent } from "../../spec/gen/randomEvent.ts";
import { rng } from "../../spec/gen/rng.ts";
import { step } from "../../spec/step.ts";
import { Canonicalizer } from "./canonical.ts";
import { mcConfig } from "./config.ts";
import { decodeState } from "./decode.ts";
import { EXTRA_STRINGS } from "./enumerate.ts";
import { applyPerm, randomPerm } from "./permute.ts";

// the generator's images (spec/gen/randomEvent.ts) must be in the configuration's image pool
const mc = mcConfig({ spec: { enclaves: 4, pages: 10, monitorPages: 2, ptaPages: 2, hosts: 2, harts: 2, shms: 2, relays: 3, secureShms: 2, names: ["caller", "test-server", "worker"] }, images: ["hello", "server", "fork"] });

/** States of seeded random walks of the spec. */
function walkStates(seed: number, n: number): System[] {
  const rand = rng(seed);
  const out: System[] = [];
  let s = initialSystem(mc.spec);
  for (let i = 0; i < n; i++) {
    if (i % 60 === 0) s = initialSystem(mc.spec);
    s = step(s, randomEvent(s, rand)).state;
    out.push(s);
  }
  return out;
}

const fp = (c: Canonicalizer, s: System) => {
  c.fingerprint(s);
  return `${c.hi}:${c.lo}`;
};

describe("canonical encoding and fingerprints", () => {
  const states = walkStates(7, 3000);
  const sym = new Canonicalizer(mc, true, EXTRA_STRINGS);
  const plain = new Canonicalizer(mc, false, EXTRA_STRINGS);

  it("symmetric states get the same fingerprint", () => {
    const rand = rng(11);
    for (const s of states.slice(0, 1500)) {
      const t = applyPerm(s, randomPerm(mc.spec, mc.images, rand));
      expect(fp(sym, t)).toBe(fp(sym, s));
    }
  });

  it("decoding an encoding gives the state back (no symmetry) or a member of its orbit (symmetry)", () => {
    for (const s of states.slice(0, 800)) {
      expect(decodeState(plain.canonical(s), mc, plain.fixedStrings)).toEqual(s);
      const rep = decodeState(sym.canonical(s), mc, sym.fixedStrings);
      expect(fp(sym, rep)).toBe(fp(sym, s));
    }
  });

  it("different states get different fingerprints (without symmetry: distinct JSON ⇒ distinct fingerprint)", () => {
    const byFp = new Map<string, string>();
    for (const s of states) {
      const j = JSON.stringify(s);
      const f = fp(plain, s);
      const seen = byFp.get(f);
      if (seen !== undefined) expect(seen).toBe(j);
      else byFp.set(f, j);
    }
    expect(byFp.size).toBeGreaterThan(500);
  });

  it("random pairs of different states differ, also under symmetry unless one is a permutation of the other", () => {
    const rand = rng(3);
    let compared = 0;
    for (let i = 0; i < 3000; i++) {
      const a = states[Math.floor(rand() * states.length)]!, b = states[Math.floor(rand() * states.length)]!;
      if (JSON.stringify(a) === JSON.stringify(b)) continue;
      compared++;
      expect(fp(plain, a)).not.toBe(fp(plain, b));
      // same orbit ⇔ some permutation maps a's canonical member onto b's: compare decoded canonical members
      const same = JSON.stringify(decodeState(sym.canonical(a), mc, sym.fixedStrings)) === JSON.stringify(decodeState(sym.canonical(b), mc, sym.fixedStrings));
      expect(fp(sym, a) === fp(sym, b)).toBe(same);
    }
    expect(compared).toBeGreaterThan(2000);
  });

  it("every single-field change of a state changes its fingerprint", () => {
    const s = states.find((x) => x.enclaves.some((e) => e.kind === "server") && x.relays.some((r) => r.live))!;
    expect(s).toBeDefined();
    const base = fp(plain, s);
    const variants: System[] = [];
    const clone = () => structuredClone(s) as System;
    s.enclaves.forEach((_, e) => {
      for (const f of ["parent", "caller", "callee", "shm", "memArg", "callRelay", "pendingPages", "pendingKey", "retval", "creator"] as const) {
        const v = clone();
        (v.enclaves[e]! as Record<string, unknown>)[f] = (s.enclaves[e]![f] as number) + 1;
        variants.push(v);
      }
      const v = clone();
      v.enclaves[e]!.relays = [...v.enclaves[e]!.relays, 2];
      variants.push(v);
    });
    s.pages.forEach((_, p) => {
      const v = clone();
      v.pages[p]!.zeroed = !v.pages[p]!.zeroed;
      variants.push(v);
      const w = clone();
      w.pages[p]!.secure = !w.pages[p]!.secure;
      variants.push(w);
    });
    s.relays.forEach((_, r) => {
      const v = clone();
      v.relays[r]!.hostMapped = !v.relays[r]!.hostMapped;
      variants.push(v);
    });
    const v = clone();
    v.harts[0] = v.harts[0] === -1 ? 0 : -1;
    variants.push(v);
    for (const x of variants) expect(fp(plain, x)).not.toBe(base);
  });
});
