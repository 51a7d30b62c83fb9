import { describe, expect, it } from "vitest";
import { defaultConfig } from "../model/config.ts";
import { HOST, initialSystem } from "../model/state.ts";
import { Scenario } from "./step/scenario.ts";

// Seed 001 (server tutorial) and seed 003 (IPC tutorial): caller → test-server1 → test-server,
// with host shm and a relay page, a request page lent along the chain and back.
function tutorial() {
  const t = new Scenario(initialSystem(defaultConfig));
  const h = { hart: 0, host: 0 };
  const srv = t.must({ type: "host.create", ...h, kind: "server", name: "test-server", image: "server", pages: [4, 5], textPages: 0, kbuffer: -1, shm: -1 });
  const srv1 = t.must({ type: "host.create", ...h, kind: "server", name: "test-server1", image: "server1", pages: [6], textPages: 0, kbuffer: -1, shm: -1 });
  const shm = t.must({ type: "host.shmget", ...h, pages: [7] });
  const relay = t.must({ type: "host.schrodingerGet", ...h, pages: [8, 9] });
  t.must({ type: "host.schrodingerAt", ...h, relay });
  const caller = t.must({ type: "host.create", ...h, kind: "normal", name: "caller", image: "caller", pages: [10, 11], textPages: 0, shm, kbuffer: 13 });
  t.must({ type: "host.setMemArg", ...h, eid: caller, relay });
  t.must({ type: "host.attest", ...h, eid: caller, nonce: 1234 });
  t.must({ type: "host.run", ...h, eid: caller, inherit: false });
  return { t, srv, srv1, shm, relay, caller };
}

