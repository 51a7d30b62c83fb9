import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { bootPlatform } from "../../host/boot.ts";
import { PenglaiDriver } from "../../host/penglaiDriver.ts";
import { readFileSync } from "node:fs";
import { FUZZ_HOST_FIDS, StateWatch, wildHostArg } from "./fuzzSupport.ts";

// Bad input (issue 5): ≥ 100,000 host SBI calls with malformed arguments — wild and unaligned
// pointers, overflowing sizes, foreign or stale enclave ids, unknown function ids — from S-mode.
// Every call returns (no JavaScript exception escapes the machine), and every call that fails
// writes no memory and leaves the monitor's state as it was (LC-6).
const CALLS = Number(process.env.SBI_FUZZ_CALLS ?? 100_000);

describe("host SBI interface under malformed arguments", () => {
  it(`survives ${CALLS} malformed calls; failing calls change nothing`, () => {
    const p = bootPlatform({ harts: 1 });
    // live enclaves, so that ids, states and the host binding are exercised too
    const d = new PenglaiDriver(p.kernel);
    const hello = new Uint8Array(readFileSync(new URL("../../eapp/bin/hello-world.elf", import.meta.url)));
    expect([d.create(hello), d.create(hello)]).toEqual([0, 1]);
    const arg = wildHostArg(p);
    const calls = fc.sample(fc.tuple(fc.constantFrom(...FUZZ_HOST_FIDS), fc.array(arg, { minLength: 5, maxLength: 5 })), {
      numRuns: CALLS,
      seed: 20261123,
    });
    let failed = 0;
    const watch = new StateWatch(p);
    for (const [i, [fid, args]] of calls.entries()) {
      const what = `call ${i}: fid ${fid} args ${args}`;
      const writes = p.machine.mem.firmwareWrites;
      const r = p.kernel.sbi(fid, args);
      if (r < 0n) {
        failed++;
        expect(p.machine.mem.firmwareWrites, `${what} wrote memory`).toBe(writes);
        watch.unchanged(what);
      } else watch.rebase(what); // a call that succeeded may change the state
    }
    watch.finish();
    expect(failed).toBeGreaterThan(CALLS * 0.9); // malformed calls really are refused
  }, 600_000);
});
