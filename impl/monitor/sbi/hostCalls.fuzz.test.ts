import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { bootPlatform } from "../../host/boot.ts";
import { HostFid } from "../../../model/abi.ts";
import type { MonitorState } from "../monitor.ts";
import { PenglaiDriver } from "../../host/penglaiDriver.ts";
import { readFileSync } from "node:fs";

// Bad input (issue 5): ≥ 100,000 host SBI calls with malformed arguments — wild and unaligned
// pointers, overflowing sizes, foreign or stale enclave ids, unknown function ids — from S-mode.
// Every call returns (no JavaScript exception escapes the machine), and every call that fails
// writes no memory and leaves the monitor's state as it was (LC-6).
const CALLS = Number(process.env.SBI_FUZZ_CALLS ?? 100_000);

function monitorDigest(st: MonitorState): string {
  return JSON.stringify({ e: st.enclaves, c: st.cpus, s: st.separated }, (_k, v) =>
    typeof v === "bigint" ? `${v}n` : v instanceof Uint8Array ? Buffer.from(v).toString("hex") : v,
  );
}

describe("host SBI interface under malformed arguments", () => {
  it(`survives ${CALLS} malformed calls; failing calls change nothing`, () => {
    const p = bootPlatform({ harts: 1 });
    // live enclaves, so that ids, states and the host binding are exercised too
    const d = new PenglaiDriver(p.kernel);
    const hello = new Uint8Array(readFileSync(new URL("../../eapp/bin/hello-world.elf", import.meta.url)));
    expect([d.create(hello), d.create(hello)]).toEqual([0, 1]);
    const ram = { lo: 0x8000_0000n, hi: 0x8000_0000n + BigInt(p.machine.mem.size) };
    const pt = p.kernel.layout.ptArea;
    const fids = [...Object.values(HostFid), 0, 1, 82, 88, 91, 93, 102, 0x7fffffff];
    const arg = fc.oneof(
      fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), // anything
      fc.bigInt({ min: -16n, max: 64n }).map((v) => BigInt.asUintN(64, v)), // small ids and codes
      fc.bigInt({ min: ram.lo - 4096n, max: ram.hi + 4096n }), // around RAM (unaligned too)
      fc.bigInt({ min: pt.base - 64n, max: pt.base + pt.size + 64n }), // around the page-table area
      fc.constantFrom(0n, 1n, 8n, 4096n, (1n << 63n) | 1n, (1n << 64n) - 8n, 0x8000_0000n, 0x801f_f000n),
    );
    const calls = fc.sample(fc.tuple(fc.constantFrom(...fids), fc.array(arg, { minLength: 5, maxLength: 5 })), {
      numRuns: CALLS,
      seed: 20261123,
    });
    let failed = 0;
    for (const [fid, args] of calls) {
      const before = monitorDigest(p.monitor.state);
      const writes = p.machine.mem.firmwareWrites;
      const r = p.kernel.sbi(fid, args);
      if (r < 0n) {
        failed++;
        expect(p.machine.mem.firmwareWrites, `fid ${fid} args ${args} wrote memory`).toBe(writes);
        expect(monitorDigest(p.monitor.state), `fid ${fid} changed the monitor`).toBe(before);
      }
    }
    expect(failed).toBeGreaterThan(CALLS * 0.9); // malformed calls really are refused
  }, 600_000);
});
