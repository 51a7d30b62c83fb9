import { describe, expect, it } from "vitest";
import { defaultConfig } from "../model/config.ts";
import { HOST, initialSystem } from "../model/state.ts";
import { Scenario } from "./step/scenario.ts";

function created() {
  const t = new Scenario(initialSystem(defaultConfig));
  const e = t.must({ type: "host.create", hart: 0, host: 0, kind: "normal", name: "hello", image: "hello", pages: [4, 5], textPages: 0, kbuffer: -1, shm: -1 });
  return { t, e };
}

describe("normal enclaves (PGL §3.1, §3.2, §6)", () => {
  it("create: pages become private to the new eid and the measurement is the image's", () => {
    const { t, e } = created();
    expect(e).toBe(0);
    expect(t.state.enclaves[e]).toMatchObject({ kind: "normal", state: "fresh", creator: 0, measurement: "hello" });
    expect(t.state.pages[4]).toMatchObject({ owner: "enclave", id: e, secure: true });
  });

  it("run, timer, resume, exit: the hart switches domains and the exit value reaches the host", () => {
    const { t, e } = created();
    t.must({ type: "host.run", hart: 1, host: 0, eid: e, inherit: false });
    expect(t.state.harts).toEqual([HOST, e]);
    expect(t.apply({ type: "env.timer", hart: 1 }).code).toBe("TIMER_IRQ");
    expect(t.state.enclaves[e]!.state).toBe("runnable");
    t.must({ type: "host.resume", hart: 0, host: 0, eid: e, reason: "timer" }); // any host hart may resume it
    expect(t.state.harts).toEqual([e, HOST]);
    expect(t.apply({ type: "enclave.yield", hart: 0 }).code).toBe("YIELD");
    t.must({ type: "host.resume", hart: 0, host: 0, eid: e, reason: "timer" }); // yield is resumable (design.md)
    expect(t.must({ type: "enclave.exit", hart: 0, retval: 42 })).toBe(42);
    expect(t.state.enclaves[e]!.kind).toBe("none");
    expect(t.state.pages[4]).toMatchObject({ owner: "host", zeroed: true, secure: false });
  });

  it("stop and wake: a stopped enclave is not resumed until woken; a running one is stopped on its hart", () => {
    const { t, e } = created();
    t.must({ type: "host.run", hart: 1, host: 0, eid: e, inherit: false });
    t.must({ type: "host.stop", hart: 0, host: 0, eid: e });
    expect(t.state.harts[1]).toBe(HOST);
    t.refuse({ type: "host.resume", hart: 0, host: 0, eid: e, reason: "timer" }, "BAD_STATE");
    t.must({ type: "host.attest", hart: 0, host: 0, eid: e, nonce: 3 });
    t.must({ type: "host.resume", hart: 0, host: 0, eid: e, reason: "stop" });
    t.must({ type: "host.resume", hart: 0, host: 0, eid: e, reason: "timer" });
    expect(t.state.enclaves[e]!.state).toBe("running");
  });

  it("ocalls: the monitor records the pending ocall; mmap gets zeroed pages, unmap and sbrk give pages back scrubbed", () => {
    const { t, e } = created();
    t.must({ type: "host.run", hart: 0, host: 0, eid: e, inherit: false });
    expect(t.apply({ type: "enclave.print", hart: 0 })).toMatchObject({ code: "OCALL", value: 3 });
    t.refuse({ type: "host.ocallReturn", hart: 0, host: 0, eid: e, pages: [6] }, "OCALL_PAGES_INVALID");
    t.must({ type: "host.ocallReturn", hart: 0, host: 0, eid: e, pages: [] });
    t.must({ type: "enclave.mmap", hart: 0, count: 2 });
    expect(t.state.enclaves[e]).toMatchObject({ state: "ocalling", pending: "mmap", pendingPages: 2 });
    t.must({ type: "adversary.touch", hart: 0, host: 0, page: 6, write: true }); // host dirties the page it will donate
    t.refuse({ type: "host.ocallReturn", hart: 0, host: 0, eid: e, pages: [6] }, "OCALL_PAGES_INVALID");
    t.refuse({ type: "host.ocallReturn", hart: 0, host: 0, eid: e, pages: [6, 0] }, "OCALL_PAGES_INVALID");
    t.refuse({ type: "host.ocallReturn", hart: 0, host: 1, eid: e, pages: [6, 7] }, "NOT_CREATOR");
    t.must({ type: "host.ocallReturn", hart: 0, host: 0, eid: e, pages: [6, 7] });
    expect(t.state.pages[6]).toMatchObject({ owner: "enclave", id: e, zeroed: true }); // CS-2
    t.must({ type: "enclave.access", hart: 0, page: 6, write: true });
    t.must({ type: "enclave.unmap", hart: 0, pages: [6] });
    expect(t.state.pages[6]).toMatchObject({ owner: "host", zeroed: true });
    t.must({ type: "host.ocallReturn", hart: 0, host: 0, eid: e, pages: [] });
    expect(t.must({ type: "enclave.sbrk", hart: 0, delta: 0, pages: [] })).toBe(0); // no exit
    t.must({ type: "enclave.sbrk", hart: 0, delta: -1, pages: [7] });
    t.must({ type: "host.ocallReturn", hart: 0, host: 0, eid: e, pages: [] });
    t.must({ type: "enclave.sbrk", hart: 0, delta: 1, pages: [] });
    t.must({ type: "host.ocallReturn", hart: 0, host: 0, eid: e, pages: [9] });
    expect(t.state.pages[9]!.id).toBe(e);
  });

  it("lend a kbuffer window: public, shared with the host, never securable while lent (M17)", () => {
    const t = new Scenario(initialSystem(defaultConfig));
    const e = t.must({ type: "host.create", hart: 0, host: 0, kind: "normal", name: "k", image: "k", pages: [4], textPages: 0, shm: -1, kbuffer: 12 });
    expect(t.state.pages[12]).toMatchObject({ owner: "kbuffer", id: e, secure: false });
    t.refuse({ type: "host.create", hart: 0, host: 0, kind: "normal", name: "x", image: "x", pages: [12], textPages: 0, shm: -1, kbuffer: -1 }, "PAGES_NOT_AVAILABLE");
    t.refuse({ type: "host.create", hart: 0, host: 0, kind: "normal", name: "x", image: "x", pages: [5], textPages: 0, shm: -1, kbuffer: 4 }, "PAGES_NOT_AVAILABLE");
    t.refuse({ type: "host.create", hart: 0, host: 0, kind: "normal", name: "x", image: "x", pages: [5], textPages: 0, shm: -1, kbuffer: 5 }, "INVALID_ARGUMENT");
    t.must({ type: "host.run", hart: 0, host: 0, eid: e, inherit: false });
    t.must({ type: "enclave.access", hart: 0, page: 12, write: true }); // eapp_print formats into it
    t.must({ type: "adversary.touch", hart: 1, host: 0, page: 12, write: false }); // and the host reads it
    t.must({ type: "enclave.exit", hart: 0, retval: 0 });
    expect(t.state.pages[12]).toMatchObject({ owner: "host", id: -1, zeroed: false });
  });

  it("answer ids and keys without changing state", () => {
    const { t, e } = created();
    t.must({ type: "host.run", hart: 0, host: 0, eid: e, inherit: false });
    const before = t.state;
    expect(t.must({ type: "enclave.getEnclaveId", hart: 0 })).toBe(e);
    t.must({ type: "enclave.getKey", hart: 0, keyType: 0 });
    t.refuse({ type: "enclave.getKey", hart: 0, keyType: 2 }, "INVALID_KEY_TYPE");
    t.refuse({ type: "enclave.getCallerId", hart: 0 }, "NO_CALLER");
    t.must({ type: "enclave.getReport", hart: 0, name: "", nonce: 9 });
    expect(t.state).toBe(before);
  });

  it("are bound to the host that created them (M08)", () => {
    const { t, e } = created();
    for (const ev of [
      { type: "host.run", hart: 0, host: 1, eid: e, inherit: false },
      { type: "host.attest", hart: 0, host: 1, eid: e, nonce: 0 },
      { type: "host.destroy", hart: 0, host: 1, eid: e },
    ] as const) t.refuse(ev, "NOT_CREATOR");
  });

  it("attach a host shm segment, which cannot be revoked while attached (IPC-5)", () => {
    const t = new Scenario(initialSystem(defaultConfig));
    const k = t.must({ type: "host.shmget", hart: 0, host: 0, pages: [10, 11] });
    t.must({ type: "host.shmat", hart: 0, host: 0, shm: k });
    t.refuse({ type: "host.shmat", hart: 0, host: 0, shm: k }, "BAD_STATE");
    const e = t.must({ type: "host.create", hart: 0, host: 0, kind: "normal", name: "a", image: "a", pages: [4], textPages: 0, kbuffer: -1, shm: k });
    const f = t.must({ type: "host.create", hart: 0, host: 0, kind: "normal", name: "b", image: "b", pages: [5], textPages: 0, kbuffer: -1, shm: k });
    expect(t.state.shms[k]!.enclaves).toEqual([e, f]);
    t.refuse({ type: "host.shmctl", hart: 0, host: 0, shm: k }, "SHM_IN_USE");
    t.refuse({ type: "host.create", hart: 0, host: 1, kind: "normal", name: "c", image: "c", pages: [6], textPages: 0, kbuffer: -1, shm: k }, "NO_SUCH_SHM");
    t.must({ type: "host.run", hart: 0, host: 0, eid: e, inherit: false });
    t.must({ type: "enclave.access", hart: 0, page: 10, write: true });
    t.must({ type: "enclave.exit", hart: 0, retval: 0 });
    t.must({ type: "adversary.touch", hart: 0, host: 0, page: 10, write: false }); // shared with the host by design
    t.must({ type: "host.destroy", hart: 0, host: 0, eid: f });
    t.must({ type: "host.shmdt", hart: 0, host: 0, shm: k });
    t.must({ type: "host.shmctl", hart: 0, host: 0, shm: k });
    expect(t.state.pages[10]!.owner).toBe("host");
  });
});
