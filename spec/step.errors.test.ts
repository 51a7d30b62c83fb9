import { describe, expect, it } from "vitest";
import { codeNames, type CodeName } from "../model/codes.ts";
import { defaultConfig } from "../model/config.ts";
import { initialSystem } from "../model/state.ts";
import { Scenario } from "./step/scenario.ts";

// Every failure cause has its own code and leaves the state unchanged (LC-6).
describe("refusals", () => {
  const seen = new Set<CodeName>();
  const refuse = (t: Scenario, ev: Parameters<Scenario["refuse"]>[0], code: CodeName) => {
    t.refuse(ev, code);
    seen.add(code);
  };

  it("of host and adversary calls", () => {
    const t = new Scenario(initialSystem(defaultConfig));
    const h = { hart: 0, host: 0 };
    refuse(t, { type: "env.timer", hart: 7 }, "INVALID_HART");
    refuse(t, { type: "host.destroy", hart: 0, host: 9, eid: 0 }, "INVALID_ID");
    refuse(t, { type: "host.destroy", ...h, eid: 99 }, "INVALID_ID");
    refuse(t, { type: "host.destroy", ...h, eid: 0 }, "NO_SUCH_ENCLAVE");
    refuse(t, { type: "enclave.exit", hart: 0, retval: 0 }, "WRONG_DOMAIN");
    refuse(t, { type: "host.create", ...h, kind: "normal", name: "a", image: "a", pages: [], textPages: 0, kbuffer: -1, shm: -1 }, "INVALID_ARGUMENT");
    refuse(t, { type: "host.create", ...h, kind: "normal", name: "a", image: "a", pages: [1], textPages: 0, kbuffer: -1, shm: -1 }, "PAGES_NOT_AVAILABLE");
    refuse(t, { type: "host.create", ...h, kind: "normal", name: "a", image: "a", pages: [4], textPages: 0, kbuffer: -1, shm: 0 }, "NO_SUCH_SHM");
    refuse(t, { type: "adversary.sbi", ...h, fid: 7, args: [] }, "NOT_SUPPORTED");
    refuse(t, { type: "adversary.sbi", ...h, fid: 99, args: [1] }, "INVALID_ARGUMENT");
    refuse(t, { type: "adversary.setPte", ...h, mode: "one", dest: 10, entries: [{ target: 11, valid: true, leaf: true }] }, "PTE_DEST_NOT_PTA");
    refuse(t, { type: "adversary.setPte", ...h, mode: "one", dest: 2, entries: [{ target: 0, valid: true, leaf: true }] }, "PTE_TARGET_PRIVATE");
    // batch: one bad record refuses the whole batch, nothing written (PT-3, LC-6)
    refuse(t, { type: "adversary.setPte", ...h, mode: "batchSet", dest: 2, entries: [{ target: 10, valid: true, leaf: true }, { target: 0, valid: true, leaf: true }] }, "PTE_TARGET_PRIVATE");
    refuse(t, { type: "adversary.setPte", ...h, mode: "one", dest: 2, entries: [{ target: 10, valid: true, leaf: false }] }, "PTE_DEST_NOT_PTA");
    refuse(t, { type: "adversary.setPte", ...h, mode: "memset", dest: 2, entries: [{ target: 10, valid: true, leaf: true }] }, "INVALID_ARGUMENT");
    refuse(t, { type: "adversary.mapPte", ...h, pmd: 2, pte: 10 }, "PTE_DEST_NOT_PTA");
    refuse(t, { type: "adversary.sbi", ...h, fid: 100, args: [0] }, "ALREADY_INITIALISED");
    t.must({ type: "adversary.mapPte", ...h, pmd: 2, pte: 3 });
    t.must({ type: "adversary.setPte", ...h, mode: "memset", dest: 3, entries: [] });
    expect(t.state.pages[3]!.zeroed).toBe(true);
    refuse(t, { type: "adversary.writeSatp", ...h, root: 10 }, "ILLEGAL_SATP");
    refuse(t, { type: "adversary.touch", ...h, page: 2, write: true }, "PTA_READ_ONLY");
    refuse(t, { type: "adversary.touch", ...h, page: 0, write: false }, "ACCESS_FAULT");
    t.must({ type: "adversary.setPte", ...h, mode: "one", dest: 2, entries: [{ target: 10, valid: true, leaf: true }] });
    t.must({ type: "adversary.writeSatp", ...h, root: 3 });
    refuse(t, { type: "host.shmat", ...h, shm: 0 }, "NO_SUCH_SHM");
    refuse(t, { type: "host.schrodingerAt", ...h, relay: 0 }, "NO_SUCH_RELAY");
    const srv = t.must({ type: "host.create", ...h, kind: "server", name: "s", image: "s", pages: [4], textPages: 0, kbuffer: -1, shm: -1 });
    refuse(t, { type: "host.create", ...h, kind: "server", name: "s", image: "s", pages: [5], textPages: 0, kbuffer: -1, shm: -1 }, "SERVER_NAME_TAKEN");
    refuse(t, { type: "host.run", ...h, eid: srv, inherit: false }, "SERVER_NOT_RUNNABLE");
    const sh = t.must({ type: "host.create", ...h, kind: "shadow", name: "", image: "f", pages: [5], textPages: 1, kbuffer: -1, shm: -1 });
    refuse(t, { type: "host.run", ...h, eid: sh, inherit: false }, "SHADOW_NOT_RUNNABLE");
    refuse(t, { type: "host.fork", ...h, shadow: srv, name: "x", pages: [6], kbuffer: -1 }, "NOT_A_SHADOW");
    t.must({ type: "host.fork", hart: 1, host: 0, shadow: sh, name: "x", pages: [6], kbuffer: -1 });
    refuse(t, { type: "host.destroy", ...h, eid: sh }, "SHADOW_HAS_INSTANCES");
    const e = t.must({ type: "host.create", ...h, kind: "normal", name: "n", image: "n", pages: [7], textPages: 0, kbuffer: -1, shm: -1 });
    refuse(t, { type: "host.create", ...h, kind: "normal", name: "m", image: "m", pages: [8], textPages: 0, kbuffer: -1, shm: -1 }, "NO_MEM");
    refuse(t, { type: "host.resume", ...h, eid: e, reason: "timer" }, "BAD_STATE");
    refuse(t, { type: "host.run", hart: 0, host: 1, eid: e, inherit: false }, "NOT_CREATOR");
    t.must({ type: "host.schrodingerGet", ...h, pages: [8] });
    t.must({ type: "host.schrodingerGet", ...h, pages: [9] });
    t.must({ type: "host.schrodingerGet", ...h, pages: [10] });
    t.must({ type: "host.schrodingerGet", ...h, pages: [11] });
    refuse(t, { type: "host.schrodingerGet", ...h, pages: [12] }, "NO_FREE_ID");
    t.must({ type: "host.setMemArg", ...h, eid: e, relay: 0 });
    t.must({ type: "host.schrodingerCtl", ...h, relay: 0 });
    refuse(t, { type: "host.run", ...h, eid: e, inherit: false }, "RELAY_UNAVAILABLE");
    refuse(t, { type: "host.shmat", ...h, shm: 0 }, "NO_SUCH_SHM");
    refuse(t, { type: "host.shmget", ...h, pages: [12, 12] }, "INVALID_ARGUMENT");
    refuse(t, { type: "host.memoryExtend", ...h, pages: [7] }, "PAGES_NOT_AVAILABLE");
    t.must({ type: "host.memoryExtend", ...h, pages: [30] });
    expect(t.state.pages[30]).toMatchObject({ owner: "monitor", secure: true });
    refuse(t, { type: "adversary.touch", ...h, page: 30, write: false }, "ACCESS_FAULT");
  });

  it("of enclave calls", () => {
    const t = new Scenario(initialSystem(defaultConfig));
    const h = { hart: 0, host: 0 };
    const srv = t.must({ type: "host.create", ...h, kind: "server", name: "s", image: "s", pages: [4], textPages: 0, kbuffer: -1, shm: -1 });
    const k = t.must({ type: "host.shmget", ...h, pages: [10] });
    const a = t.must({ type: "host.create", ...h, kind: "normal", name: "a", image: "a", pages: [5], textPages: 0, kbuffer: -1, shm: k });
    refuse(t, { type: "host.shmctl", ...h, shm: k }, "SHM_IN_USE");
    const b = t.must({ type: "host.create", ...h, kind: "normal", name: "b", image: "b", pages: [6], textPages: 0, kbuffer: -1, shm: -1 });
    t.must({ type: "host.run", hart: 1, host: 0, eid: b, inherit: false });
    t.must({ type: "host.run", ...h, eid: a, inherit: false });
    refuse(t, { type: "host.destroy", hart: 0, host: 0, eid: a }, "WRONG_DOMAIN");
    refuse(t, { type: "enclave.unmap", hart: 0, pages: [6] }, "NOT_OWNER");
    refuse(t, { type: "enclave.mmap", hart: 0, count: 0 }, "INVALID_ARGUMENT");
    refuse(t, { type: "enclave.acquireServer", hart: 0, name: "nobody" }, "NO_SUCH_SERVER");
    refuse(t, { type: "enclave.callServer", hart: 0, server: b, reqPages: [], reqRelay: -1 }, "NOT_A_SERVER");
    refuse(t, { type: "enclave.callServer", hart: 0, server: srv, reqPages: [6], reqRelay: -1 }, "NOT_OWNER");
    // a free slot is refused before what the caller would lend is looked at (PGL §3.3; found by bench:explore's seeds)
    refuse(t, { type: "enclave.callServer", hart: 0, server: 3, reqPages: [6], reqRelay: -1 }, "NO_SUCH_ENCLAVE");
    refuse(t, { type: "enclave.splitRelay", hart: 0, relay: 0, at: 1 }, "NOT_OWNER");
    refuse(t, { type: "enclave.getCallerId", hart: 0 }, "NO_CALLER");
    refuse(t, { type: "enclave.getKey", hart: 0, keyType: 5 }, "INVALID_KEY_TYPE");
    refuse(t, { type: "enclave.getRandom", hart: 0, size: 4097 }, "INVALID_ARGUMENT");
    expect(t.must({ type: "enclave.getRandom", hart: 0, size: 32 })).toBe(32);
    refuse(t, { type: "enclave.serverReturn", hart: 0, respPages: [], value: 0 }, "BAD_STATE");
    t.must({ type: "enclave.callServer", hart: 0, server: srv, reqPages: [], reqRelay: -1 });
    refuse(t, { type: "enclave.callServer", hart: 1, server: srv, reqPages: [], reqRelay: -1 }, "SERVER_BUSY");
    refuse(t, { type: "enclave.exit", hart: 0, retval: 0 }, "SERVER_CANNOT_EXIT");
    refuse(t, { type: "enclave.serverReturn", hart: 0, respPages: [5], value: 0 }, "NOT_OWNER");
    t.must({ type: "enclave.print", hart: 0 });
    refuse(t, { type: "host.destroy", hart: 0, host: 0, eid: srv }, "SERVER_IN_CALL");
    refuse(t, { type: "host.destroy", hart: 0, host: 0, eid: a }, "CALLER_BLOCKED");
    refuse(t, { type: "host.ocallReturn", hart: 0, host: 0, eid: a, pages: [7] }, "OCALL_PAGES_INVALID");
  });

  it("of secure shm calls (PGL §4.9)", () => {
    const t = new Scenario(initialSystem(defaultConfig));
    const h = { hart: 0, host: 0 };
    const a = t.must({ type: "host.create", ...h, kind: "normal", name: "a", image: "a", pages: [5], textPages: 0, kbuffer: -1, shm: -1 });
    const b = t.must({ type: "host.create", ...h, kind: "normal", name: "b", image: "b", pages: [6], textPages: 0, kbuffer: -1, shm: -1 });
    t.must({ type: "host.run", hart: 1, host: 0, eid: b, inherit: false });
    t.must({ type: "host.run", ...h, eid: a, inherit: false });
    refuse(t, { type: "enclave.shmAttach", hart: 0, key: 7 }, "NO_SUCH_SHM");
    refuse(t, { type: "enclave.shmGet", hart: 0, key: 7, count: 0 }, "INVALID_ARGUMENT");
    t.must({ type: "enclave.shmGet", hart: 0, key: 7, count: 1 });
    t.must({ type: "host.ocallReturn", ...h, eid: a, pages: [8] });
    refuse(t, { type: "enclave.shmGet", hart: 1, key: 7, count: 1 }, "SHM_KEY_TAKEN");
    refuse(t, { type: "enclave.shmAttach", hart: 0, key: 7 }, "ALREADY_ATTACHED");
    refuse(t, { type: "enclave.shmAttach", hart: 1, key: 7 }, "SHM_NOT_ALLOWED");
    refuse(t, { type: "enclave.shmDetach", hart: 1, key: 7 }, "NOT_ATTACHED");
    refuse(t, { type: "enclave.shmAllow", hart: 1, key: 7, eid: b }, "NOT_OWNER");
  });

  it("cover every failure code the spec defines except the reserved ones", () => {
    const failures = codeNames.filter((c) => !["SUCCESS", "TIMER_IRQ", "OCALL", "YIELD", "RETURN_USER_MODE", "RETURN_MONITOR_MODE", "ERROR", "ATTESTATION"].includes(c));
    expect(failures.filter((c) => !seen.has(c))).toEqual([]);
  });
});
