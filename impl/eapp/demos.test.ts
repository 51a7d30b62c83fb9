import { describe, expect, it } from "vitest";
import { EcallRecorder, demoElf, VA, type Ecall } from "./testing/ecallRecorder.ts";
import { EnclaveFid as F, OcallId as O } from "../../model/abi.ts";

// The demos under the ECALL RECORDER: the recorder only answers, so these tests check what each
// demo asks of the monitor (registers, structs, names) and what it makes of canned answers.
const is = (fid: number) => (c: Ecall) => c.a7 === BigInt(fid);
const ocall = (id: number) => (c: Ecall) => c.a7 === BigInt(F.ENCLAVE_OCALL) && c.a0 === BigInt(id);
const ints = (n: number, f: (i: number) => number) => {
  const b = new Uint8Array(4 * n);
  const v = new DataView(b.buffer);
  for (let i = 0; i < n; i++) v.setInt32(4 * i, f(i), true);
  return b;
};
const sumInts = (rec: EcallRecorder, va: bigint, bytes: number) => {
  const b = rec.read(va, bytes);
  const v = new DataView(b.buffer);
  let s = 0n;
  for (let i = 0; i < bytes; i += 4) s += BigInt(v.getInt32(i, true));
  return s;
};
const callArg = (rec: EcallRecorder, va: bigint) => [0, 1, 2, 3, 4, 5].map((i) => rec.read64(va + 8n * BigInt(i)));
const REQ = 4 * 4096;

