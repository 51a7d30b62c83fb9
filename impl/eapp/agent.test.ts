import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { demoElf, VA, type Answer, type Ecall } from "./testing/ecallRecorder.ts";
import { AgentDriver } from "./testing/agentDriver.ts";
import { AGENT_DATA_SIZE, AGENT_MAGIC, AGENT_RECORD_VA, AgentOp, AgentStatus, Handback, REC, postCommand, type Command } from "./agentRecord.ts";
import { ENCLAVE_EXTENSION, EnclaveFid as F, OcallId as O } from "../../model/abi.ts";

const EXT = BigInt(ENCLAVE_EXTENSION);
const regs = (c: Ecall) => [c.a6, c.a7, c.a0, c.a1, c.a2, c.a3];
const elf = await demoElf("agent");

/** Run one command on a fresh agent; `answer` gives the canned a0 of its ecalls. */
function one(cmd: Command, answer?: Answer) {
  const d = new AgentDriver(elf, { answer });
  const [done] = d.run([cmd]);
  return { d, done, scratch: d.read64(REC.SCRATCH_VA) };
}

describe("agent enclave: the command record of include/agent.h", () => {
  it("agentRecord.ts (offsets, opcodes, constants) matches include/agent.h", () => {
    const h = readFileSync(new URL("./include/agent.h", import.meta.url), "utf8");
    for (const [name, value] of Object.entries(AgentOp)) {
      expect(h, name).toMatch(new RegExp(`AGENT_OP_${name} = ${value},`));
    }
    const field = (f: string) => Number(new RegExp(`\\b${f}(?:\\[[^\\]]*\\])?;\\s*/\\* (0x[0-9a-f]+)`).exec(h)?.[1]);
    expect(field("magic")).toBe(REC.MAGIC);
    expect(field("seq")).toBe(REC.SEQ);
    expect(field("done")).toBe(REC.DONE);
    expect(field("handback")).toBe(REC.HANDBACK);
    expect(field("opcode")).toBe(REC.OPCODE);
    expect(field("arg")).toBe(REC.ARG);
    expect(field("result")).toBe(REC.RESULT);
    expect(field("status")).toBe(REC.STATUS);
    expect(field("entries")).toBe(REC.ENTRIES);
    expect(field("entry_args")).toBe(REC.ENTRY_ARGS);
    expect(field("scratch_va")).toBe(REC.SCRATCH_VA);
    expect(field("name")).toBe(REC.NAME);
    expect(field("call_arg")).toBe(REC.CALL_ARG);
    expect(field("data")).toBe(REC.DATA);
    const define = (n: string) => BigInt(new RegExp(`#define ${n} (0x[0-9a-fA-F]+|\\d+)`).exec(h)![1].replace(/UL$/, ""));
    expect(define("AGENT_RECORD_VA")).toBe(AGENT_RECORD_VA);
    expect(define("AGENT_MAGIC")).toBe(AGENT_MAGIC);
    expect(Number(define("AGENT_DATA_SIZE"))).toBe(AGENT_DATA_SIZE);
    expect(define("AGENT_HANDBACK_SPIN")).toBe(Handback.SPIN);
    expect(define("AGENT_BAD_OPCODE")).toBe(AgentStatus.BAD_OPCODE);
  });

  it("postCommand refuses more operands or data than the record holds", () => {
    const port = { read64: () => 0n, write64: () => {}, read: () => new Uint8Array(), write: () => {} };
    expect(() => postCommand(port, { op: AgentOp.NOP, args: new Array(7).fill(0n) })).toThrow(RangeError);
    expect(() => postCommand(port, { op: AgentOp.PRINT, data: new Uint8Array(AGENT_DATA_SIZE + 1) })).toThrow(RangeError);
  });

  it("idles with EAPP_YIELD and publishes a page-aligned private scratch page", () => {
    const d = new AgentDriver(elf);
    d.run([]);
    expect(d.rec.calls.map((c) => [c.a6, c.a7])).toEqual([[EXT, BigInt(F.YIELD)]]);
    const scratch = d.read64(REC.SCRATCH_VA);
    expect(scratch % 4096n).toBe(0n);
    expect(scratch).toBe(d.rec.symbols.get("scratch"));
  });

  const cases: [string, Command, (scratch: bigint) => bigint[]][] = [
    ["MMAP", { op: AgentOp.MMAP, args: [0x2f00_0000_0000n, 0x3000n] }, () => [98n, 1n, 0x2f00_0000_0000n, 0x3000n]],
    ["UNMAP", { op: AgentOp.UNMAP, args: [0x2fff_f000_0000n, 0x2000n] }, () => [98n, 2n, 0x2fff_f000_0000n, 0x2000n]],
    ["SBRK", { op: AgentOp.SBRK, args: [-0x3000n] }, () => [98n, 4n, BigInt.asUintN(64, -0x3000n)]],
    ["RETURN_RELAY", { op: AgentOp.RETURN_RELAY }, () => [98n, 7n]],
    ["SPLIT", { op: AgentOp.SPLIT, args: [VA.RELAY, 0x4000n, VA.RELAY + 0x1000n] }, () => [92n, VA.RELAY, 0x4000n, VA.RELAY + 0x1000n]],
    ["GET_CALLER_ID", { op: AgentOp.GET_CALLER_ID }, () => [91n]],
    ["GET_ENCLAVE_ID", { op: AgentOp.GET_ENCLAVE_ID }, () => [90n]],
    ["YIELD", { op: AgentOp.YIELD }, () => [89n]],
    ["GET_KEY", { op: AgentOp.GET_KEY, args: [1n, 32n] }, (s) => [88n, 1n, s, 32n]],
    ["GET_REPORT (self)", { op: AgentOp.GET_REPORT, args: [0xabcdn, 0n] }, (s) => [94n, 0n, s, 0xabcdn]],
    ["RAW_ECALL", { op: AgentOp.RAW_ECALL, args: [0x100100n, 77n, 1n, 2n, 3n, 4n] }, () => [0x100100n, 77n, 1n, 2n, 3n, 4n]],
  ];
  for (const [label, cmd, expected] of cases) {
    it(`${label}: exactly one ecall with the right registers; its a0 lands in result`, () => {
      const canned = 0x5151_0000n + BigInt(cmd.op);
      const { done, scratch } = one(cmd, () => canned);
      expect(done.calls).toHaveLength(1);
      const want = expected(scratch);
      const c = done.calls[0];
      const got = label === "RAW_ECALL" ? regs(c) : [c.a7, c.a0, c.a1, c.a2, c.a3].slice(0, want.length);
      expect(got).toEqual(want);
      if (label !== "RAW_ECALL") expect(c.a6).toBe(EXT);
      const width = ["UNMAP", "RETURN_RELAY", "YIELD", "GET_KEY", "GET_REPORT (self)"].includes(label) ? 32 : 64;
      expect(done.result).toBe(BigInt.asUintN(64, BigInt.asIntN(width, canned)));
      expect(done.status).toBe(0n);
    });
  }

  it("ACQUIRE passes a private copy of the 16 name bytes", () => {
    let name = "";
    const { done, scratch } = one({ op: AgentOp.ACQUIRE, name: "test-server1" }, (c, rec) => {
      name = new TextDecoder().decode(rec.read(c.a0, 16));
      return 9n;
    });
    expect(done.calls.map((c) => c.a7)).toEqual([BigInt(F.ACQUIRE_SERVER)]);
    expect(done.calls[0].a0 < VA.SHM && done.calls[0].a0 !== scratch).toBe(true);
    expect(name).toBe("test-server1\0\0\0\0");
    expect(done.result).toBe(9n);
  });

  it("CALL passes the handle and a private call_arg, and copies the callee's answer back", () => {
    const arg = [1n, 2n, 0x2fff_c000_0000n, 0x4000n, 5n, 6n];
    const { d, done } = one({ op: AgentOp.CALL, args: [42n], callArg: arg }, (c, rec) => {
      const seen = [0, 1, 2, 3, 4, 5].map((i) => rec.read64(c.a1 + 8n * BigInt(i)));
      expect(seen).toEqual(arg);
      rec.write64(c.a1 + 8n, 3n); // resp_val
      rec.write64(c.a1 + 32n, 0x2fff_b000_0000n); // resp_vaddr
      return 0n;
    });
    expect(regs(done.calls[0]).slice(0, 3)).toEqual([EXT, BigInt(F.CALL_ENCLAVE), 42n]);
    expect([0, 1, 2, 3, 4, 5].map((i) => d.read64(REC.CALL_ARG + 8 * i))).toEqual([1n, 3n, 0x2fff_c000_0000n, 0x4000n, 0x2fff_b000_0000n, 6n]);
  });

  it("ASYN_CALL passes the name and call_arg; SERVER_RETURN ends the run with its call_arg", () => {
    const asyn = one({ op: AgentOp.ASYN_CALL, name: "async-b", callArg: [7n, 0n, VA.RELAY, 0x1000n, 0n, 0n] });
    const c = asyn.done.calls[0];
    expect(c.a7).toBe(BigInt(F.ASYN_ENCLAVE_CALL));
    expect(asyn.d.rec.cString(c.a0, 16)).toBe("async-b");
    expect(asyn.d.rec.read64(c.a1 + 16n)).toBe(VA.RELAY);

    const ret = one({ op: AgentOp.SERVER_RETURN, callArg: [0n, 3n, 0n, 0n, 0n, 0n] });
    expect(ret.d.rec.outcome.kind).toBe("serverReturn");
    const arg = ret.done.calls[0].a0;
    expect(ret.d.rec.read64(arg + 8n)).toBe(3n);
  });

  it("GET_REPORT with a name, and GET_KEY, copy the monitor's output into data", () => {
    const { d, done } = one({ op: AgentOp.GET_REPORT, args: [1n, 1n], name: "test-server" }, (c, rec) => {
      expect(rec.cString(c.a0, 16)).toBe("test-server");
      rec.write(c.a1, Uint8Array.from({ length: 328 }, (_, i) => i & 0xff));
      return 0n;
    });
    expect(done.calls[0].a2).toBe(1n);
    expect(d.read(REC.DATA, 328)).toEqual(Uint8Array.from({ length: 328 }, (_, i) => i & 0xff));

    const key = one({ op: AgentOp.GET_KEY, args: [0n, 16n] }, (c, rec) => {
      rec.write(c.a1, new Uint8Array(16).fill(0xee));
      return 0n;
    });
    expect(key.done.calls.map((c) => [c.a7, c.a0, c.a2])).toEqual([[BigInt(F.GET_KEY), 0n, 16n]]);
    expect(key.d.read(REC.DATA, 16)).toEqual(new Uint8Array(16).fill(0xee));
  });

  it("GETRANDOM fills the private scratch through OCALL_GETRANDOM and copies it into data", () => {
    const { d, done, scratch } = one({ op: AgentOp.GETRANDOM, args: [40n] }, (c, rec) => {
      rec.write(c.a1, Uint8Array.from({ length: 40 }, (_, i) => 200 - i));
      return 40n;
    });
    expect(done.calls.map((c) => [c.a7, c.a0, c.a1, c.a2])).toEqual([[BigInt(F.ENCLAVE_OCALL), 8n, scratch, 40n]]);
    expect(done.result).toBe(40n);
    expect(d.read(REC.DATA, 40)).toEqual(Uint8Array.from({ length: 40 }, (_, i) => 200 - i));
  });

  it("LOAD/STORE touch the given VA with the given width and make no ecall", () => {
    const d = new AgentDriver(elf);
    const target = VA.SHM + 0x800n;
    const done = d.run([
      { op: AgentOp.STORE, args: [target, 8n, 0x1122_3344_5566_7788n] },
      { op: AgentOp.STORE, args: [target + 1n, 1n, 0xaan] },
      { op: AgentOp.LOAD, args: [target, 8n] },
      { op: AgentOp.LOAD, args: [target, 2n] },
      { op: AgentOp.LOAD, args: [target + 4n, 4n] },
      { op: AgentOp.NOP },
      { op: 99 },
    ]);
    expect(done.map((c) => c.calls.length)).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect(done.slice(2, 5).map((c) => c.result)).toEqual([0x1122_3344_5566_aa88n, 0xaa88n, 0x1122_3344n]);
    expect(done[6].status).toBe(1n); // AGENT_BAD_OPCODE
    expect(d.read64(0x800)).toBe(0x1122_3344_5566_aa88n);
  });

  it("a LOAD from an unmapped VA faults in U-mode (the monitor decides what happens next)", () => {
    const d = new AgentDriver(elf);
    d.run([{ op: AgentOp.LOAD, args: [0x20_0000_0000n, 8n] }]);
    expect(d.rec.outcome).toMatchObject({ kind: "fault", cause: 13n, tval: 0x20_0000_0000n });
  });

  it("EXIT ends the run through fid 99 with arg0", () => {
    const { d, done } = one({ op: AgentOp.EXIT, args: [0xdeadn] });
    expect(done.calls.map((c) => [c.a7, c.a0])).toEqual([[BigInt(F.EXIT_ENCLAVE), 0xdeadn]]);
    expect(d.rec.outcome).toEqual({ kind: "exit", value: 0xdeadn });
  });

  it("SPIN handback polls without ecalls (control returns only by preemption)", () => {
    const d = new AgentDriver(elf, { timerTicks: 50 });
    d.rec.write64(VA.SHM + BigInt(REC.HANDBACK), 1n);
    d.run([], 200_000);
    expect(d.rec.calls).toHaveLength(0);
    expect(d.rec.timerInterrupts).toBeGreaterThan(10);
    // the host posts a command while the agent spins; it runs it without any handback ecall
    d.rec.write64(VA.SHM + BigInt(REC.OPCODE), BigInt(AgentOp.LOAD));
    d.rec.write64(VA.SHM + BigInt(REC.ARG), VA.SHM + BigInt(REC.MAGIC));
    d.rec.write64(VA.SHM + BigInt(REC.ARG) + 8n, 8n);
    d.rec.write64(VA.SHM + BigInt(REC.SEQ), 1n);
    d.rec.run(200_000);
    expect(d.read64(REC.DONE)).toBe(1n);
    expect(d.read64(REC.RESULT)).toBe(d.read64(REC.MAGIC));
    expect(d.rec.calls).toHaveLength(0);
  });
});
