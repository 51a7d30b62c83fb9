import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { EcallRecorder, demoElf, VA } from "./testing/ecallRecorder.ts";
import { AgentDriver } from "./testing/agentDriver.ts";
import { AGENT_MAGIC, REC } from "./agentRecord.ts";

const u64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });

describe("entry stub _start (PGL §4.6, §3.3: a0–a4 at entry)", async () => {
  const agent = await demoElf("agent");
  const hello = await demoElf("hello-world");

  it("is the ELF entry at 0x1000", () => {
    const rec = new EcallRecorder(hello);
    expect(rec.symbols.get("_start")).toBe(0x1000n);
    expect(rec.machine.harts[0].pc).toBe(0x1000n);
  });

  it("delivers a0–a4 into args[10..14] of an -O2 program, and x2 = sp at entry into args[2]", () => {
    fc.assert(
      fc.property(fc.array(u64, { minLength: 5, maxLength: 5 }), (entry) => {
        const d = new AgentDriver(agent, { entryArgs: entry });
        d.run([]);
        expect(d.read64(REC.MAGIC)).toBe(AGENT_MAGIC);
        expect(d.read64(REC.ENTRIES)).toBe(1n);
        expect([0, 1, 2, 3, 4].map((i) => d.read64(REC.ENTRY_ARGS + 8 * i))).toEqual(entry);
        const frame = d.rec.read64(d.rec.symbols.get("__eapp_args")!);
        expect(frame).toBe(VA.STACK_TOP - 256n);
        expect(d.rec.read64(frame + 16n)).toBe(VA.STACK_TOP);
        expect([10, 11, 12, 13, 14].map((i) => d.rec.read64(frame + 8n * BigInt(i)))).toEqual(entry);
      }),
      { numRuns: 15 },
    );
  });

  it("hello-world prints the a2 it was entered with", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }), (a2) => {
        const rec = new EcallRecorder(hello, { entryArgs: [0n, 0n, a2] });
        rec.run(1_000_000);
        expect(rec.prints()).toEqual([`hello world! ${a2}\n`]);
      }),
      { numRuns: 15 },
    );
  });

  it("a main built at -O0 that returns exits through EAPP_RETURN with its (sign-extended int) value", async () => {
    const elf = await demoElf("return-value");
    fc.assert(
      fc.property(u64, (a0) => {
        const rec = new EcallRecorder(elf, { entryArgs: [a0] });
        const expected = BigInt.asUintN(64, BigInt.asIntN(32, a0 * 3n + 1n));
        expect(rec.run(10_000)).toEqual({ kind: "exit", value: expected });
      }),
      { numRuns: 15 },
    );
  });
});
