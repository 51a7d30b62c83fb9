import { describe, expect, it } from "vitest";
import type { Event } from "../../../model/events.ts";
import { agentRegionPages, checkedRun } from "../checkedRun.ts";
import { createAgent } from "./agentEvents.ts";

const h = { hart: 0, host: 0 };

describe("sbrk, unmap and donations on the real monitor (PGL §2.3, §4.6)", () => {
  it("grow, read, shrink, unmap leave for the host and give pages back zeroed; bounds and foreign pages refused", () => {
    const n = agentRegionPages();
    const pages = Array.from({ length: n }, (_, i) => 4 + i);
    const [shm, kbuffer, p, q, free] = [4 + n, 5 + n, 6 + n, 7 + n, 8 + n];
    const events: Event[] = [
      { type: "host.shmget", ...h, pages: [shm] },
      createAgent(h, pages, kbuffer),
      { type: "host.run", ...h, eid: 0, inherit: false },
      { type: "enclave.mmap", hart: 0, count: 1 },
      { type: "host.ocallReturn", ...h, eid: 0, pages: [p] },
      { type: "enclave.unmap", hart: 0, pages: [p] }, // its region: back to the host, zeroed
      { type: "host.ocallReturn", ...h, eid: 0, pages: [] },
      { type: "enclave.sbrk", hart: 0, delta: 1, pages: [] },
      { type: "host.ocallReturn", ...h, eid: 0, pages: [q] },
      { type: "enclave.sbrk", hart: 0, delta: 0, pages: [] },
      { type: "enclave.sbrk", hart: 0, delta: 1 << 20, pages: [] }, // beyond any bound
      { type: "enclave.sbrk", hart: 0, delta: -2, pages: [q] }, // more than the heap holds
      { type: "enclave.sbrk", hart: 0, delta: -1, pages: [q] },
      { type: "host.ocallReturn", ...h, eid: 0, pages: [] },
      { type: "enclave.unmap", hart: 0, pages: [] },
      { type: "enclave.unmap", hart: 0, pages: [free] }, // not its own
      { type: "host.memoryExtend", hart: 1, host: 0, pages: [kbuffer] }, // a live window
      { type: "host.memoryExtend", hart: 1, host: 0, pages: [4] }, // private
      { type: "host.memoryExtend", hart: 1, host: 0, pages: [free, free + 1] },
    ];
    const r = checkedRun({ kind: "events", events });
    expect(r.failure, JSON.stringify(r.failure)).toBeUndefined();
    expect(r.steps.map((s) => `${s.result.code}${s.result.value ? " " + s.result.value : ""}`)).toEqual([
      "SUCCESS",
      "SUCCESS",
      "SUCCESS",
      "OCALL 1",
      "SUCCESS",
      "OCALL 2",
      "SUCCESS",
      "OCALL 4",
      "SUCCESS",
      "SUCCESS",
      "INVALID_ARGUMENT",
      "INVALID_ARGUMENT",
      "OCALL 4",
      "SUCCESS",
      "INVALID_ARGUMENT",
      "NOT_OWNER",
      "PAGES_NOT_AVAILABLE",
      "PAGES_NOT_AVAILABLE",
      "SUCCESS",
    ]);
    expect(r.steps[5]!.system.pages[p]).toMatchObject({ owner: "host", zeroed: true });
    expect(r.steps[12]!.system.pages[q]).toMatchObject({ owner: "host", zeroed: true });
    expect(r.steps[18]!.system.pages[free]).toMatchObject({ owner: "monitor", secure: true });
  });

  it("an mmap where its tables already are asks the host for exactly its pages, however few free pages are left", () => {
    const n = agentRegionPages();
    const pages = Array.from({ length: n }, (_, i) => 4 + i);
    const [shm, kbuffer, relay, p1, p2, p3, p4] = [4 + n, 5 + n, 6 + n, 7 + n, 8 + n, 9 + n, 10 + n];
    const events: Event[] = [
      { type: "host.shmget", ...h, pages: [shm] },
      createAgent(h, pages, kbuffer),
      { type: "host.schrodingerGet", ...h, pages: [relay] },
      { type: "host.setMemArg", ...h, eid: 0, relay: 0 },
      { type: "host.run", ...h, eid: 0, inherit: false }, // the relay region's tables
      { type: "enclave.mmap", hart: 0, count: 1 }, // the mmap area's tables
      { type: "host.ocallReturn", ...h, eid: 0, pages: [p1] },
      { type: "enclave.sbrk", hart: 0, delta: 1, pages: [] }, // the heap's tables
      { type: "host.ocallReturn", ...h, eid: 0, pages: [p2] },
      { type: "enclave.shmGet", hart: 0, key: 1, count: 1 }, // the secure shm area's: two free pages left
      { type: "host.ocallReturn", ...h, eid: 0, pages: [p3] },
      { type: "enclave.mmap", hart: 0, count: 1 }, // next to the first: no table to add, one page asked (it asked three)
      { type: "host.ocallReturn", ...h, eid: 0, pages: [p4] },
    ];
    const r = checkedRun({ kind: "events", events });
    expect(r.failure, JSON.stringify(r.failure)).toBeUndefined();
    expect(r.steps[11]!.system.enclaves[0]).toMatchObject({ state: "ocalling", pending: "mmap", pendingPages: 1 });
    expect(r.steps[12]!.result.code).toBe("SUCCESS");
  });
});