describe("server tutorial (seed 001) and IPC tutorial (seed 003) demos", async () => {
  const [caller, server, server1, ipc] = await Promise.all(["caller", "server", "server1", "ipc"].map(demoElf));

  it("caller: acquires test-server1, falls back to test-server, reports, calls with a 4-page mmap region, returns resp_val", () => {
    const names: string[] = [];
    let seenArg: bigint[] = [];
    const rec = new EcallRecorder(caller, {
      answer: (c, r) => {
        if (is(F.ACQUIRE_SERVER)(c)) {
          names.push(r.cString(c.a0, 16));
          return names.length === 1 ? -1n : 5n; // no test-server1: the fallback must follow
        }
        if (is(F.CALL_ENCLAVE)(c)) {
          seenArg = callArg(r, c.a1);
          r.write64(c.a1 + 8n, 2n); // resp_val as test-server answers
          return 0n;
        }
        return undefined;
      },
    });
    const out = rec.run(20_000_000);
    expect(names).toEqual(["test-server1", "test-server"]);
    const reports = rec.calls.filter(is(F.GET_REPORT));
    expect(reports.map((c) => (c.a0 === 0n ? null : rec.cString(c.a0, 16)))).toEqual([null, "test-server"]);
    expect(reports.map((c) => c.a2)).toEqual([1234n, 1234n]);
    const mmap = rec.calls.filter(ocall(O.MMAP));
    expect(mmap.map((c) => c.a2)).toEqual([BigInt(REQ)]);
    const call = rec.calls.filter(is(F.CALL_ENCLAVE));
    expect(call.map((c) => c.a0)).toEqual([5n]);
    const region = VA.MMAP_TOP - BigInt(REQ); // the recorder's answer to the mmap
    expect(seenArg).toEqual([0x19960000n, 0n, region, BigInt(REQ), 0n, 0n]);
    expect(sumInts(rec, region, REQ)).toBe(BigInt(REQ / 4)); // filled with 1s
    expect(out).toEqual({ kind: "exit", value: 2n });
  });

  it("server: sums the request it is entered with, answers a 4-page region of 2s and resp_val 2", () => {
    const rec = new EcallRecorder(server, { relayBytes: REQ, entryArgs: [0x100n, VA.RELAY, BigInt(REQ)] });
    rec.write(VA.RELAY, ints(REQ / 4, (i) => i % 7));
    const out = rec.run(20_000_000);
    expect(out.kind).toBe("serverReturn");
    const arg = callArg(rec, (out as { arg: bigint }).arg);
    const resp = VA.MMAP_TOP - BigInt(REQ);
    expect(arg).toEqual([arg[0], 2n, VA.RELAY, BigInt(REQ), resp, BigInt(REQ)]);
    expect(sumInts(rec, resp, REQ)).toBe(BigInt(2 * (REQ / 4)));
    const sum = 0x100n + sumInts(rec, VA.RELAY, REQ);
    expect(rec.prints()[0]).toBe(`server: request arg 0x100, sum 0x${sum.toString(16)}\n`);
  });

  it("server1: edits the request in place, reports and calls test-server with it, returns resp_val 3", () => {
    const before = ints(REQ / 4, (i) => i);
    let forwarded: bigint[] = [];
    const rec = new EcallRecorder(server1, {
      relayBytes: REQ,
      entryArgs: [0x7n, VA.RELAY, BigInt(REQ)],
      answer: (c, r) => {
        if (is(F.ACQUIRE_SERVER)(c)) return r.cString(c.a0, 16) === "test-server" ? 11n : -1n;
        if (is(F.CALL_ENCLAVE)(c)) forwarded = [c.a0, ...callArg(r, c.a1)];
        return undefined;
      },
    });
    rec.write(VA.RELAY, before);
    const out = rec.run(20_000_000);
    expect(forwarded).toEqual([11n, 0x7n, 0n, VA.RELAY, BigInt(REQ), 0n, 0n]);
    const report = rec.calls.filter(is(F.GET_REPORT));
    expect(report.map((c) => [rec.cString(c.a0, 16), c.a2])).toEqual([["test-server", 1n]]);
    expect(sumInts(rec, VA.RELAY, REQ)).toBe(sumInts(rec, VA.RELAY, 0) + BigInt((REQ / 4) * (REQ / 4 - 1) / 2 + REQ / 4));
    expect(out.kind).toBe("serverReturn");
    expect(callArg(rec, (out as { arg: bigint }).arg)[1]).toBe(3n);
  });

  it("ipc: exchanges sums through shm and relay page, hands the relay page back, returns its new sum", () => {
    const shmInts = ints(1024, (i) => i + 1);
    const relayInts = ints(1024, (i) => 3 * i);
    let edited = 0n;
    const rec = new EcallRecorder(ipc, {
      shmBytes: 4096,
      relayBytes: 4096,
      entryArgs: [VA.SHM, 4096n, 0n, VA.RELAY, 4096n],
      answer: (c, r) => {
        if (ocall(O.RETURN_RELAY_PAGE)(c)) {
          r.write(VA.RELAY + 8n, ints(1, () => 1000)); // the host edits the page before re-running
          edited = sumInts(r, VA.RELAY, 4096);
          return 0n;
        }
        return undefined;
      },
    });
    const shmSum = (1024n * 1025n) / 2n;
    const relaySum = 3n * ((1023n * 1024n) / 2n);
    rec.write(VA.SHM, shmInts);
    rec.write(VA.RELAY, relayInts);
    const out = rec.run(20_000_000);
    expect(rec.read64(VA.SHM) & 0xffff_ffffn).toBe(relaySum & 0xffff_ffffn);
    expect(rec.calls.filter(ocall(O.RETURN_RELAY_PAGE))).toHaveLength(1);
    expect(edited).toBe(shmSum + relaySum - 3n * 2n + 1000n); // relay[0] := shm sum, relay[2] := 1000
    expect(out).toEqual({ kind: "exit", value: edited });
  });
});