describe("server enclaves (PGL §3.3, seed 001)", () => {
  it("are created idle under a unique name and never run by the host", () => {
    const { t, srv } = tutorial();
    expect(t.state.enclaves[srv]!.state).toBe("idle");
    expect(t.state.servers.map((x) => x.name)).toEqual(["test-server", "test-server1"]);
    t.refuse({ type: "host.create", hart: 1, host: 0, kind: "server", name: "test-server", image: "x", pages: [12], textPages: 0, kbuffer: -1, shm: -1 }, "SERVER_NAME_TAKEN");
    t.refuse({ type: "host.run", hart: 1, host: 0, eid: srv, inherit: false }, "SERVER_NOT_RUNNABLE");
  });

  it("run the seed's chain: the request page and relay region move along and come back", () => {
    const { t, srv, srv1, relay, caller } = tutorial();
    expect(t.state.pages[8]!).toMatchObject({ owner: "relayEnclave", secure: true });
    expect(t.must({ type: "enclave.acquireServer", hart: 0, name: "test-server1" })).toBe(srv1);
    t.must({ type: "enclave.mmap", hart: 0, count: 1 });
    t.must({ type: "host.ocallReturn", hart: 0, host: 0, eid: caller, pages: [12] });
    expect(t.state.pages[12]).toMatchObject({ owner: "enclave", id: caller, zeroed: true }); // CS-2
    t.must({ type: "enclave.callServer", hart: 0, server: srv1, reqPages: [12], reqRelay: relay });
    expect(t.state.harts[0]).toBe(srv1);
    expect(t.state.pages[12]!.id).toBe(srv1); // unmapped from the caller first (OW-6)
    expect(t.state.enclaves[caller]!.state).toBe("blocked");
    expect(t.must({ type: "enclave.getCallerId", hart: 0 })).toBe(caller); // IPC-4
    // server1 lends the request on to test-server
    t.must({ type: "enclave.callServer", hart: 0, server: srv, reqPages: [12], reqRelay: relay });
    expect(t.state.relays[relay]!.eid).toBe(srv);
    t.must({ type: "enclave.access", hart: 0, page: 12, write: true });
    // preempted inside the server; the top caller's run loop resumes the chain
    t.must({ type: "env.timer", hart: 0 });
    expect(t.state.enclaves[srv]!.state).toBe("preempted");
    t.must({ type: "host.resume", hart: 0, host: 0, eid: caller, reason: "timer" });
    expect(t.state.harts[0]).toBe(srv);
    expect(t.must({ type: "enclave.serverReturn", hart: 0, respPages: [4], value: 2 })).toBe(2);
    expect(t.state.pages[4]!.id).toBe(srv1); // response page moved to its caller
    expect(t.must({ type: "enclave.serverReturn", hart: 0, respPages: [], value: 3 })).toBe(3);
    expect(t.state.harts[0]).toBe(caller);
    expect(t.state.pages[12]!.id).toBe(caller);
    expect(t.state.relays[relay]!.eid).toBe(caller);
    expect(t.state.enclaves[srv1]!.state).toBe("idle");
    // exit: memory scrubbed, relay pages back to the host unscrubbed (they carry the output)
    t.must({ type: "enclave.exit", hart: 0, retval: 0 });
    expect(t.state.pages[12]).toMatchObject({ owner: "host", zeroed: true, secure: false });
    expect(t.state.pages[8]).toMatchObject({ owner: "relayHost", secure: false });
    expect(t.state.harts[0]).toBe(HOST);
    t.must({ type: "host.destroy", hart: 0, host: 0, eid: srv });
    t.must({ type: "host.destroy", hart: 0, host: 0, eid: srv1 });
    expect(t.state.servers).toEqual([]);
    expect(t.state.pages[4]).toMatchObject({ owner: "host", zeroed: true });
  });

  it("are sequential: a busy server refuses a second caller and a cycle (M38)", () => {
    const { t, srv, srv1 } = tutorial();
    t.must({ type: "enclave.callServer", hart: 0, server: srv1, reqPages: [], reqRelay: -1 });
    t.must({ type: "enclave.callServer", hart: 0, server: srv, reqPages: [], reqRelay: -1 });
    t.refuse({ type: "enclave.callServer", hart: 0, server: srv1, reqPages: [], reqRelay: -1 }, "SERVER_BUSY");
  });

  it("refuse to destroy a blocked caller or a server in a call (IPC-2, M39)", () => {
    const { t, srv, caller } = tutorial();
    t.must({ type: "enclave.callServer", hart: 0, server: srv, reqPages: [], reqRelay: -1 });
    t.must({ type: "env.timer", hart: 0 });
    t.refuse({ type: "host.destroy", hart: 0, host: 0, eid: caller }, "CALLER_BLOCKED");
    t.refuse({ type: "host.destroy", hart: 0, host: 0, eid: srv }, "SERVER_IN_CALL");
    t.refuse({ type: "host.stop", hart: 0, host: 0, eid: caller }, "CALLER_BLOCKED");
  });

  it("run on the top caller's host: only that host resumes the chain, even a server another host created", () => {
    const { t, caller } = tutorial();
    const other = t.must({ type: "host.create", hart: 1, host: 1, kind: "server", name: "other", image: "o", pages: [20], textPages: 0, kbuffer: -1, shm: -1 });
    t.must({ type: "enclave.callServer", hart: 0, server: other, reqPages: [], reqRelay: -1 });
    t.must({ type: "env.timer", hart: 0 });
    t.refuse({ type: "host.resume", hart: 0, host: 1, eid: caller, reason: "timer" }, "NOT_CREATOR");
    t.refuse({ type: "host.resume", hart: 0, host: 1, eid: other, reason: "timer" }, "NOT_CREATOR");
    t.must({ type: "host.resume", hart: 0, host: 0, eid: caller, reason: "timer" });
    expect(t.state.harts[0]).toBe(other);
  });

  it("cannot exit, and a trap in a server kills the chain's top caller (PGL §2.1)", () => {
    const { t, srv, srv1, caller } = tutorial();
    t.must({ type: "enclave.callServer", hart: 0, server: srv1, reqPages: [10], reqRelay: -1 });
    t.must({ type: "enclave.callServer", hart: 0, server: srv, reqPages: [], reqRelay: -1 });
    t.refuse({ type: "enclave.exit", hart: 0, retval: 0 }, "SERVER_CANNOT_EXIT");
    expect(t.apply({ type: "enclave.access", hart: 0, page: 20, write: false }).status).toBe("fault");
    expect(t.state.enclaves[srv]!.kind).toBe("none");
    expect(t.state.enclaves[caller]!.kind).toBe("none");
    expect(t.state.enclaves[srv1]).toMatchObject({ state: "idle", caller: -1, callPages: [] });
    expect(t.state.pages[10]).toMatchObject({ owner: "host", zeroed: true });
    expect(t.state.harts[0]).toBe(HOST);
  });

  it("report on a server without changing its measurement (AT-2, M32)", () => {
    const { t, srv } = tutorial();
    const m = t.state.enclaves[srv]!.measurement;
    t.must({ type: "enclave.getReport", hart: 0, name: "test-server", nonce: 5 });
    t.refuse({ type: "enclave.getReport", hart: 0, name: "nobody", nonce: 5 }, "NO_SUCH_SERVER");
    expect(t.state.enclaves[srv]!.measurement).toBe(m);
  });
});
