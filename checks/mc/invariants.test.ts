import { describe, expect, it } from "vitest";
import { initialSystem, type Enclave, type Page, type System } from "../../model/state.ts";
import { randomEvent } from "../../spec/gen/randomEvent.ts";
import { rng } from "../../spec/gen/rng.ts";
import { stateInvariants, violatedInvariants } from "../../spec/invariants/stateInvariants.ts";
import { fromOwnDomain, idsInRange, stepInvariants, violatedStepInvariants } from "../../spec/invariants/stepInvariants.ts";
import { step } from "../../spec/step.ts";
import { defaultConfig } from "../../model/config.ts";
import { err, fault, ok } from "../../model/result.ts";
import { InvariantChecker, Known, Part, stateReads } from "./invariants.ts";
import { specMutants } from "./specMutants.ts";

describe("the checker's invariant evaluation agrees with the spec's", () => {
  it("on random transitions of the spec and of every mutant (LC-6 and LC-1 shortcuts included)", () => {
    const inv = new InvariantChecker();
    const steps = [step, ...specMutants.map((m) => m.step)];
    const statesOnly = new Set(stepInvariants.filter((x) => x.statesOnly).map((x) => x.id));
    let bad = 0,
      pairBad = 0;
    for (let seed = 1; seed <= 60; seed++) {
      const rand = rng(seed);
      const f = steps[seed % steps.length]!;
      let s = initialSystem(defaultConfig);
      for (let i = 0; i < 150; i++) {
        const ev = randomEvent(s, rand);
        const out = f(s, ev);
        const mine = inv.stepViolations(s, ev, out.result, out.state) ?? [];
        expect(mine).toEqual(violatedStepInvariants({ before: s, event: ev, result: out.result, after: out.state }));
        // told that the state pair was checked, it reports all but the statesOnly invariants
        expect(inv.stepViolations(s, ev, out.result, out.state, false, true) ?? []).toEqual(
          mine.filter((id) => !statesOnly.has(id)),
        );
        pairBad += mine.filter((id) => statesOnly.has(id)).length;
        const st = inv.stateViolations(out.state) ?? [];
        expect(st).toEqual(violatedInvariants(out.state));
        bad += mine.length + st.length;
        s = st.length ? initialSystem(defaultConfig) : out.state;
      }
    }
    expect(bad).toBeGreaterThan(0); // the mutants made some invariants fail
    expect(pairBad).toBeGreaterThan(0); // some of them statesOnly invariants
  });

  it("on forged transitions: any result, the state kept or moved, events from either domain, ids in range or not", () => {
    const inv = new InvariantChecker();
    const results = [ok(), ok("SUCCESS", 2), err("BAD_STATE"), err("WRONG_DOMAIN"), fault()];
    let bad = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const rand = rng(seed);
      let s = initialSystem(defaultConfig);
      for (let i = 0; i < 100; i++) {
        const ev = randomEvent(s, rand);
        const out = step(s, ev);
        for (const result of results)
          for (const after of [s, out.state]) {
            const expected = violatedStepInvariants({ before: s, event: ev, result, after });
            const mine = inv.stepViolations(s, ev, result, after) ?? [];
            expect(mine).toEqual(expected);
            // told that the event's ids are in range (when they are), the checker skips SP-3 and agrees
            if (idsInRange(ev, s.config)) expect(inv.stepViolations(s, ev, result, after, true) ?? []).toEqual(expected);
            // told that the event comes from its own domain (when it does), the checker skips LC-3 and agrees
            if (fromOwnDomain({ before: s, event: ev }))
              expect(inv.stepViolationsOf(inv.checksOf(ev.type), s, ev, result, after, Known.OWN_DOMAIN) ?? []).toEqual(expected);
            bad += mine.length;
          }
        s = out.state;
      }
    }
    expect(bad).toBeGreaterThan(0);
  });
});

describe("the fused slot and page rules (compileStep)", () => {
  it("report what the spec's predicates report, in their order, when several fail at once", () => {
    const inv = new InvariantChecker();
    const states = walkStates(8, 60);
    const ruled = new Set(stepInvariants.filter((i) => i.slotRule || i.pageRule).map((i) => i.id));
    let several = 0;
    for (let i = 0; i < states.length; i++) {
      const before = states[i]!,
        after = states[(i * 7 + 13) % states.length]!; // an unrelated state: many slots and pages differ
      for (const event of [randomEvent(before, rng(i + 1)), randomEvent(before, rng(i + 1000))]) {
        const expected = violatedStepInvariants({ before, event, result: ok(), after });
        expect(inv.stepViolations(before, event, ok(), after) ?? []).toEqual(expected);
        if (expected.filter((id) => ruled.has(id)).length >= 2) several++;
      }
    }
    expect(several).toBeGreaterThan(0);
  });
});