describe("shadow (seed 004), async pipeline (PGL §4.7) and attestation demos", async () => {
  const [shadow, producer, consumer, attest] = await Promise.all(
    ["shadow-hello", "async-producer", "async-consumer", "attest"].map(demoElf),
  );

  it("shadow-hello: every fresh instance prints hello world and returns run counter 1", () => {
    for (const a2 of [0n, 3n]) {
      const rec = new EcallRecorder(shadow, { entryArgs: [0n, 0n, a2] });
      expect(rec.run(5_000_000)).toEqual({ kind: "exit", value: 1n });
      expect(rec.prints()).toEqual([`hello world! ${a2} (instance run 1)\n`]);
    }
  });

  it("async-producer: splits its relay region at the middle page and hands each half to async-b / async-c", () => {
    const size = 4 * 4096;
    const handed: [string, bigint[]][] = [];
    const rec = new EcallRecorder(producer, {
      relayBytes: size,
      entryArgs: [0n, 0n, 0n, VA.RELAY, BigInt(size)],
      answer: (c, r) => {
        if (is(F.ASYN_ENCLAVE_CALL)(c)) handed.push([r.cString(c.a0, 16), callArg(r, c.a1)]);
        return undefined;
      },
    });
    expect(rec.run(5_000_000)).toEqual({ kind: "exit", value: 0n });
    const half = BigInt(size / 2);
    expect(rec.calls.filter(is(F.SPLIT_MEM_REGION)).map((c) => [c.a0, c.a1, c.a2])).toEqual([[VA.RELAY, BigInt(size), VA.RELAY + half]]);
    expect(handed).toEqual([
      ["async-b", [1n, 0n, VA.RELAY, half, 0n, 0n]],
      ["async-c", [2n, 0n, VA.RELAY + half, half, 0n, 0n]],
    ]);
    // names are passed as 16 zero-padded bytes
    const first = rec.calls.filter(is(F.ASYN_ENCLAVE_CALL))[0];
    expect(rec.read(first.a0, 16).slice(7)).toEqual(new Uint8Array(9));
    expect(sumInts(rec, VA.RELAY, size / 2)).toBe(BigInt(size / 8));
    expect(sumInts(rec, VA.RELAY + half, size / 2)).toBe(BigInt(size / 4));
  });

  it("async-consumer: sums the relay pages it starts with", () => {
    const rec = new EcallRecorder(consumer, { relayBytes: 8192, entryArgs: [0n, 0n, 0n, VA.RELAY, 8192n] });
    rec.write(VA.RELAY, ints(2048, (i) => (i % 3) - 1));
    const expected = sumInts(rec, VA.RELAY, 8192);
    expect(rec.run(5_000_000)).toEqual({ kind: "exit", value: BigInt.asUintN(64, expected) });
  });

  it("attest: get_report(NULL, .., shm nonce) and get_key(ENCLAVE_KEY, .., 32); report and key land in shm", () => {
    const nonce = 0x1234_5678_9abc_def0n;
    const rec = new EcallRecorder(attest, {
      shmBytes: 4096,
      entryArgs: [VA.SHM, 4096n],
      answer: (c, r) => {
        if (is(F.GET_REPORT)(c)) {
          r.write(c.a1 + 160n, new Uint8Array(32).fill(0xab)); // enclave.hash
          r.write64(c.a1 + 256n, c.a2); // enclave.nonce
          return 0n;
        }
        if (is(F.GET_KEY)(c)) {
          r.write(c.a1, new Uint8Array(32).fill(0x5a));
          return 0n;
        }
        return undefined;
      },
    });
    rec.write64(VA.SHM, nonce);
    expect(rec.run(5_000_000)).toEqual({ kind: "exit", value: 0n });
    expect(rec.calls.filter(is(F.GET_REPORT)).map((c) => [c.a0, c.a2])).toEqual([[0n, nonce]]);
    expect(rec.calls.filter(is(F.GET_KEY)).map((c) => [c.a0, c.a2])).toEqual([[0n, 32n]]);
    expect(rec.read64(VA.SHM + 8n + 256n)).toBe(nonce);
    expect(rec.read(VA.SHM + 8n + 160n, 32)).toEqual(new Uint8Array(32).fill(0xab));
    expect(rec.read(VA.SHM + 8n + 328n, 32)).toEqual(new Uint8Array(32).fill(0x5a));
    expect(rec.prints()[0]).toBe(`attest: nonce 0x${nonce.toString(16)} hash ${"ab".repeat(32)} status 0\n`);
  });

  it("attest: a refused report shows in the exit status (bit 0), a wrong nonce in bit 1", () => {
    const rec = new EcallRecorder(attest, { answer: (c) => (is(F.GET_REPORT)(c) ? -1n : undefined) });
    expect(rec.run(5_000_000)).toEqual({ kind: "exit", value: 3n });
  });
});
