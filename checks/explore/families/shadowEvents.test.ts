import { describe, expect, it } from "vitest";
import type { Event } from "../../../model/events.ts";
import { agentRegionPages, checkedRun } from "../checkedRun.ts";
import { AGENT_ELF } from "../platform.ts";
import { shadowLayout } from "./shadowLayout.ts";
import { shadowPages } from "./shadowEvents.ts";

const n = agentRegionPages();
const layout = shadowLayout(AGENT_ELF, n);
const hints = { regionPages: n, image: "agent", layout };
const h = { hart: 0, host: 0 };

describe("shadow enclaves and fork on the real monitor (PGL §3.4)", () => {
  it("the agent loaded as a shadow has read-only text to share and writable pages to copy", () => {
    expect(layout.roOffsets.length).toBeGreaterThan(0);
    expect(layout.writable).toBeGreaterThan(0);
    expect(layout.forkPages).toBeGreaterThan(n); // copies, tables and a 64 KiB stack: more than a shadow region
    expect(
      shadowPages(4, hints)
        .slice()
        .sort((a, b) => a - b),
    ).toEqual(Array.from({ length: n }, (_, i) => 4 + i));
  });

  it("create, fork (the instance runs at once), shared text, IPC-6 on destroy, and refusals — spec and monitor agree", () => {
    const shadowRun = shadowPages(4, hints);
    const forkAt = 4 + layout.forkPages; // aligned: the window's first page is model page 4
    const fork = Array.from({ length: layout.forkPages }, (_, i) => forkAt + i);
    const text = shadowRun[0]!;
    const events: Event[] = [
      {
        type: "host.create",
        ...h,
        kind: "shadow",
        name: "",
        image: "agent/shadow",
        pages: shadowRun,
        textPages: layout.roOffsets.length,
        shm: -1,
        kbuffer: -1,
      },
      { type: "host.run", hart: 1, host: 0, eid: 0, inherit: false }, // SHADOW_NOT_RUNNABLE
      { type: "host.stop", ...h, eid: 0 }, // SHADOW_NOT_RUNNABLE (the monitor said BAD_STATE)
      { type: "host.fork", ...h, shadow: 0, name: "", pages: fork.slice(0, n / 2), kbuffer: -1 }, // too small
      { type: "host.fork", ...h, shadow: 0, name: "", pages: fork, kbuffer: fork[3]! }, // its window among its pages
      { type: "host.fork", ...h, shadow: 0, name: "", pages: fork, kbuffer: shadowRun[5]! }, // a private window
      { type: "host.fork", hart: 1, host: 0, shadow: 0, name: "", pages: fork, kbuffer: 4 + n },
      { type: "enclave.access", hart: 1, page: text, write: false }, // the shadow's text, shared
      { type: "host.attest", ...h, eid: 0, nonce: 7 },
      { type: "host.destroy", ...h, eid: 0 }, // SHADOW_HAS_INSTANCES
      { type: "host.fork", ...h, shadow: 1, name: "", pages: fork, kbuffer: -1 }, // NOT_A_SHADOW
      { type: "host.destroy", ...h, eid: 1 }, // the instance, on hart 1: stopped by IPI first
      { type: "host.destroy", ...h, eid: 0 },
    ];
    const r = checkedRun({ kind: "events", events });
    expect(r.failure, JSON.stringify(r.failure)).toBeUndefined();
    expect(r.steps.map((s) => s.result.code)).toEqual([
      "SUCCESS",
      "SHADOW_NOT_RUNNABLE",
      "SHADOW_NOT_RUNNABLE",
      "INVALID_ARGUMENT",
      "INVALID_ARGUMENT",
      "PAGES_NOT_AVAILABLE",
      "SUCCESS",
      "SUCCESS",
      "SUCCESS",
      "SHADOW_HAS_INSTANCES",
      "NOT_A_SHADOW",
      "SUCCESS",
      "SUCCESS",
    ]);
    expect(r.steps[0]!.system.pages[text]).toMatchObject({ owner: "shadowRO", id: 0 });
    expect(r.steps[6]!.system.enclaves[1]).toMatchObject({ kind: "instance", parent: 0, state: "running" });
  }, 30_000);
});
