import { describe, expect, it } from "vitest";
import { defaultConfig } from "../../model/config.ts";
import { eventTypes, type Event } from "../../model/events.ts";
import { err, fault, ok } from "../../model/result.ts";
import { HOST, initialSystem, type System } from "../../model/state.ts";
import { randomEvent } from "../gen/randomEvent.ts";
import { rng } from "../gen/rng.ts";
import { step } from "../step.ts";
import { fromOwnDomain, idsInRange, sp3IdsRangeChecked, stepInvariants, violatedStepInvariants, type StepInvariant, type Transition } from "./stepInvariants.ts";

const s0 = initialSystem(defaultConfig);
const create: Event = {
  type: "host.create",
  hart: 0,
  host: 0,
  kind: "normal",
  name: "a",
  image: "img",
  pages: [4, 5],
  textPages: 0,
  kbuffer: -1,
  shm: -1,
};
const s1 = step(s0, create).state;
const run: Event = { type: "host.run", hart: 0, host: 0, eid: 0, inherit: false };
const s2 = step(s1, run).state;
const exit: Event = { type: "enclave.exit", hart: 0, retval: 0 };

const setPage = (s: System, p: number, patch: Partial<System["pages"][number]>): System => ({
  ...s,
  pages: s.pages.map((x, i) => (i === p ? { ...x, ...patch } : x)),
});

describe("step invariants", () => {
  it("hold for real steps", () => {
    for (const [before, event] of [
      [s0, create],
      [s1, run],
      [s2, exit],
    ] as const) {
      const { state, result } = step(before, event);
      expect(violatedStepInvariants({ before, event, result, after: state })).toEqual([]);
    }
  });
  it("cover CS-1, CS-2, AT-2, LC-6, OW-5 and LC-1", () => {
    expect(stepInvariants.map((i) => i.id)).toEqual(
      expect.arrayContaining(["CS-1", "CS-2", "AT-2", "LC-6", "OW-5", "LC-1", "LC-3"]),
    );
  });
  const exitAfter = step(s2, exit).state;
  const cases: Record<string, Transition> = {
    "LC-6": { before: s1, event: run, result: err("NOT_CREATOR"), after: s2 },
    "CS-1": { before: s2, event: exit, result: ok(), after: setPage(exitAfter, 4, { zeroed: false }) },
    "CS-2": {
      before: s2,
      event: { type: "host.ocallReturn", hart: 0, host: 0, eid: 0, pages: [6] },
      result: ok(),
      after: setPage(s2, 6, { owner: "enclave", id: 0, secure: true, zeroed: false }),
    },
    "AT-2": {
      before: s2,
      event: { type: "host.attest", hart: 0, host: 0, eid: 0, nonce: 1 },
      result: ok(),
      after: { ...s2, enclaves: s2.enclaves.map((e, i) => (i === 0 ? { ...e, measurement: "changed" } : e)) },
    },
    "OW-5": { before: s1, event: run, result: ok(), after: setPage(s1, 0, { owner: "host", secure: false }) },
    "LC-1": {
      before: s1,
      event: run,
      result: ok(),
      after: { ...s1, enclaves: s1.enclaves.map((e, i) => (i === 0 ? { ...e, state: "stopped" as const } : e)) },
    },
    "LC-3": { before: s2, event: { type: "host.destroy", hart: 0, host: 0, eid: 0 }, result: ok(), after: s2 },
    "MI-1": { before: s2, event: { type: "enclave.access", hart: 0, page: 20, write: false }, result: ok(), after: s2 },
    "MI-4": { before: s2, event: { type: "adversary.touch", hart: 1, host: 0, page: 4, write: false }, result: ok(), after: s2 },
    "LC-2": { before: s2, event: run, result: ok(), after: s2 },
    "LC-7": { before: s2, event: { type: "host.destroy", hart: 1, host: 0, eid: 0 }, result: ok(), after: s2 },
    "IPC-1": {
      before: s2,
      event: { type: "enclave.callServer", hart: 0, server: 1, reqPages: [], reqRelay: -1 },
      result: ok(),
      after: s2,
    },
    "IPC-4": { before: s2, event: { type: "enclave.getCallerId", hart: 0 }, result: ok("SUCCESS", 3), after: s2 },
    "IPC-3": { before: s2, event: { type: "enclave.serverReturn", hart: 0, respPages: [20], value: 0 }, result: ok(), after: s2 },
    "SP-3": { before: s2, event: { type: "host.attest", hart: 1, host: 0, eid: 9, nonce: 1 }, result: ok(), after: s2 },
    "AT-4": { before: s2, event: { type: "host.attest", hart: 1, host: 0, eid: 0, nonce: 1 }, result: ok(), after: s2 },
  };
  for (const [id, t] of Object.entries(cases))
    it(`${id} is reported for a transition that breaks it`, () => {
      expect(violatedStepInvariants(t)).toContain(id);
    });

  it("SP-3 reads every id field of every event type that has one, against its own table", () => {
    const c = s2.config;
    const accepted = (event: Event) => sp3IdsRangeChecked({ before: s2, event, result: ok(), after: s2 });
    const outside: Event[] = [
      { type: "host.fork", hart: 1, host: 0, shadow: c.enclaves, name: "x", pages: [], kbuffer: -1 },
      { type: "enclave.callServer", hart: 0, server: c.enclaves, reqPages: [], reqRelay: -1 },
      { type: "host.shmat", hart: 1, host: 0, shm: c.shms },
      { type: "host.schrodingerAt", hart: 1, host: 0, relay: c.relays },
      { type: "adversary.touch", hart: 1, host: 0, page: c.pages, write: false },
      { type: "host.memoryExtend", hart: 1, host: 0, pages: [0, c.pages] },
      { type: "host.shmget", hart: 1, host: 0, pages: [-2] },
    ];
    for (const event of outside) expect(accepted(event), event.type).toBe(false);
    // in range (and NONE where an id is optional): no objection
    expect(accepted({ type: "host.shmat", hart: 1, host: 0, shm: c.shms - 1 })).toBe(true);
    expect(accepted({ type: "host.memoryExtend", hart: 1, host: 0, pages: [0, c.pages - 1] })).toBe(true);
    expect(accepted({ type: "host.create", hart: 1, host: 0, kind: "normal", name: "", image: "i", pages: [0], textPages: 0, shm: -1, kbuffer: -1 })).toBe(true);
  });
});

