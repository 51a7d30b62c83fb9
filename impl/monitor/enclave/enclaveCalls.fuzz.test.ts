import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { readFileSync } from "node:fs";
import { bootPlatform } from "../../host/boot.ts";
import { PenglaiDriver } from "../../host/penglaiDriver.ts";
import { ENCLAVE_EXTENSION, EnclaveFid } from "../../../model/abi.ts";
import { ReturnCode } from "../../../model/codes.ts";
import { AgentOp, AGENT_MAGIC, completion, postCommand, REC } from "../../eapp/agentRecord.ts";
import type { MonitorState } from "../monitor.ts";
import { hostRecordPort } from "../sbi/fuzzSupport.ts";

// Bad input from U-mode (issue 5): the agent enclave (impl/eapp/demos/agent) performs ecalls with
// arbitrary arguments — wild and unaligned pointers, huge sizes, kernel addresses — for every
// enclave function that answers in place. Every call answers with a value (no JavaScript exception,
// the enclave survives), and a call that fails writes no memory and leaves the monitor unchanged.
const CALLS = Number(process.env.ENCLAVE_FUZZ_CALLS ?? 5_000);

/** What a failing call must not change: everything but the registers of the running code. */
const digest = (st: MonitorState): string =>
  JSON.stringify({ e: st.enclaves.map((e) => e && { ...e, ctx: null, host: null }), c: st.cpus }, (_k, v) =>
    typeof v === "bigint" ? `${v}n` : v instanceof Uint8Array ? Buffer.from(v).toString("hex") : v,
  );

describe("enclave calls under malformed arguments (U-mode)", () => {
  it(`answers ${CALLS} malformed enclave calls in place; failing ones change nothing`, () => {
    const p = bootPlatform({ harts: 1 });
    const d = new PenglaiDriver(p.kernel);
    d.timeSlice = 100_000n; // the checker decides when the enclave runs, not the timer
    const shm = p.kernel.allocPages(4096n);
    p.kernel.zero(shm, 4096n);
    const agent = new Uint8Array(readFileSync(new URL("../../eapp/bin/agent.elf", import.meta.url)));
    const eid = d.create(agent, { shm: { pa: shm, size: 4096n } });
    expect(eid).toBeGreaterThanOrEqual(0);
    const rec = hostRecordPort(p.kernel, shm);
    expect(d.runUntilYield(eid, true).code).toBe(BigInt(ReturnCode.YIELD));
    expect(rec.read64(REC.MAGIC)).toBe(AGENT_MAGIC);

    // functions that answer in place (no exit to the host): id, key, report, getrandom (ocall 8), sbrk 0
    const ram = 0x8000_0000n;
    const ptr = fc.oneof(
      fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
      fc.bigInt({ min: ram - 64n, max: ram + BigInt(p.machine.mem.size) }),
      fc.constantFrom(0n, 0x1000n, 0x39_0000_0000n - 8n, 0x38_0000_0000n - 4n, 0xffff_ffe0_0000_0ffcn, 1n << 63n),
      fc.bigInt({ min: 0x39_0000_0000n, max: 0x39_0000_1000n }), // the shm window itself
    );
    const size = fc.oneof(fc.bigInt({ min: 0n, max: 512n }), fc.constantFrom(1n << 40n, (1n << 64n) - 1n, 4097n, 65n));
    const call = fc.oneof(
      fc.tuple(fc.constant(EnclaveFid.GET_KEY), fc.bigInt({ min: -2n, max: 4n }), ptr, size, fc.constant(0n)),
      fc.tuple(
        fc.constant(EnclaveFid.GET_REPORT),
        fc.oneof(fc.constant(0n), ptr),
        ptr,
        fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
      ),
      fc.tuple(fc.constant(EnclaveFid.ENCLAVE_OCALL), fc.constant(8n), ptr, size), // getrandom
      fc.tuple(fc.constant(EnclaveFid.GET_ENCLAVE_ID)),
      // issue 6 calls: foreign or dead handles, wild argument structs, regions the caller does not hold
      fc.tuple(fc.constant(EnclaveFid.CALL_ENCLAVE), fc.bigInt({ min: -2n, max: 20n }), ptr),
      fc.tuple(fc.constant(EnclaveFid.ENCLAVE_RETURN), ptr), // no caller: NO_CALLER
      fc.tuple(fc.constant(EnclaveFid.ACQUIRE_SERVER), ptr),
      fc.tuple(fc.constant(EnclaveFid.GET_CALLER_ID)),
      fc.tuple(fc.constant(EnclaveFid.SPLIT_MEM_REGION), ptr, size, ptr),
      fc.tuple(fc.constant(EnclaveFid.ASYN_ENCLAVE_CALL), ptr, ptr),
      fc.tuple(fc.constant(EnclaveFid.SHM_ATTACH), fc.bigInt({ min: 0n, max: 8n })),
      fc.tuple(fc.constant(EnclaveFid.SHM_ALLOW), fc.bigInt({ min: 0n, max: 8n }), fc.bigInt({ min: -1n, max: 20n })),
      fc.tuple(fc.constant(EnclaveFid.SHM_STAT), fc.bigInt({ min: 0n, max: 8n }), ptr),
      fc.tuple(fc.constant(EnclaveFid.ENCLAVE_OCALL), fc.constant(10n), fc.bigInt({ min: 0n, max: 8n })), // shm detach
      fc.tuple(fc.constant(EnclaveFid.ENCLAVE_OCALL), fc.constant(11n), fc.bigInt({ min: 0n, max: 8n })), // shm destroy
      fc.tuple(fc.constant(EnclaveFid.ENCLAVE_OCALL), fc.constant(7n)), // return relay pages it does not have
    );
    const calls = fc.sample(call, { numRuns: CALLS, seed: 4242 });
    let refused = 0;
    for (const [fid, ...args] of calls) {
      const before = digest(p.monitor.state);
      const writes = p.machine.mem.firmwareWrites;
      postCommand(rec, { op: AgentOp.RAW_ECALL, args: [BigInt(ENCLAVE_EXTENSION), BigInt(fid), ...args.map((a) => BigInt(a))] });
      const r = d.runUntilYield(eid, false);
      expect(r.code, `fid ${fid} ${args}`).toBe(BigInt(ReturnCode.YIELD)); // the enclave lives on
      const { result } = completion(rec);
      if (BigInt.asIntN(64, result) < 0n) {
        refused++;
        expect(p.machine.mem.firmwareWrites, `fid ${fid} ${args} wrote`).toBe(writes);
        expect(digest(p.monitor.state)).toBe(before);
      }
    }
    expect(refused).toBeGreaterThan(CALLS / 4);
  }, 600_000);
});
