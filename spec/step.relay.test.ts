import { describe, expect, it } from "vitest";
import { defaultConfig } from "../model/config.ts";
import { initialSystem } from "../model/state.ts";
import { Scenario } from "./step/scenario.ts";

// Schrödinger/relay pages (PGL §4.7, seed 003) and the asynchronous pipeline.
function withRelay() {
  const t = new Scenario(initialSystem(defaultConfig));
  const relay = t.must({ type: "host.schrodingerGet", hart: 0, host: 0, pages: [4, 5] });
  const a = t.must({ type: "host.create", hart: 0, host: 0, kind: "normal", name: "A", image: "a", pages: [6], textPages: 0, kbuffer: -1, shm: -1 });
  t.must({ type: "host.setMemArg", hart: 0, host: 0, eid: a, relay });
  t.must({ type: "host.run", hart: 0, host: 0, eid: a, inherit: false });
  return { t, relay, a };
}

describe("relay pages", () => {
  it("are mapped in exactly one domain: the host faults on them while the enclave holds them (OW-6)", () => {
    const { t, relay, a } = withRelay();
    expect(t.state.relays[relay]).toMatchObject({ holder: "enclave", eid: a });
    expect(t.state.enclaves[a]!.relays).toEqual([relay]);
    t.refuse({ type: "adversary.touch", hart: 1, host: 0, page: 4, write: false }, "ACCESS_FAULT");
    t.refuse({ type: "host.schrodingerCtl", hart: 1, host: 0, relay }, "RELAY_UNAVAILABLE");
    t.must({ type: "enclave.access", hart: 0, page: 4, write: true });
  });

  it("go back to the host on OCALL_RETURN_RELAY_PAGE and return to the enclave on re-run", () => {
    const { t, relay, a } = withRelay();
    expect(t.apply({ type: "enclave.returnRelay", hart: 0 }).code).toBe("RETURN_USER_MODE");
    expect(t.state.enclaves[a]!.state).toBe("relayReturned");
    t.must({ type: "adversary.touch", hart: 0, host: 0, page: 4, write: true }); // host edits the page
    t.refuse({ type: "host.ocallReturn", hart: 0, host: 0, eid: a, pages: [] }, "BAD_STATE"); // pending ocall recorded
    t.must({ type: "host.rerun", hart: 0, host: 0, eid: a });
    expect(t.state.relays[relay]!.holder).toBe("enclave");
    expect(t.state.harts[0]).toBe(a);
  });

  it("an enclave holding no relay region cannot hand one back: refused, it goes on running (LC-6)", () => {
    const t = new Scenario(initialSystem(defaultConfig));
    const a = t.must({ type: "host.create", hart: 0, host: 0, kind: "normal", name: "A", image: "a", pages: [6], textPages: 0, kbuffer: -1, shm: -1 });
    t.must({ type: "host.run", hart: 0, host: 0, eid: a, inherit: false });
    t.refuse({ type: "enclave.returnRelay", hart: 0 }, "NO_SUCH_RELAY");
    expect(t.state.enclaves[a]!.state).toBe("running");
    expect(t.state.harts[0]).toBe(a);
  });

  it("split and hand to a named enclave that picks them up when it starts (async pipeline)", () => {
    const { t, relay, a } = withRelay();
    const r2 = t.must({ type: "enclave.splitRelay", hart: 0, relay, at: 1 });
    expect(t.state.relays[r2]!.pages).toEqual([5]);
    t.must({ type: "enclave.asyncCall", hart: 0, name: "B", relay: r2 });
    expect(t.state.relays[r2]).toMatchObject({ holder: "pending", name: "B", eid: -1 });
    expect(t.state.pages[5]!.secure).toBe(true);
    t.refuse({ type: "enclave.asyncCall", hart: 0, name: "C", relay: r2 }, "NOT_OWNER"); // no double transfer
    const b = t.must({ type: "host.create", hart: 1, host: 0, kind: "normal", name: "B", image: "b", pages: [7], textPages: 0, kbuffer: -1, shm: -1 });
    t.must({ type: "host.run", hart: 1, host: 0, eid: b, inherit: true });
    expect(t.state.relays[r2]).toMatchObject({ holder: "enclave", eid: b });
    expect(t.state.enclaves[a]!.relays).toEqual([relay]);
  });

  it("cannot be bound by another host or run when revoked", () => {
    const t = new Scenario(initialSystem(defaultConfig));
    const relay = t.must({ type: "host.schrodingerGet", hart: 0, host: 0, pages: [4] });
    const a = t.must({ type: "host.create", hart: 0, host: 1, kind: "normal", name: "A", image: "a", pages: [6], textPages: 0, kbuffer: -1, shm: -1 });
    t.refuse({ type: "host.setMemArg", hart: 0, host: 1, eid: a, relay }, "NO_SUCH_RELAY");
    const own = t.must({ type: "host.schrodingerGet", hart: 0, host: 1, pages: [8] });
    t.must({ type: "host.setMemArg", hart: 0, host: 1, eid: a, relay: own });
    t.must({ type: "host.schrodingerCtl", hart: 0, host: 1, relay: own });
    t.refuse({ type: "host.run", hart: 0, host: 1, eid: a, inherit: false }, "RELAY_UNAVAILABLE");
  });
});

describe("a stale relay binding (found by the model checker)", () => {
  it("does not hand another host's region, which reused the freed id, to the enclave", () => {
    const t = new Scenario(initialSystem(defaultConfig));
    const a = t.must({ type: "host.create", hart: 0, host: 0, kind: "normal", name: "A", image: "a", pages: [6], textPages: 0, kbuffer: -1, shm: -1 });
    const mine = t.must({ type: "host.schrodingerGet", hart: 0, host: 0, pages: [8] });
    t.must({ type: "host.setMemArg", hart: 0, host: 0, eid: a, relay: mine });
    t.must({ type: "host.schrodingerCtl", hart: 0, host: 0, relay: mine });
    const theirs = t.must({ type: "host.schrodingerGet", hart: 0, host: 1, pages: [9] });
    expect(theirs).toBe(mine); // the id is reused
    t.refuse({ type: "host.run", hart: 0, host: 0, eid: a, inherit: false }, "RELAY_UNAVAILABLE");
  });
});
