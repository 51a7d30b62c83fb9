import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { bootPlatform } from "../../host/boot.ts";
import { PenglaiDriver } from "../../host/penglaiDriver.ts";
import { HostFault } from "../../host/sModePort.ts";
import { ReturnCode } from "../../../model/codes.ts";
import { ENCLAVE_EXTENSION, HostFid } from "../../../model/abi.ts";
import { EnclaveType, EnclaveVa, ResumeReason } from "../../abi/enclaveAbi.ts";
import { AgentOp, completion, hostRecordPort, postCommand, type Command } from "../../eapp/agentRecord.ts";
import type { Platform } from "../../host/boot.ts";

// The seed's IPC tutorial (seed 003): host shm shared with the enclave, and Schrödinger/relay pages
// that are the enclave's while it runs and the host's again when it hands them back (PGL §4.7).
const elf = (name: string) => new Uint8Array(readFileSync(new URL(`../../eapp/bin/${name}.elf`, import.meta.url)));

describe("relay (Schrödinger) pages and host shm (seed 003, PGL §4.7, §4.10)", () => {
  it("the host cannot read relay pages while the enclave holds them, gets them back with the enclave's output, edits and re-runs", () => {
    const p = bootPlatform({ harts: 1 });
    const d = new PenglaiDriver(p.kernel);
    const k = p.kernel;
    const shm = k.allocPages(4096n);
    const relay = k.allocPages(4n * 4096n);
    k.zero(shm, 4096n);
    k.zero(relay, 4n * 4096n);
    for (let i = 0n; i < 4n; i++) k.write64(shm + 8n * i, 0x0000_0001_0000_0001n); // eight ints of 1
    k.write64(relay, 0x0000_0002_0000_0002n); // two ints of 2
    const eid = d.create(elf("ipc"), { shm: { pa: shm, size: 4096n } });
    d.timeSlice = 20n; // preempted while it holds the relay pages
    let r = d.runOneSliceWithRelay(eid, { pa: relay, size: 4n * 4096n });
    let probed = false;
    while (r.code === BigInt(ReturnCode.TIMER_IRQ)) {
      if (!probed && p.monitor.state.enclaves[eid]!.dyn.mmaps.some((m) => m.relay)) {
        // MI-4 / OW-6: a host load of a relay page faults while the enclave holds it
        expect(() => k.read64(relay)).toThrow(HostFault);
        probed = true;
      }
      r = d.runOneSlice(eid, false);
    }
    expect(probed).toBe(true);
    expect(r.code).toBe(BigInt(ReturnCode.RETURN_USER_MODE)); // eapp_return_relay_page()
    // the enclave wrote the shm sum (8) into relay word 0 and the relay sum (4) into shm word 0
    expect(k.read64(relay) & 0xffffffffn).toBe(8n);
    expect(k.read64(shm) & 0xffffffffn).toBe(4n);
    k.write64(relay + 8n, 0x0000_0010_0000_0010n); // the host edits the page, then re-runs
    const end = d.rerun(eid);
    expect(end.code).toBe(0n);
    expect(end.retval).toBe(8n + 2n + 0x10n + 0x10n); // the enclave sees the host's edit
    expect(p.monitor.state.bitmap!.isPublicRange(relay, 4n * 4096n)).toBe(true);
    expect(k.read64(relay + 8n)).toBe(0x0000_0010_0000_0010n); // relay content survives the exit (not scrubbed)
  });
});

describe("asynchronous pipeline (PGL §4.7: split_mem_region + asyn_enclave_call)", () => {
  it("A splits its relay region and hands the halves to named enclaves B and C, which pick them up when they start", () => {
    const p = bootPlatform({ harts: 1 });
    const d = new PenglaiDriver(p.kernel);
    const k = p.kernel;
    const relay = k.allocPages(4n * 4096n);
    k.zero(relay, 4n * 4096n);
    const a = d.create(elf("async-producer"), { name: "async-a" });
    const b = d.create(elf("async-consumer"), { name: "async-b" });
    const c = d.create(elf("async-consumer"), { name: "async-c" });
    const ra = d.run(a, 0, { pa: relay, size: 4n * 4096n });
    expect(ra.code).toBe(0n);
    expect(ra.retval).toBe(0n); // split and both hand-overs succeeded
    // the halves are nobody's mapping now and private: the host cannot read them
    expect(p.monitor.state.pendingRelays.map((r) => r.name)).toEqual(["async-b", "async-c"]);
    expect(p.monitor.state.bitmap!.isPublicRange(relay, 4096n)).toBe(false);
    const rb = d.run(b, 0, { pa: 0xffffn, size: 0n });
    const rc = d.run(c, 0, { pa: 0xffffn, size: 0n });
    // first half: 2 pages of int 1; second half: 2 pages of int 2
    expect(rb.retval).toBe((2n * 4096n) / 4n);
    expect(rc.retval).toBe(((2n * 4096n) / 4n) * 2n);
    expect(p.monitor.state.pendingRelays).toEqual([]);
    expect(p.monitor.state.bitmap!.isPublicRange(relay, 4n * 4096n)).toBe(true); // back to the host with the data
    expect(k.read64(relay + 2n * 4096n) & 0xffffffffn).toBe(2n);
  });
});