/** States of seeded random walks of the spec (every state invariant holds on them). */
function walkStates(seeds: number, length: number): System[] {
  const out: System[] = [];
  for (let seed = 1; seed <= seeds; seed++) {
    const rand = rng(seed);
    let s = initialSystem(defaultConfig);
    for (let i = 0; i < length; i++) {
      s = step(s, randomEvent(s, rand)).state;
      out.push(s);
    }
  }
  return out;
}

/** The `Part` bits a predicate reads of `s`, recorded through proxies (the length of a table is its shape). */
function partsRead(holds: (s: System) => boolean, s: System): number {
  let read = 0;
  const table = (xs: readonly unknown[], part: number, element?: (x: unknown) => unknown) =>
    new Proxy(xs, {
      get(target, key, recv) {
        if (key === "length") read |= Part.SHAPE;
        else read |= part;
        const v = Reflect.get(target, key, recv);
        return element && typeof key === "string" && /^\d+$/.test(key) ? element(v) : v;
      },
    });
  const page = (pg: unknown) =>
    new Proxy(pg as Page, {
      get(target, key, recv) {
        read |= key === "zeroed" ? Part.ZEROED : Part.PAGES;
        return Reflect.get(target, key, recv);
      },
    });
  const slot = (en: unknown) =>
    new Proxy(en as Enclave, {
      get(target, key, recv) {
        read |= enclavePart[key as keyof Enclave] ?? Part.ENCLAVES;
        return Reflect.get(target, key, recv);
      },
    });
  const parts: Record<string, [number, ((x: unknown) => unknown)?]> = {
    harts: [Part.HARTS],
    enclaves: [0, slot], // a slot's reads are its fields'
    pages: [Part.PAGES, page],
    shms: [Part.SHMS],
    secureShms: [Part.SECURE_SHMS],
    relays: [Part.RELAYS],
    servers: [Part.SERVERS],
  };
  const proxy = new Proxy(s, {
    get(target, key, recv) {
      const v = Reflect.get(target, key, recv);
      if (key === "config") {
        read |= Part.SHAPE;
        return v;
      }
      const p = parts[key as string];
      if (!p) throw new Error(`unexpected read of System.${String(key)}`);
      return table(v as unknown[], p[0], p[1]);
    },
  });
  holds(proxy);
  return read;
}

/** The part of each enclave field (invariants.ts `Part`). */
const enclavePart: Record<keyof Enclave, number> = {
  kind: Part.ENCLAVES,
  name: Part.ENCLAVES,
  creator: Part.ENCLAVES,
  measurement: Part.ENCLAVES,
  parent: Part.ENCLAVES,
  state: Part.ENCLAVE_RUN,
  pending: Part.ENCLAVE_RUN,
  pendingPages: Part.ENCLAVE_RUN,
  pendingKey: Part.ENCLAVE_RUN,
  retval: Part.ENCLAVE_RUN,
  memArg: Part.ENCLAVE_RUN,
  caller: Part.ENCLAVE_LINKS,
  callee: Part.ENCLAVE_LINKS,
  relays: Part.ENCLAVE_LINKS,
  shm: Part.ENCLAVE_LINKS,
  callPages: Part.ENCLAVE_LINKS,
  callRelay: Part.ENCLAVE_LINKS,
};
const ENCLAVE_PARTS = Part.ENCLAVES | Part.ENCLAVE_RUN | Part.ENCLAVE_LINKS;

