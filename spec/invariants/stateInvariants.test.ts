import { describe, expect, it } from "vitest";
import { defaultConfig } from "../../model/config.ts";
import { initialSystem, type System } from "../../model/state.ts";
import { randomEvent } from "../gen/randomEvent.ts";
import { rng } from "../gen/rng.ts";
import { step } from "../step.ts";
import { Scenario } from "../step/scenario.ts";
import { stateInvariants, violatedInvariants } from "./stateInvariants.ts";

/** A reachable state with a server call in flight, a relay region, a shm segment, a shadow and an instance. */
function rich(): System {
  const t = new Scenario(initialSystem({ ...defaultConfig, enclaves: 5 }));
  const h = { hart: 0, host: 0 };
  const srv = t.must({ type: "host.create", ...h, kind: "server", name: "srv", image: "s", pages: [4], textPages: 0, kbuffer: -1, shm: -1 });
  const shm = t.must({ type: "host.shmget", ...h, pages: [5] });
  const relay = t.must({ type: "host.schrodingerGet", ...h, pages: [6, 7] });
  const c = t.must({ type: "host.create", ...h, kind: "normal", name: "c", image: "c", pages: [8, 9], textPages: 0, shm, kbuffer: 14 });
  t.must({ type: "host.setMemArg", ...h, eid: c, relay });
  const sh = t.must({ type: "host.create", ...h, kind: "shadow", name: "", image: "f", pages: [10, 11], textPages: 1, kbuffer: -1, shm: -1 });
  t.must({ type: "host.fork", hart: 1, host: 0, shadow: sh, name: "i", pages: [12, 13], kbuffer: -1 });
  t.must({ type: "host.run", ...h, eid: c, inherit: false });
  t.must({ type: "enclave.callServer", hart: 0, server: srv, reqPages: [9], reqRelay: -1 });
  return t.state;
}

type Breaker = (s: System) => System;
const setPage = (s: System, p: number, patch: Partial<System["pages"][number]>): System =>
  ({ ...s, pages: s.pages.map((x, i) => (i === p ? { ...x, ...patch } : x)) });
const setEnclave = (s: System, e: number, patch: Partial<System["enclaves"][number]>): System =>
  ({ ...s, enclaves: s.enclaves.map((x, i) => (i === e ? { ...x, ...patch } : x)) });

// eids in rich(): 0 server, 1 caller, 2 shadow, 3 instance
const breakers: Record<string, Breaker> = {
  "MI-2": (s) => ({ ...s, shms: s.shms.map((k, i) => (i === 0 ? { ...k, pages: [...k.pages, 20] } : k)) }),
  "MI-3": (s) => setPage(s, 0, { owner: "host", secure: false }),
  "OW-1": (s) => setPage(s, 8, { secure: false }),
  "OW-2": (s) => setPage(s, 20, { owner: "enclave", id: 4, secure: true }),
  "OW-3": (s) => setEnclave(s, 1, { relays: [] }),
  "OW-4": (s) => setPage(s, 20, { owner: "shadowRO", id: 1, secure: true }),
  "OW-6": (s) => ({ ...s, relays: s.relays.map((r, i) => (i === 0 ? { ...r, holder: "host" as const, eid: -1 } : r)) }),
  "LC-4": (s) => ({ ...s, harts: [2, s.harts[1]!] }),
  "LC-5": (s) => ({ ...s, harts: [3, 3] }),
  "IPC-1": (s) => setEnclave(s, 0, { caller: -1 }),
  "IPC-2": (s) => setEnclave(setEnclave(s, 0, { callee: 1, state: "blocked" }), 1, { caller: 0 }),
  "IPC-5": (s) => setPage(s, 5, { secure: true, owner: "shm" }),
  "IPC-6": (s) => setEnclave(s, 3, { parent: 3 }),
  // a secure shm attached by an enclave its owner never allowed (the ACL the original lacks)
  "IPC-5 (secure)": (s) => ({
    ...setPage(s, 20, { owner: "secureShm", id: 0, secure: true }),
    secureShms: s.secureShms.map((k, i) => (i === 0 ? { ...k, live: true, key: 1, owner: 1, pages: [20], attached: [3] } : k)),
  }),
  "AT-2": (s) => setEnclave(s, 1, { measurement: "" }),
  "AT-6": (s) => setEnclave(s, 3, { measurement: "other" }),
  "SRV-1": (s) => ({ ...s, servers: [] }),
};