describe("the declared forms of the step invariants", () => {
  // states and events of random walks; each transition is also paired with an unrelated after-state
  const samples: { before: System; event: Event; other: System }[] = [];
  for (let seed = 1; seed <= 20; seed++) {
    const rand = rng(seed);
    let s = initialSystem(defaultConfig);
    for (let i = 0; i < 100; i++) {
      const event = randomEvent(s, rand);
      const next = step(s, event).state;
      samples.push({ before: s, event, other: samples.length ? samples[Math.floor(rand() * samples.length)]!.before : next });
      s = next;
    }
  }
  const results = [ok(), ok("SUCCESS", 1), err("BAD_STATE"), err("WRONG_DOMAIN"), fault()];
  // the walks' events, and each with its ids pushed out of range (what malformed calls look like)
  const far = (event: Event, c: System["config"]): Event => {
    const e = { ...event } as Record<string, unknown>;
    for (const [f, n] of [["eid", c.enclaves], ["shadow", c.enclaves], ["server", c.enclaves], ["shm", c.shms], ["relay", c.relays], ["page", c.pages]] as const)
      if (f in e) e[f] = n;
    if (Array.isArray(e.pages)) e.pages = [c.pages];
    return e as unknown as Event;
  };
  const withFar = [...samples, ...samples.map((x) => ({ ...x, event: far(x.event, x.before.config) }))];

  it("a frame invariant holds whenever the after-state is the before-state itself", () => {
    for (const inv of stepInvariants.filter((i) => i.frame))
      for (const { before, event } of samples)
        for (const result of results) expect(inv.holds({ before, event, result, after: before }), inv.id).toBe(true);
  });
  it("a statesOnly invariant gives every event and result of a state pair the verdict it gives one of them", () => {
    let failing = 0;
    const differing: string[] = [];
    for (const inv of stepInvariants.filter((i) => i.statesOnly))
      for (const { before, event, other } of withFar)
        for (const after of [step(before, event).state, other]) {
          const verdict = inv.holds({ before, event, result: results[0]!, after });
          if (!verdict) failing++;
          for (const { event: e } of [{ event }, ...samples.slice(0, 6)])
            for (const result of results) if (inv.holds({ before, event: e, result, after }) !== verdict) differing.push(`${inv.id} ${e.type}`);
        }
    expect(differing).toEqual([]);
    expect(failing).toBeGreaterThan(0); // the unrelated after-states break some of them
  });
  it("a vacuousOnError invariant holds whenever the result is an error, whatever the after-state", () => {
    for (const inv of stepInvariants.filter((i) => i.vacuousOnError))
      for (const { before, event, other } of samples)
        for (const result of results.filter((r) => r.status === "error")) {
          expect(inv.holds({ before, event, result, after: other }), inv.id).toBe(true);
          expect(inv.holds({ before, event, result, after: before }), inv.id).toBe(true);
        }
  });
  it("an invariant declaring its events holds for every event of another type, whatever the result and after-state", () => {
    let checked = 0;
    for (const inv of stepInvariants.filter((i) => i.events))
      for (const { before, event, other } of samples) {
        if (inv.events!.includes(event.type)) continue;
        for (const result of results) {
          expect(inv.holds({ before, event, result, after: other }), inv.id).toBe(true);
          expect(inv.holds({ before, event, result, after: before }), inv.id).toBe(true);
          checked++;
        }
      }
    expect(checked).toBeGreaterThan(0);
  });
  /**
   * Every invariant of the declared form holds on each sample `applies` accepts, whatever the result
   * and after-state; returns how many samples it accepted and how many it did not.
   */
  const holdsWhere = (form: (i: StepInvariant) => boolean | undefined, applies: (before: System, event: Event) => boolean) => {
    let yes = 0,
      no = 0;
    for (const { before, event, other } of withFar) {
      if (!applies(before, event)) {
        no++;
        continue;
      }
      yes++;
      for (const inv of stepInvariants.filter(form))
        for (const result of results) {
          expect(inv.holds({ before, event, result, after: other }), inv.id).toBe(true);
          expect(inv.holds({ before, event, result, after: before }), inv.id).toBe(true);
        }
    }
    return [yes, no];
  };
  it("a wrongDomainOnly invariant holds for every event from its own domain, whatever the result and after-state", () => {
    const [own, wrong] = holdsWhere((i) => i.wrongDomainOnly, (before, event) => fromOwnDomain({ before, event }));
    expect(own).toBeGreaterThan(0);
    expect(wrong).toBeGreaterThan(0);
    // and the domain test itself: a host call from a hart running an enclave is not from its own domain
    const running = samples.find(({ before }) => before.harts.some((e) => e !== HOST))!.before;
    const h = running.harts.findIndex((e) => e !== HOST);
    expect(fromOwnDomain({ before: running, event: { type: "host.destroy", hart: h, host: 0, eid: 0 } })).toBe(false);
    expect(fromOwnDomain({ before: running, event: { type: "enclave.yield", hart: h } })).toBe(true);
    expect(fromOwnDomain({ before: running, event: { type: "env.timer", hart: h } })).toBe(true);
    expect(fromOwnDomain({ before: running, event: { type: "env.timer", hart: running.harts.length } })).toBe(false);
  });
  it("an outOfRangeOnly invariant holds for every event whose ids are all in range, whatever the result and after-state", () => {
    const [inside, outside] = holdsWhere((i) => i.outOfRangeOnly, (before, event) => idsInRange(event, before.config));
    expect(inside).toBeGreaterThan(0);
    expect(outside).toBeGreaterThan(0);
    // and the range test itself: an id one past its table is out of range, NONE where optional is not
    const c = samples[0]!.before.config;
    expect(idsInRange({ type: "host.destroy", hart: 0, host: 0, eid: c.enclaves }, c)).toBe(false);
    expect(idsInRange({ type: "host.destroy", hart: 0, host: 0, eid: c.enclaves - 1 }, c)).toBe(true);
    expect(idsInRange({ type: "host.memoryExtend", hart: 0, host: 0, pages: [0, c.pages] }, c)).toBe(false);
    expect(idsInRange({ type: "enclave.callServer", hart: 0, server: 0, reqPages: [], reqRelay: -1 }, c)).toBe(true);
  });
  it("an invariant with a slot or page rule holds iff its rule holds for every slot or page the step changed", () => {
    const ruled = stepInvariants.filter((i) => i.slotRule || i.pageRule);
    expect(ruled.map((i) => i.id)).toEqual(["LC-1", "OW-5", "CS-1", "CS-2", "AT-2"]);
    let failing = 0;
    for (const inv of ruled)
      for (const { before, event, other } of samples)
        for (const after of [step(before, event).state, other]) {
          const t = { before, event, result: results[0]!, after };
          // the rule over the changed elements, written out here (not through everyChangedSlot/Page)
          const [bs, as] = inv.slotRule ? [before.enclaves, after.enclaves] : [before.pages, after.pages];
          const rule = (inv.slotRule ?? inv.pageRule) as (b: unknown, a: unknown, t: Transition) => boolean;
          const byRule = bs.every((b, k) => as[k] === b || rule(b, as[k], t));
          expect(inv.holds(t), inv.id).toBe(byRule);
          if (!byRule) failing++;
        }
    expect(failing).toBeGreaterThan(0); // the unrelated after-states break some of them
  });
  it("the declared event types exist", () => {
    for (const inv of stepInvariants) for (const type of inv.events ?? []) expect(eventTypes, inv.id).toContain(type);
  });
});
