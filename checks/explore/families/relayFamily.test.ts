import { describe, expect, it } from "vitest";
import type { Event } from "../../../model/events.ts";
import { agentRegionPages, checkedRun } from "../checkedRun.ts";
import { createServer } from "./agentEvents.ts";

// The relay and secure shm families end to end on the real platform, each step checked against the
// spec (results, α, invariants, machine checks): the Schrödinger pipeline of PGL §4.7 — a region
// bound, run, split, a piece handed to a named enclave, the rest handed back and re-run — and the
// secure shm of PGL §4.9 with its access list (IPC-5), wrong and malicious calls included.
const n = agentRegionPages();
const region = (i: number) => Array.from({ length: n }, (_, k) => 4 + i * n + k);
const free = 4 + 3 * n; // host pages after three regions
const h0 = { hart: 0, host: 0 };
const h1 = { hart: 1, host: 0 };
const create = (i: number, shm: number, name: string): Event => ({
  type: "host.create",
  ...h0,
  kind: "normal",
  name,
  image: "agent/normal+kbuffer+shm",
  pages: region(i),
  textPages: 0,
  shm,
  kbuffer: free + 20 + i,
});

describe("explorer families: relay (Schrödinger) pages and secure shm", () => {
  it("the pipeline and the access list refine the spec step by step, refusals included", () => {
    const events: Event[] = [
      { type: "host.shmget", ...h0, pages: [free] },
      { type: "host.shmget", ...h0, pages: [free + 1] },
      create(0, 0, ""),
      create(1, 1, "sink"),
      { type: "host.schrodingerGet", ...h0, pages: [free + 4, free + 5, free + 6] },
      { type: "host.schrodingerAt", ...h0, relay: 0 },
      { type: "host.setMemArg", ...h0, eid: 0, relay: 0 },
      { type: "host.run", ...h0, eid: 0, inherit: false },
      { type: "host.schrodingerCtl", ...h1, relay: 0 }, // held by the enclave: refused (OW-6)
      { type: "enclave.splitRelay", hart: 0, relay: 0, at: 3 }, // out of range
      { type: "enclave.splitRelay", hart: 0, relay: 0, at: 2 },
      { type: "enclave.asyncCall", hart: 0, name: "sink", relay: 1 },
      { type: "enclave.asyncCall", hart: 0, name: "sink", relay: 1 }, // no longer held: no double transfer
      { type: "enclave.returnRelay", hart: 0 },
      { type: "host.rerun", ...h0, eid: 0 },
      { type: "enclave.returnRelay", hart: 0 },
      { type: "host.rerun", ...h0, eid: 0 },
      { type: "host.run", ...h1, eid: 1, inherit: true },
      { type: "enclave.shmGet", hart: 1, key: 5, count: 1 },
      { type: "host.ocallReturn", ...h1, eid: 1, pages: [free + 10] },
      { type: "enclave.shmAttach", hart: 0, key: 5 }, // not allowed (IPC-5, M40)
      { type: "enclave.shmAllow", hart: 0, key: 5, eid: 0 }, // not the owner
      { type: "enclave.shmAllow", hart: 1, key: 5, eid: 0 },
      { type: "enclave.shmAttach", hart: 0, key: 5 },
      { type: "enclave.shmStat", hart: 1, key: 5 },
      { type: "enclave.shmDestroy", hart: 1, key: 5 },
      { type: "enclave.shmDestroy", hart: 1, key: 5 },
      { type: "enclave.shmDetach", hart: 1, key: 5 },
      { type: "enclave.shmDetach", hart: 0, key: 5 },
      { type: "enclave.exit", hart: 1, retval: 3 },
      { type: "enclave.exit", hart: 0, retval: 4 },
      { type: "host.schrodingerCtl", ...h0, relay: 0 },
    ];
    const r = checkedRun({ kind: "events", events });
    expect(r.failure, JSON.stringify(r.failure)).toBeUndefined();
    const res = r.steps.map((s) => (s.result.status === "ok" ? `${s.result.code} ${s.result.value}` : s.result.code));
    expect(res).toEqual([
      "SUCCESS 0",
      "SUCCESS 1",
      "SUCCESS 0",
      "SUCCESS 1",
      "SUCCESS 0",
      "SUCCESS 0",
      "SUCCESS 0",
      "SUCCESS 0",
      "RELAY_UNAVAILABLE",
      "INVALID_ARGUMENT",
      "SUCCESS 1",
      "SUCCESS 0",
      "NOT_OWNER",
      "RETURN_USER_MODE 7",
      "SUCCESS 0",
      "RETURN_USER_MODE 7",
      "SUCCESS 0",
      "SUCCESS 0",
      "OCALL 9",
      "SUCCESS 0",
      "SHM_NOT_ALLOWED",
      "NOT_OWNER",
      "SUCCESS 0",
      "SUCCESS 0",
      "SUCCESS 2",
      "SUCCESS 0",
      "NO_SUCH_SHM",
      "SUCCESS 0",
      "SUCCESS 0",
      "SUCCESS 3",
      "SUCCESS 4",
      "SUCCESS 0",
    ]);
    const last = r.steps.at(-1)!.system;
    expect(last.relays.filter((x) => x.live)).toHaveLength(1); // the piece handed to "sink" came back with its exit
    expect(last.secureShms.every((k) => !k.live)).toBe(true);
  });

  it("a split-off piece lent to a server comes back to its caller where it was (the front piece keeps MM_ARG_BASE)", () => {
    const events: Event[] = [
      { type: "host.shmget", ...h0, pages: [free] },
      { type: "host.shmget", ...h0, pages: [free + 1] },
      createServer(h0, region(0)),
      create(1, 1, ""),
      { type: "host.schrodingerGet", ...h0, pages: [free + 4, free + 5, free + 6] },
      { type: "host.setMemArg", ...h0, eid: 1, relay: 0 },
      { type: "host.run", ...h0, eid: 1, inherit: false },
      { type: "enclave.splitRelay", hart: 0, relay: 0, at: 1 },
      { type: "enclave.callServer", hart: 0, server: 0, reqPages: [], reqRelay: 1 },
      { type: "enclave.splitRelay", hart: 0, relay: 1, at: 1 }, // lent, not the server's to split
      { type: "enclave.asyncCall", hart: 0, name: "sink", relay: 1 }, // nor to pass on
      { type: "enclave.serverReturn", hart: 0, respPages: [], value: 5 }, // it stayed with the server
      { type: "enclave.callServer", hart: 0, server: 0, reqPages: [], reqRelay: 0 },
      { type: "enclave.serverReturn", hart: 0, respPages: [], value: 6 },
      { type: "enclave.returnRelay", hart: 0 },
      { type: "host.rerun", ...h0, eid: 1 },
      { type: "enclave.exit", hart: 0, retval: 1 },
    ];
    const r = checkedRun({ kind: "events", events });
    expect(r.failure, JSON.stringify(r.failure)).toBeUndefined();
    expect(r.steps[11]!.system.enclaves[1]!.relays).toEqual([0, 1]);
  });
});