describe("relay regions driven by the agent enclave (found by the explorer's relay family)", () => {
  const EXT = BigInt(ENCLAVE_EXTENSION);
  const PAGE = 4096n;
  const signed = (v: bigint) => BigInt.asIntN(64, v);

  /** An agent (its own shm record) run with `relay` as its mm_arg; `cmd` posts one command and lets it run. */
  function agent(p: Platform, d: PenglaiDriver, name: string, relay: [bigint, bigint] | null) {
    const k = p.kernel;
    const shm = k.allocPages(PAGE);
    k.zero(shm, PAGE);
    const eid = d.create(elf("agent"), { name, shm: { pa: shm, size: PAGE } });
    const param = d.enclaves.get(eid)!.paramPage + 0x200n;
    const e = p.monitor.state.enclaves[eid]!;
    if (relay) {
      k.write64(param, relay[0]);
      k.write64(param + 8n, relay[1]);
    }
    expect(k.sbi(HostFid.RUN_ENCLAVE, [BigInt(eid), relay ? param : 0n])).toBe(BigInt(ReturnCode.YIELD));
    const rec = hostRecordPort(k, shm);
    /** One command: the ecall's a0, or the host's answer when the enclave left (OCALL…). */
    const cmd = (c: Command): { a0?: bigint; host?: bigint } => {
      postCommand(rec, c);
      const r = k.sbi(HostFid.RESUME_ENCLAVE, [BigInt(eid), ResumeReason.TIMER_IRQ]);
      return r === BigInt(ReturnCode.YIELD) ? { a0: signed(completion(rec).result) } : { host: r };
    };
    return { eid, e, cmd };
  }

  it("split pieces are relay entries of their own: all go back on OCALL_RETURN_RELAY_PAGE; a lent one or a nameless hand-over is refused", () => {
    const p = bootPlatform({ harts: 1 }, { maxEnclaves: 4 });
    const d = new PenglaiDriver(p.kernel);
    const k = p.kernel;
    const region = k.allocPages(2n * PAGE);
    const A = agent(p, d, "", [region, 2n * PAGE]);
    const base = EnclaveVa.MM_ARG_BASE;
    expect(A.cmd({ op: AgentOp.SPLIT, args: [base, 2n * PAGE, base + PAGE] }).a0).toBe(0n);
    // asyn_enclave_call to "": nobody could ever claim it
    expect(A.cmd({ op: AgentOp.ASYN_CALL, name: "", callArg: [0n, 0n, base + PAGE, PAGE, 0n, 0n] }).a0).toBe(
      BigInt(ReturnCode.INVALID_ARGUMENT),
    );
    // the hand-back returns both pieces (only the first went back: the split-off page stayed private)
    expect(A.cmd({ op: AgentOp.RETURN_RELAY }).host).toBe(BigInt(ReturnCode.OCALL));
    expect(p.monitor.state.bitmap!.isPublicRange(region, 2n * PAGE)).toBe(true);
    expect(A.e.dyn.mmaps.some((m) => m.relay)).toBe(false);
    // the re-run is asked for by its id (a2 = 7): anything else is refused; (0, 0) re-runs without a region
    expect(k.sbi(HostFid.RESUME_ENCLAVE, [BigInt(A.eid), ResumeReason.OCALL, 3n])).toBe(BigInt(ReturnCode.BAD_STATE));
    expect(k.sbi(HostFid.RESUME_ENCLAVE, [BigInt(A.eid), ResumeReason.OCALL, 7n, region, 2n * PAGE])).toBe(
      BigInt(ReturnCode.YIELD),
    );
    expect(p.monitor.state.bitmap!.isPublicRange(region, PAGE)).toBe(false); // the bound region is the enclave's again
    expect(A.cmd({ op: AgentOp.RETURN_RELAY }).host).toBe(BigInt(ReturnCode.OCALL));
    expect(k.sbi(HostFid.RESUME_ENCLAVE, [BigInt(A.eid), ResumeReason.OCALL, 7n, 0n, 0n])).toBe(BigInt(ReturnCode.YIELD));
    expect(A.cmd({ op: AgentOp.RETURN_RELAY }).a0).toBe(BigInt(ReturnCode.NO_SUCH_RELAY)); // nothing to hand back
  });

  it("a run taking several regions pending for its name maps each as a relay entry of its own", () => {
    const p = bootPlatform({ harts: 1 }, { maxEnclaves: 4 });
    const d = new PenglaiDriver(p.kernel);
    const k = p.kernel;
    const r1 = k.allocPages(PAGE),
      r2 = k.allocPages(2n * PAGE);
    const base = EnclaveVa.MM_ARG_BASE;
    for (const [pa, size] of [
      [r1, PAGE],
      [r2, 2n * PAGE],
    ] as const) {
      const A = agent(p, d, "", [pa, size]);
      expect(A.cmd({ op: AgentOp.ASYN_CALL, name: "sink", callArg: [0n, 0n, base, size, 0n, 0n] }).a0).toBe(0n);
    }
    const B = agent(p, d, "sink", [0xffffn, 0n]);
    expect(B.e.dyn.mmaps.filter((m) => m.relay).map((m) => [m.va, m.pages.length])).toEqual([
      [base, 1],
      [base + PAGE, 2],
    ]);
    // so the second can be passed on alone (it could not: the merged entry matched neither region)
    expect(B.cmd({ op: AgentOp.ASYN_CALL, name: "sink", callArg: [0n, 0n, base + PAGE, 2n * PAGE, 0n, 0n] }).a0).toBe(0n);
  });

  it("a call lending a region the caller does not hold is NOT_OWNER even at a busy server (the caller's arguments first, as the spec)", () => {
    const p = bootPlatform({ harts: 1 }, { maxEnclaves: 4 });
    const d = new PenglaiDriver(p.kernel);
    const k = p.kernel;
    const shm = k.allocPages(PAGE);
    k.zero(shm, PAGE);
    const srv = d.create(elf("agent"), { name: "srv", type: EnclaveType.SERVER, shm: { pa: shm, size: PAGE } });
    const A = agent(p, d, "", null);
    expect(A.cmd({ op: AgentOp.CALL, args: [BigInt(srv)], callArg: [0n, 0n, 0n, 0n, 0n, 0n] }).a0).toBe(0n); // in the server now
    const rec = hostRecordPort(k, shm);
    postCommand(rec, { op: AgentOp.CALL, args: [BigInt(srv)], callArg: [0n, 0n, EnclaveVa.MM_ARG_BASE, PAGE, 0n, 0n] });
    expect(k.sbi(HostFid.RESUME_ENCLAVE, [BigInt(A.eid), ResumeReason.TIMER_IRQ])).toBe(BigInt(ReturnCode.YIELD));
    expect(signed(completion(rec).result)).toBe(BigInt(ReturnCode.NOT_OWNER)); // it was SERVER_BUSY
    postCommand(rec, { op: AgentOp.CALL, args: [BigInt(srv)], callArg: [0n, 0n, 0n, 0n, 0n, 0n] });
    expect(k.sbi(HostFid.RESUME_ENCLAVE, [BigInt(A.eid), ResumeReason.TIMER_IRQ])).toBe(BigInt(ReturnCode.YIELD));
    expect(signed(completion(rec).result)).toBe(BigInt(ReturnCode.SERVER_BUSY)); // nothing lent: the server is busy
  });

  it("a re-run maps the region where its page tables already are: no free page needed (it asked for three)", () => {
    const p = bootPlatform({ harts: 1 }, { maxEnclaves: 4 });
    const d = new PenglaiDriver(p.kernel);
    const k = p.kernel;
    const region = k.allocPages(2n * PAGE);
    const A = agent(p, d, "", [region, 2n * PAGE]);
    expect(A.cmd({ op: AgentOp.RETURN_RELAY }).host).toBe(BigInt(ReturnCode.OCALL));
    const free = A.e.freePages.splice(0); // spent on other mappings
    expect(k.sbi(HostFid.RESUME_ENCLAVE, [BigInt(A.eid), ResumeReason.OCALL, 7n, region, 2n * PAGE])).toBe(
      BigInt(ReturnCode.YIELD),
    );
    expect(A.e.dyn.mmaps.filter((m) => m.relay).map((m) => m.pages)).toEqual([[region, region + PAGE]]);
    A.e.freePages.push(...free);
  });
});