describe("state invariants", () => {
  const s = rich();
  it("all hold in the initial state and in a rich reachable state", () => {
    expect(violatedInvariants(initialSystem(defaultConfig))).toEqual([]);
    expect(violatedInvariants(s)).toEqual([]);
  });
  it("cover at least the ids issue 4 asks for", () => {
    const ids = stateInvariants.map((i) => i.id);
    for (const id of ["MI-2", "MI-3", "OW-1", "OW-2", "OW-3", "OW-4", "OW-6", "LC-4", "LC-5", "IPC-1", "IPC-2", "IPC-5", "IPC-6", "AT-2", "AT-6"])
      expect(ids).toContain(id);
  });
  for (const [id, breakState] of Object.entries(breakers))
    it(`${id} is reported for a state that breaks it`, () => {
      expect(violatedInvariants(breakState(s))).toContain(id.split(" ")[0]);
    });
});

describe("state invariants given by a rule on each page or slot", () => {
  // states of random walks (all hold) and the broken rich states (some fail)
  const states: System[] = [];
  for (let seed = 1; seed <= 10; seed++) {
    const rand = rng(seed);
    let s = initialSystem({ ...defaultConfig, enclaves: 5 });
    for (let i = 0; i < 60; i++) states.push((s = step(s, randomEvent(s, rand)).state));
  }
  const broken = Object.values(breakers).map((b) => b(rich()));
  const ruled = stateInvariants.filter((i) => i.pageRule || i.slotRule);
  const elements = (inv: (typeof ruled)[number], s: System) => (inv.pageRule ? s.pages : s.enclaves);
  const rule = (inv: (typeof ruled)[number]) => (inv.pageRule ?? inv.slotRule) as (x: unknown, i: number, s: System) => boolean;

  it("hold iff the rule holds for every page or slot", () => {
    expect(ruled.map((i) => i.id)).toEqual(["MI-3", "OW-1", "AT-2"]);
    let failing = 0;
    for (const inv of ruled)
      for (const s of [...states, ...broken]) {
        const byRule = (elements(inv, s) as unknown[]).every((x, i) => rule(inv)(x, i, s));
        expect(inv.holds(s), inv.id).toBe(byRule);
        if (!byRule) failing++;
      }
    expect(failing).toBeGreaterThan(0);
  });
  it("fail when the rule fails at any one page or slot", () => {
    const s = rich();
    for (const inv of ruled) {
      const pool = [...states, ...broken].flatMap((x) => elements(inv, x) as unknown[]);
      elements(inv, s).forEach((_, i) => {
        const bad = pool.find((x) => !rule(inv)(x, i, s));
        if (bad === undefined) return; // no page or slot of any state breaks the rule here
        const table = inv.pageRule ? "pages" : "enclaves";
        const t = { ...s, [table]: (s[table] as unknown[]).map((x, j) => (j === i ? bad : x)) } as System;
        expect(inv.holds(t), `${inv.id} at ${i}`).toBe(false);
      });
    }
  });
  it("a rule reads its page or slot and the state's shape only: another state of the configuration gives the same verdict", () => {
    for (const inv of ruled)
      for (const s of [...states.slice(0, 200), ...broken]) {
        const other = states[(states.indexOf(s) * 31 + 7 + states.length) % states.length]!;
        (elements(inv, s) as unknown[]).forEach((x, i) => expect(rule(inv)(x, i, other), inv.id).toBe(rule(inv)(x, i, s)));
      }
  });
});

