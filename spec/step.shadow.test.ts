import { describe, expect, it } from "vitest";
import { defaultConfig } from "../model/config.ts";
import { initialSystem } from "../model/state.ts";
import { Scenario } from "./step/scenario.ts";

// Seed 004 (shadow tutorial): one shadow, instances forked from it, each with its own stack.
function withShadow() {
  const t = new Scenario(initialSystem(defaultConfig));
  const sh = t.must({ type: "host.create", hart: 0, host: 0, kind: "shadow", name: "", image: "hello", pages: [4, 5, 6], textPages: 1, kbuffer: -1, shm: -1 });
  return { t, sh };
}

describe("shadow enclaves and fork (PGL §3.4, seed 004)", () => {
  it("share read-only pages and copy writable ones; the instance reuses the shadow's measurement (AT-6)", () => {
    const { t, sh } = withShadow();
    expect(t.state.pages[4]).toMatchObject({ owner: "shadowRO", id: sh, secure: true });
    expect(t.state.enclaves[sh]!.state).toBe("ready");
    const i = t.must({ type: "host.fork", hart: 0, host: 0, shadow: sh, name: "inst", pages: [7, 8, 9], kbuffer: -1 });
    expect(t.state.enclaves[i]).toMatchObject({ kind: "instance", parent: sh, state: "running" });
    expect(t.state.enclaves[i]!.measurement).toBe(t.state.enclaves[sh]!.measurement);
    expect(t.state.pages[9]).toMatchObject({ owner: "enclave", id: i }); // copies, tables and stack: the monitor's layout
    expect(t.state.harts[0]).toBe(i);
    t.must({ type: "enclave.access", hart: 0, page: 4, write: false }); // shared text: load ok
    t.refuse({ type: "enclave.unmap", hart: 0, pages: [4] }, "NOT_OWNER"); // never the instance's to give away
    t.refuse({ type: "enclave.sbrk", hart: 0, delta: -1, pages: [4] }, "NOT_OWNER");
    expect(t.apply({ type: "enclave.access", hart: 0, page: 4, write: true }).status).toBe("fault"); // never writable
    expect(t.state.enclaves[i]!.kind).toBe("none");
    expect(t.state.pages[4]!.owner).toBe("shadowRO"); // the shadow keeps its pages
  });

  it("never run, and cannot be destroyed while instances live (IPC-6, M40)", () => {
    const { t, sh } = withShadow();
    t.refuse({ type: "host.run", hart: 0, host: 0, eid: sh, inherit: false }, "SHADOW_NOT_RUNNABLE");
    const a = t.must({ type: "host.fork", hart: 0, host: 0, shadow: sh, name: "a", pages: [7, 8, 9], kbuffer: -1 });
    const b = t.must({ type: "host.fork", hart: 1, host: 0, shadow: sh, name: "b", pages: [10, 11, 12], kbuffer: -1 });
    expect(a).not.toBe(b);
    t.must({ type: "enclave.access", hart: 0, page: 7, write: true });
    t.must({ type: "enclave.exit", hart: 0, retval: 1 });
    t.refuse({ type: "host.destroy", hart: 0, host: 0, eid: sh }, "SHADOW_HAS_INSTANCES");
    t.must({ type: "host.destroy", hart: 0, host: 0, eid: b }); // running on hart 1: stopped by IPI first
    expect(t.state.harts[1]).toBe(-1);
    t.must({ type: "host.destroy", hart: 0, host: 0, eid: sh });
    expect([4, 5, 6].map((p) => t.state.pages[p]!.owner)).toEqual(["host", "host", "host"]);
    expect(t.state.pages[7]).toMatchObject({ owner: "host", zeroed: true }); // CS-1
  });

  it("refuse forks with the wrong number of pages, from a non-shadow, or by another host", () => {
    const { t, sh } = withShadow();
    t.refuse({ type: "host.fork", hart: 0, host: 0, shadow: sh, name: "x", pages: [7, 8], kbuffer: -1 }, "INVALID_ARGUMENT");
    // a larger region is the host's choice (PGL §3.4: the driver hands 2 MiB); all of it becomes the instance's
    const big = t.must({ type: "host.fork", hart: 1, host: 0, shadow: sh, name: "y", pages: [7, 8, 9, 10, 11], kbuffer: -1 });
    expect([7, 8, 9, 10, 11].map((p) => t.state.pages[p]!.id)).toEqual([big, big, big, big, big]);
    t.refuse({ type: "host.create", hart: 0, host: 0, kind: "shadow", name: "", image: "f", pages: [20], textPages: 1, kbuffer: 21, shm: -1 }, "INVALID_ARGUMENT");
    t.refuse({ type: "host.fork", hart: 0, host: 1, shadow: sh, name: "x", pages: [7, 8, 9], kbuffer: -1 }, "NOT_CREATOR");
    t.refuse({ type: "host.fork", hart: 0, host: 0, shadow: sh, name: "x", pages: [0, 8, 9], kbuffer: -1 }, "PAGES_NOT_AVAILABLE");
    const n = t.must({ type: "host.create", hart: 0, host: 0, kind: "normal", name: "n", image: "n", pages: [20], textPages: 0, kbuffer: -1, shm: -1 });
    t.refuse({ type: "host.fork", hart: 0, host: 0, shadow: n, name: "x", pages: [7, 8, 9], kbuffer: -1 }, "NOT_A_SHADOW");
    t.refuse({ type: "host.fork", hart: 0, host: 1, shadow: n, name: "x", pages: [7, 8, 9], kbuffer: -1 }, "NOT_CREATOR"); // not even its kind
    t.refuse({ type: "host.fork", hart: 0, host: 0, shadow: 3, name: "x", pages: [7, 8, 9], kbuffer: -1 }, "NO_SUCH_ENCLAVE");
  });
});
