import { describe, expect, it } from "vitest";
import type { Event } from "../../../model/events.ts";
import { agentRegionPages, checkedRun } from "../checkedRun.ts";
import { createAgent, createServer } from "./agentEvents.ts";

describe("a second host process (LC-3, M08: every host operation on an enclave requires its creator)", () => {
  it("process 1 creates and drives its agent; process 0 is refused on it and on its segment, whatever the state", () => {
    const n = agentRegionPages();
    const pages = Array.from({ length: n }, (_, i) => 4 + i);
    const [shm, kbuffer] = [4 + n, 5 + n];
    const p0 = { hart: 0, host: 0 };
    const p1 = { hart: 0, host: 1 };
    const events: Event[] = [
      { type: "host.shmget", ...p1, pages: [shm] },
      createAgent(p1, pages, kbuffer),
      { type: "host.run", ...p0, eid: 0, inherit: false }, // NOT_CREATOR
      { type: "host.run", hart: 1, host: 1, eid: 0, inherit: false },
      { type: "enclave.getEnclaveId", hart: 1 },
      { type: "host.stop", ...p0, eid: 0 }, // NOT_CREATOR
      { type: "host.attest", ...p0, eid: 0, nonce: 1 }, // NOT_CREATOR, though running (no state leaks to a stranger)
      { type: "host.resume", ...p0, eid: 0, reason: "stop" }, // NOT_CREATOR
      { type: "host.shmat", ...p0, shm: 0 }, // NO_SUCH_SHM: not its segment
      { type: "host.shmctl", ...p0, shm: 0 },
      {
        type: "host.create",
        ...p0,
        kind: "normal",
        name: "",
        image: "agent/normal+kbuffer+shm",
        pages: pages.map((p) => p + n + 4),
        textPages: 0,
        shm: 0,
        kbuffer: kbuffer + 1,
      },
      { type: "host.stop", ...p1, eid: 0 }, // running on hart 1: stopped by IPI
      { type: "host.destroy", ...p0, eid: 0 }, // NOT_CREATOR
      { type: "host.destroy", ...p1, eid: 0 },
      { type: "host.shmat", hart: 0, host: 2, shm: 0 }, // INVALID_ID: no such process
    ];
    const r = checkedRun({ kind: "events", events });
    expect(r.failure, JSON.stringify(r.failure)).toBeUndefined();
    expect(r.initial.config.hosts).toBe(2);
    expect(r.steps.map((s) => s.result.code)).toEqual([
      "SUCCESS",
      "SUCCESS",
      "NOT_CREATOR",
      "SUCCESS",
      "SUCCESS",
      "NOT_CREATOR",
      "NOT_CREATOR",
      "NOT_CREATOR",
      "NO_SUCH_SHM",
      "NO_SUCH_SHM",
      "NO_SUCH_SHM",
      "SUCCESS",
      "NOT_CREATOR",
      "SUCCESS",
      "INVALID_ID",
    ]);
    expect(r.steps[1]!.system.enclaves[0]!.creator).toBe(1);
  });

  it("a server serving process 1's caller answers to process 1, not to its creator (PGL §3.3: the callee inherits host_ptbr)", () => {
    const n = agentRegionPages();
    const region = (k: number) => Array.from({ length: n }, (_, i) => 4 + k * n + i);
    const free = 4 + 2 * n;
    const events: Event[] = [
      { type: "host.shmget", hart: 0, host: 0, pages: [free] },
      createServer({ hart: 0, host: 0 }, region(0)),
      { type: "host.shmget", hart: 0, host: 1, pages: [free + 1] },
      {
        type: "host.create",
        hart: 0,
        host: 1,
        kind: "normal",
        name: "",
        image: "agent/normal+kbuffer+shm",
        pages: region(1),
        textPages: 0,
        shm: 1,
        kbuffer: free + 2,
      },
      { type: "host.run", hart: 1, host: 1, eid: 1, inherit: false },
      { type: "enclave.callServer", hart: 1, server: 0, reqPages: [], reqRelay: -1 },
      { type: "enclave.print", hart: 1 }, // the server leaves for the host: process 1's run loop
      { type: "host.ocallReturn", hart: 0, host: 0, eid: 0, pages: [] }, // its creator: NOT_CREATOR (the monitor let it)
      { type: "host.ocallReturn", hart: 1, host: 1, eid: 0, pages: [] },
    ];
    const r = checkedRun({ kind: "events", events });
    expect(r.failure, JSON.stringify(r.failure)).toBeUndefined();
    expect(r.steps.map((s) => s.result.code)).toEqual([
      "SUCCESS",
      "SUCCESS",
      "SUCCESS",
      "SUCCESS",
      "SUCCESS",
      "SUCCESS",
      "OCALL",
      "NOT_CREATOR",
      "SUCCESS",
    ]);
  });
});
