import { describe, expect, it } from "vitest";
import type { Event } from "../../../model/events.ts";
import { agentRegionPages, checkedRun } from "../checkedRun.ts";
import { createAgent } from "./agentEvents.ts";

const h = { hart: 0, host: 0 };

describe("host shared memory: shmat / shmdt / shmctl (PGL §4.10, IPC-5)", () => {
  it("attach, detach, revoke — refused twice over, while an enclave maps it, for a free or wild id", () => {
    const n = agentRegionPages();
    const pages = Array.from({ length: n }, (_, i) => 4 + i);
    const events: Event[] = [
      { type: "host.shmget", ...h, pages: [4 + n] },
      { type: "host.shmat", ...h, shm: 0 },
      { type: "host.shmat", ...h, shm: 0 }, // BAD_STATE
      { type: "host.shmdt", ...h, shm: 0 },
      { type: "host.shmdt", ...h, shm: 0 }, // BAD_STATE
      createAgent(h, pages, 5 + n),
      { type: "host.shmctl", ...h, shm: 0 }, // SHM_IN_USE
      { type: "host.destroy", ...h, eid: 0 },
      { type: "host.shmctl", ...h, shm: 0 },
      { type: "host.shmat", ...h, shm: 0 }, // NO_SUCH_SHM
      { type: "host.shmdt", ...h, shm: -1 }, // INVALID_ID
    ];
    const r = checkedRun({ kind: "events", events });
    expect(r.failure, JSON.stringify(r.failure)).toBeUndefined();
    expect(r.steps.map((s) => s.result.code)).toEqual([
      "SUCCESS",
      "SUCCESS",
      "BAD_STATE",
      "SUCCESS",
      "BAD_STATE",
      "SUCCESS",
      "SHM_IN_USE",
      "SUCCESS",
      "SUCCESS",
      "NO_SUCH_SHM",
      "INVALID_ID",
    ]);
    expect(r.steps[8]!.system.pages[4 + n]!.owner).toBe("host");
  });
});