/** `a` with the parts `parts` (Part bits, SHAPE excepted) taken from `b` (same configuration). */
function mix(a: System, b: System, parts: number): System {
  // slots field by field: each field from the state whose part it is
  const enclaves =
    (parts & ENCLAVE_PARTS) === ENCLAVE_PARTS
      ? b.enclaves
      : (parts & ENCLAVE_PARTS) === 0
        ? a.enclaves
        : a.enclaves.map((x, e) => {
            const y = b.enclaves[e]!;
            const out = { ...x } as Record<string, unknown>;
            for (const k of Object.keys(enclavePart) as (keyof Enclave)[]) if (parts & enclavePart[k]) out[k] = y[k];
            return out as unknown as Enclave;
          });
  let pages = a.pages;
  if (parts & Part.PAGES && parts & Part.ZEROED) pages = b.pages;
  else if (parts & Part.PAGES) pages = b.pages.map((pg, p) => ({ ...pg, zeroed: a.pages[p]!.zeroed }));
  else if (parts & Part.ZEROED) pages = a.pages.map((pg, p) => ({ ...pg, zeroed: b.pages[p]!.zeroed }));
  return {
    config: a.config,
    harts: parts & Part.HARTS ? b.harts : a.harts,
    enclaves,
    pages,
    shms: parts & Part.SHMS ? b.shms : a.shms,
    secureShms: parts & Part.SECURE_SHMS ? b.secureShms : a.secureShms,
    relays: parts & Part.RELAYS ? b.relays : a.relays,
    servers: parts & Part.SERVERS ? b.servers : a.servers,
  };
}

describe("incremental state invariants (stateViolationsAfter)", () => {
  const states = walkStates(40, 60);

  it("every spec state invariant has a declared read set, and reads only what it declares", () => {
    for (const inv of stateInvariants) {
      const declared = stateReads.get(inv.holds);
      expect(declared, inv.id).toBeDefined();
      let seen = 0;
      for (const s of states) seen |= partsRead(inv.holds, s);
      expect(seen & ~(declared! | Part.SHAPE), `${inv.id} reads undeclared parts`).toBe(0);
    }
  });

  it("a predicate's verdict does not change when the parts it does not read are another state's", () => {
    let flips = 0;
    for (let i = 0; i + 1 < states.length; i += 3) {
      const a = states[i]!,
        b = states[(i * 7919) % states.length]!;
      for (const inv of stateInvariants) {
        const free = ~stateReads.get(inv.holds)! & (Part.SHAPE - 1);
        expect(inv.holds(mix(a, b, free)), `${inv.id} on state ${i}`).toBe(inv.holds(a));
        // and a part it reads, taken alone from another state, can break it (the check is not vacuous)
        for (let part = 1; part < Part.SHAPE; part <<= 1) if (~free & part && !inv.holds(mix(a, b, part))) flips++;
      }
    }
    expect(flips).toBeGreaterThan(0);
  });

  it("reports exactly what the full check reports, on random transitions of the spec and of every mutant and on mixed states", () => {
    const inv = new InvariantChecker();
    const steps = [step, ...specMutants.map((m) => m.step)];
    const statesOnly = new Set(stepInvariants.filter((x) => x.statesOnly).map((x) => x.id));
    let bad = 0,
      pairBad = 0;
    for (let seed = 1; seed <= 60; seed++) {
      const rand = rng(1000 + seed);
      const f = steps[seed % steps.length]!;
      let s = initialSystem(defaultConfig);
      for (let i = 0; i < 150; i++) {
        const t = f(s, randomEvent(s, rand)).state;
        const full = inv.stateViolations(t);
        expect(inv.stateViolationsAfter(s, t)).toEqual(full);
        bad += full?.length ?? 0;
        s = full ? initialSystem(defaultConfig) : t;
      }
    }
    expect(bad).toBeGreaterThan(0); // the mutants made some invariants fail
    // successors that are arbitrary mixtures of two states (most break some invariant)
    let mixedBad = 0;
    for (let i = 0; i + 1 < states.length; i += 5) {
      const a = states[i]!,
        b = states[(i * 104729) % states.length]!;
      for (const parts of [
        Part.HARTS,
        Part.ENCLAVES,
        Part.ENCLAVE_RUN,
        Part.ENCLAVE_LINKS,
        Part.ENCLAVE_RUN | Part.ENCLAVE_LINKS,
        Part.PAGES,
        Part.ZEROED,
        Part.SHMS | Part.RELAYS,
        Part.SECURE_SHMS | Part.SERVERS,
        Part.SHAPE - 1,
      ]) {
        const t = mix(a, b, parts);
        const full = inv.stateViolations(t);
        expect(inv.stateViolationsAfter(a, t)).toEqual(full);
        mixedBad += full?.length ?? 0;
      }
    }
    expect(mixedBad).toBeGreaterThan(0);
  });
});
