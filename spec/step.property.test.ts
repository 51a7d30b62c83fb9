import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PLATFORM_SBI_EXTENSIONS } from "../model/abi.ts";
import { defaultConfig } from "../model/config.ts";
import { eventSchema, type Event } from "../model/events.ts";
import { fromItf, itfToText, toItf, type RunStep } from "../model/itf.ts";
import { initialSystem, systemSchema, type System } from "../model/state.ts";
import { randomEvent } from "./gen/randomEvent.ts";
import { rng } from "./gen/rng.ts";
import { violatedInvariants } from "./invariants/stateInvariants.ts";
import { violatedStepInvariants } from "./invariants/stepInvariants.ts";
import { step } from "./step.ts";

const init = initialSystem(defaultConfig);

/** A run of `length` events drawn by the state-aware generator from `seed`. */
function runFrom(seed: number, length: number): RunStep[] {
  const rand = rng(seed);
  let s: System = init;
  const steps: RunStep[] = [];
  for (let i = 0; i < length; i++) {
    const event = randomEvent(s, rand);
    const { state, result } = step(s, event);
    steps.push({ event, result, system: state });
    s = state;
  }
  return steps;
}

// Arbitrary events straight from the model's vocabulary: small ids, some out of range.
const id = fc.integer({ min: -2, max: 33 });
const arbEvent: fc.Arbitrary<Event> = fc
  .record({
    type: fc.constantFrom(...eventSchema.options.map((o) => o.shape.type.value)),
    hart: fc.integer({ min: -1, max: 2 }), host: fc.integer({ min: 0, max: 2 }), eid: id, kind: fc.constantFrom("normal", "server", "shadow"),
    name: fc.constantFrom("", "caller", "test-server", "worker"), image: fc.constantFrom("a", "b"), pages: fc.array(id, { maxLength: 3 }),
    textPages: fc.integer({ min: -1, max: 3 }), shm: id, shadow: id, inherit: fc.boolean(), reason: fc.constantFrom("timer", "stop"),
    nonce: fc.nat(99), relay: id, retval: fc.nat(9), count: fc.integer({ min: -1, max: 3 }), delta: fc.integer({ min: -2, max: 2 }),
    server: id, reqPages: fc.array(id, { maxLength: 2 }), reqRelay: id, respPages: fc.array(id, { maxLength: 2 }), value: fc.nat(9),
    at: fc.integer({ min: -1, max: 3 }), keyType: fc.integer({ min: -1, max: 3 }), page: id, write: fc.boolean(), dest: id, target: id,
    mode: fc.constantFrom("one", "memset", "memcpy", "batchZero", "batchSet"),
    entries: fc.array(fc.record({ target: id, valid: fc.boolean(), leaf: fc.boolean() }), { maxLength: 2 }),
    pmd: id, pte: id, size: fc.integer({ min: -1, max: 5000 }), root: id, key: fc.integer({ min: 0, max: 3 }), kbuffer: id, fid: fc.integer({ min: 75, max: 105 }), args: fc.array(fc.nat(), { maxLength: 2 }),
    report: fc.option(id, { nil: undefined }), ext: fc.constantFrom(...PLATFORM_SBI_EXTENSIONS),
  })
  .map((raw) => eventSchema.parse(raw)); // zod strips the fields this event type does not have

describe("step over random event sequences", () => {
  it("keeps every state and step invariant in every reached state (generated runs)", () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        let before = init;
        for (const st of runFrom(seed, 300)) {
          expect(violatedInvariants(st.system)).toEqual([]);
          expect(violatedStepInvariants({ before, event: st.event, result: st.result, after: st.system })).toEqual([]);
          before = st.system;
        }
      }),
      { numRuns: 60 },
    );
  });

  it("keeps the invariants under arbitrary, mostly malformed events from the model's vocabulary", () => {
    fc.assert(
      fc.property(fc.integer(), fc.array(arbEvent, { maxLength: 60 }), (seed, noise) => {
        // a generated prefix reaches interesting states; the arbitrary events hit every refusal path
        let s = runFrom(seed, 40).at(-1)!.system;
        for (const ev of noise) {
          const { state, result } = step(s, ev);
          expect(violatedInvariants(state)).toEqual([]);
          expect(violatedStepInvariants({ before: s, event: ev, result, after: state })).toEqual([]);
          s = state;
        }
      }),
      { numRuns: 150 },
    );
  });

  it("changes nothing when an event fails (LC-6): the very same state object comes back", () => {
    fc.assert(
      fc.property(fc.integer(), fc.array(arbEvent, { minLength: 1, maxLength: 30 }), (seed, evs) => {
        let s = runFrom(seed, 30).at(-1)!.system;
        for (const ev of evs) {
          const snapshot = JSON.stringify(s);
          const { state, result } = step(s, ev);
          if (result.status === "error") expect(state).toBe(s);
          expect(JSON.stringify(s)).toBe(snapshot); // the input is never mutated
          s = state;
        }
      }),
      { numRuns: 150 },
    );
  });

  it("is deterministic: the same events from the same state give the same states and results", () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const a = runFrom(seed, 200);
        let s = init;
        for (const st of a) {
          const again = step(s, st.event);
          expect(again.result).toEqual(st.result);
          expect(again.state).toEqual(st.system);
          s = again.state;
        }
      }),
      { numRuns: 40 },
    );
  });

  it("reaches states that round-trip through zod and through ITF unchanged", () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const steps = runFrom(seed, 100);
        for (const st of steps) expect(systemSchema.parse(st.system)).toEqual(st.system);
        const trace = toItf(init, steps);
        const back = fromItf(itfToText(trace));
        expect(back).toEqual(trace);
        expect(back.states.at(-1)!.system).toEqual(steps.at(-1)!.system);
      }),
      { numRuns: 12 },
    );
  });

  it("generates runs that actually exercise the system (not just refusals)", () => {
    const steps = runFrom(7, 20000);
    const accepted = new Set(steps.filter((s) => s.result.status !== "error").map((s) => s.event.type));
    for (const t of ["host.create", "host.run", "host.fork", "enclave.callServer", "enclave.serverReturn", "host.ocallReturn", "enclave.exit", "host.destroy",
      "enclave.shmGet", "enclave.shmAttach", "enclave.asyncCall", "host.rerun", "enclave.splitRelay"])
      expect(accepted).toContain(t);
    expect(steps.some((s) => s.result.status === "fault")).toBe(true);
  });
});
