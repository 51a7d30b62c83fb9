import { describe, expect, it } from "vitest";
import { defaultConfig } from "../model/config.ts";
import { initialSystem } from "../model/state.ts";
import { Scenario } from "./step/scenario.ts";

// Secure shared memory between enclaves (PGL §4.9) with an owner-controlled attach list.
function twoEnclaves() {
  const t = new Scenario(initialSystem(defaultConfig));
  const h = { hart: 0, host: 0 };
  const a = t.must({ type: "host.create", ...h, kind: "normal", name: "a", image: "a", pages: [5], textPages: 0, kbuffer: -1, shm: -1 });
  const b = t.must({ type: "host.create", ...h, kind: "normal", name: "b", image: "b", pages: [6], textPages: 0, kbuffer: -1, shm: -1 });
  t.must({ type: "host.run", hart: 1, host: 0, eid: b, inherit: false });
  t.must({ type: "host.run", ...h, eid: a, inherit: false });
  t.must({ type: "enclave.shmGet", hart: 0, key: 7, count: 2 });
  t.must({ type: "adversary.touch", ...h, page: 9, write: true }); // the host dirties a page it will donate
  t.must({ type: "host.ocallReturn", ...h, eid: a, pages: [9, 10] });
  return { t, a, b };
}

describe("secure shm between enclaves", () => {
  it("is secured and zeroed, and attached to its owner only", () => {
    const { t, a } = twoEnclaves();
    expect(t.state.secureShms[0]).toMatchObject({ live: true, key: 7, owner: a, attached: [a], pages: [9, 10] });
    expect(t.state.pages[9]).toMatchObject({ owner: "secureShm", secure: true, zeroed: true }); // CS-2
    t.must({ type: "enclave.access", hart: 0, page: 9, write: true });
    t.must({ type: "enclave.exit", hart: 1, retval: 0 });
    t.refuse({ type: "adversary.touch", hart: 1, host: 0, page: 9, write: false }, "ACCESS_FAULT"); // MI-4
  });

  it("lets only enclaves the owner allowed attach; refcount = attached (IPC-5)", () => {
    const { t, a, b } = twoEnclaves();
    t.refuse({ type: "enclave.shmAttach", hart: 1, key: 7 }, "SHM_NOT_ALLOWED");
    expect(t.apply({ type: "enclave.access", hart: 1, page: 9, write: false }).status).toBe("fault"); // b not attached: killed
    const c = t.must({ type: "host.create", hart: 1, host: 0, kind: "normal", name: "c", image: "c", pages: [6], textPages: 0, kbuffer: -1, shm: -1 });
    t.must({ type: "host.run", hart: 1, host: 0, eid: c, inherit: false });
    t.must({ type: "enclave.shmAllow", hart: 0, key: 7, eid: c });
    expect(t.must({ type: "enclave.shmAttach", hart: 1, key: 7 })).toBe(0);
    expect(t.must({ type: "enclave.shmStat", hart: 0, key: 7 })).toBe(2);
    t.must({ type: "enclave.access", hart: 1, page: 10, write: true });
    expect(b).toBe(c); // the killed enclave's slot was reused ...
    expect(t.state.secureShms[0]!.allowed).toEqual([c]); // ... and only the new enclave was allowed
    void a;
  });

  it("is freed, scrubbed, only when destroyed and the last enclave detached (CS-1)", () => {
    const { t, a } = twoEnclaves();
    const c = 1;
    t.must({ type: "enclave.shmAllow", hart: 0, key: 7, eid: c });
    t.must({ type: "enclave.shmAttach", hart: 1, key: 7 });
    t.must({ type: "enclave.access", hart: 0, page: 9, write: true });
    t.must({ type: "enclave.shmDestroy", hart: 0, key: 7 });
    t.refuse({ type: "enclave.shmAttach", hart: 0, key: 7 }, "NO_SUCH_SHM");
    t.must({ type: "enclave.shmDetach", hart: 0, key: 7 });
    expect(t.state.secureShms[0]!.live).toBe(true);
    t.must({ type: "enclave.exit", hart: 1, retval: 0 }); // the last one leaves by exiting
    expect(t.state.secureShms[0]!.live).toBe(false);
    expect(t.state.pages[9]).toMatchObject({ owner: "host", zeroed: true, secure: false });
    void a;
  });

  it("outlives its owner while others are attached", () => {
    const { t, a } = twoEnclaves();
    t.must({ type: "enclave.shmAllow", hart: 0, key: 7, eid: 1 });
    t.must({ type: "enclave.shmAttach", hart: 1, key: 7 });
    t.must({ type: "enclave.exit", hart: 0, retval: 0 });
    expect(t.state.secureShms[0]).toMatchObject({ live: true, owner: -1, destroyPending: true, attached: [1] });
    t.must({ type: "enclave.shmDetach", hart: 1, key: 7 });
    expect(t.state.secureShms[0]!.live).toBe(false);
    void a;
  });
});
