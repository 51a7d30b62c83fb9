import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { bootPlatform } from "../../host/boot.ts";
import { PenglaiDriver } from "../../host/penglaiDriver.ts";
import type { HostKernel } from "../../host/hostKernel.ts";
import { ENCLAVE_EXTENSION, EnclaveFid, HostFid, OcallId } from "../../../model/abi.ts";
import { ResumeReason } from "../../abi/enclaveAbi.ts";
import { ReturnCode } from "../../../model/codes.ts";
import { AgentOp, completion, hostRecordPort, postCommand } from "../../eapp/agentRecord.ts";
import { acceptDonation } from "./dynamicMemory.ts";
import { createSecureShm } from "./secureShm.ts";

// Secure shared memory between enclaves (PGL §4.9) with the owner-controlled attach list the
// original lacks (IPC-5), driven through agent enclaves issuing real ecalls.
const agentElf = new Uint8Array(readFileSync(new URL("../../eapp/bin/agent.elf", import.meta.url)));
const EXT = BigInt(ENCLAVE_EXTENSION);
const signed = (v: bigint) => BigInt.asIntN(64, v);

function agent(k: HostKernel, d: PenglaiDriver) {
  const shm = k.allocPages(4096n);
  k.zero(shm, 4096n);
  const eid = d.create(agentElf, { shm: { pa: shm, size: 4096n } });
  const rec = hostRecordPort(k, shm);
  d.runUntilYield(eid, true);
  const cmd = (op: number, args: bigint[] = []): bigint => {
    postCommand(rec, { op, args });
    d.runUntilYield(eid, false);
    return completion(rec).result;
  };
  const ecall = (fid: number, ...a: bigint[]) => cmd(AgentOp.RAW_ECALL, [EXT, BigInt(fid), ...a]);
  return { eid, cmd, ecall };
}

describe("secure shared memory between enclaves (PGL §4.9, IPC-5)", () => {
  it("the owner creates, allows B; B attaches and sees the owner's data; C may not attach; freed scrubbed when destroyed and detached", () => {
    const p = bootPlatform({ harts: 1 });
    const d = new PenglaiDriver(p.kernel);
    d.timeSlice = 1_000_000n;
    const A = agent(p.kernel, d),
      B = agent(p.kernel, d),
      C = agent(p.kernel, d);
    const key = 77n;
    const vaA = A.ecall(EnclaveFid.ENCLAVE_OCALL, BigInt(OcallId.SHM_GET), key, 8192n);
    expect(signed(vaA)).toBeGreaterThan(0n);
    expect(A.cmd(AgentOp.STORE, [vaA + 8n, 8n, 0x5151n])).toBe(0n);
    expect(signed(A.ecall(EnclaveFid.ENCLAVE_OCALL, BigInt(OcallId.SHM_GET), key, 4096n))).toBe(BigInt(ReturnCode.SHM_KEY_TAKEN));
    expect(signed(B.ecall(EnclaveFid.SHM_ATTACH, key))).toBe(BigInt(ReturnCode.SHM_NOT_ALLOWED)); // not yet allowed
    expect(signed(C.ecall(EnclaveFid.SHM_ALLOW, key, BigInt(C.eid)))).toBe(BigInt(ReturnCode.NOT_OWNER)); // only the owner lists
    expect(A.ecall(EnclaveFid.SHM_ALLOW, key, BigInt(B.eid))).toBe(0n);
    const vaB = B.ecall(EnclaveFid.SHM_ATTACH, key);
    expect(signed(vaB)).toBeGreaterThan(0n);
    expect(B.cmd(AgentOp.LOAD, [vaB + 8n, 8n])).toBe(0x5151n);
    expect(signed(B.ecall(EnclaveFid.SHM_ATTACH, key))).toBe(BigInt(ReturnCode.ALREADY_ATTACHED));
    expect(signed(C.ecall(EnclaveFid.SHM_ATTACH, key))).toBe(BigInt(ReturnCode.SHM_NOT_ALLOWED));
    const seg = p.monitor.state.secureShms.get(key)!;
    const pages = [...seg.pages];
    expect(pages.every((pa) => !p.monitor.state.bitmap!.isPublicRange(pa, 4096n))).toBe(true); // never the host's
    expect(A.ecall(EnclaveFid.ENCLAVE_OCALL, BigInt(OcallId.SHM_DESTROY), key)).toBe(0n);
    expect(p.monitor.state.secureShms.has(key)).toBe(true); // still attached by A and B
    expect(A.ecall(EnclaveFid.ENCLAVE_OCALL, BigInt(OcallId.SHM_DETACH), key)).toBe(0n);
    expect(B.ecall(EnclaveFid.ENCLAVE_OCALL, BigInt(OcallId.SHM_DETACH), key)).toBe(0n);
    expect(p.monitor.state.secureShms.has(key)).toBe(false);
    for (const pa of pages) {
      expect(p.monitor.state.bitmap!.isPublicRange(pa, 4096n)).toBe(true);
      expect(p.machine.mem.read(pa, 4096).every((b) => b === 0)).toBe(true); // CS-1
    }
  });

  it("segments are held by slot: destroying key k leaves key k + 10^6 private and mapped (they shared a ledger holder)", () => {
    const p = bootPlatform({ harts: 1 });
    const d = new PenglaiDriver(p.kernel);
    d.timeSlice = 1_000_000n;
    const A = agent(p.kernel, d);
    const get = (key: bigint) => A.ecall(EnclaveFid.ENCLAVE_OCALL, BigInt(OcallId.SHM_GET), key, 4096n);
    const vaSmall = get(5n);
    const vaBig = get(1_000_005n);
    expect(signed(vaSmall)).toBeGreaterThan(0n);
    expect(signed(vaBig)).toBeGreaterThan(0n);
    const st = p.monitor.state;
    expect([st.secureShms.get(5n)!.id, st.secureShms.get(1_000_005n)!.id]).toEqual([0, 1]); // lowest free slots
    expect(A.cmd(AgentOp.STORE, [vaBig, 8n, 0x77n])).toBe(0n);
    const bigPages = [...st.secureShms.get(1_000_005n)!.pages];
    expect(A.ecall(EnclaveFid.ENCLAVE_OCALL, BigInt(OcallId.SHM_DESTROY), 5n)).toBe(0n);
    expect(A.ecall(EnclaveFid.ENCLAVE_OCALL, BigInt(OcallId.SHM_DETACH), 5n)).toBe(0n);
    expect(st.secureShms.has(5n)).toBe(false);
    for (const pa of bigPages) expect(st.bitmap!.isPublicRange(pa, 4096n)).toBe(false);
    expect(A.cmd(AgentOp.LOAD, [vaBig, 8n])).toBe(0x77n);
    // the freed slot 0 is taken again by the next segment
    expect(signed(get(6n))).toBeGreaterThan(0n);
    expect(st.secureShms.get(6n)!.id).toBe(0);
  });

  it("an orphaned segment has no owner: a later enclave in the dead owner's slot cannot allow or destroy it", () => {
    const p = bootPlatform({ harts: 1 });
    const d = new PenglaiDriver(p.kernel);
    d.timeSlice = 1_000_000n;
    const A = agent(p.kernel, d),
      B = agent(p.kernel, d);
    const key = 31n;
    expect(signed(A.ecall(EnclaveFid.ENCLAVE_OCALL, BigInt(OcallId.SHM_GET), key, 4096n))).toBeGreaterThan(0n);
    expect(A.ecall(EnclaveFid.SHM_ALLOW, key, BigInt(B.eid))).toBe(0n);
    expect(signed(B.ecall(EnclaveFid.SHM_ATTACH, key))).toBeGreaterThan(0n);
    const donated = [...d.enclaves.get(A.eid)!.donated];
    A.cmd(AgentOp.EXIT, [0n]);
    // the segment still holds A's donated block (B uses it): the driver keeps it out of the host's
    // allocator (it freed it, so the next enclave's pages were still-private ones)
    expect(d.heldBack).toEqual(donated);
    expect(p.monitor.state.enclaves[A.eid]).toBeNull();
    const seg = p.monitor.state.secureShms.get(key)!;
    expect([seg.owner, seg.destroyPending]).toEqual([-1, true]); // still used by B
    const C = agent(p.kernel, d);
    expect(C.eid).toBe(A.eid); // the slot is reused
    expect(signed(C.ecall(EnclaveFid.SHM_ALLOW, key, BigInt(C.eid)))).toBe(BigInt(ReturnCode.NOT_OWNER));
    expect(signed(C.ecall(EnclaveFid.SHM_ATTACH, key))).toBe(BigInt(ReturnCode.NO_SUCH_SHM)); // destroy pending
    expect(B.ecall(EnclaveFid.ENCLAVE_OCALL, BigInt(OcallId.SHM_DETACH), key)).toBe(0n);
    expect(p.monitor.state.secureShms.has(key)).toBe(false);
    d.reclaim(); // scrubbed and public again: back to the allocator
    expect(d.heldBack).toEqual([]);
    expect(p.kernel.allocPages(donated[0].size)).toBe(donated[0].pa);
  });

  it("a segment's pages keep the host's donation order; one its creator cannot map leaves no segment behind (LC-6)", () => {
    const p = bootPlatform({ harts: 1 });
    const d = new PenglaiDriver(p.kernel);
    d.timeSlice = 1_000_000n;
    const A = agent(p.kernel, d);
    const st = p.monitor.state;
    const e = st.enclaves[A.eid]!;
    // no page left for the page tables a first segment needs: the create fails and changes nothing
    const one = p.kernel.allocPages(4096n);
    expect(acceptDonation(st, e, one, 4096n, 1n)).toBe(true);
    const free = e.freePages.splice(0);
    expect(createSecureShm(st, e, 9n, 4096n)).toBe(ReturnCode.NO_MEM);
    expect(st.secureShms.has(9n)).toBe(false);
    expect(e.dyn.spare).toEqual([one]);
    expect(st.ledger.holderOf(one)).toBe(A.eid);
    e.freePages.push(...free);
    const block = p.kernel.allocPages(2n * 4096n);
    expect(acceptDonation(st, e, block, 2n * 4096n, 2n)).toBe(true);
    expect(signed(BigInt(createSecureShm(st, e, 8n, 2n * 4096n)))).toBeGreaterThan(0n);
    expect(st.secureShms.get(8n)!.pages).toEqual([block, block + 4096n]); // found by the explorer: they came reversed
  });

  it("as the spec: stat only to an attached enclave, a second destroy is NO_SUCH_SHM, an out-of-range eid is INVALID_ID before ownership", () => {
    const p = bootPlatform({ harts: 1 });
    const d = new PenglaiDriver(p.kernel);
    d.timeSlice = 1_000_000n;
    const A = agent(p.kernel, d),
      B = agent(p.kernel, d);
    const key = 12n;
    expect(signed(A.ecall(EnclaveFid.ENCLAVE_OCALL, BigInt(OcallId.SHM_GET), key, 4096n))).toBeGreaterThan(0n);
    const scratch = 0n; // the monitor checks attachment before it writes anything
    expect(signed(B.ecall(EnclaveFid.SHM_STAT, key, scratch))).toBe(BigInt(ReturnCode.NOT_ATTACHED)); // it answered B
    expect(signed(B.ecall(EnclaveFid.SHM_ALLOW, key, 99n))).toBe(BigInt(ReturnCode.INVALID_ID)); // it was NOT_OWNER
    expect(signed(B.ecall(EnclaveFid.SHM_ALLOW, key, BigInt(A.eid)))).toBe(BigInt(ReturnCode.NOT_OWNER));
    expect(A.ecall(EnclaveFid.ENCLAVE_OCALL, BigInt(OcallId.SHM_DESTROY), key)).toBe(0n);
    expect(signed(A.ecall(EnclaveFid.ENCLAVE_OCALL, BigInt(OcallId.SHM_DESTROY), key))).toBe(BigInt(ReturnCode.NO_SUCH_SHM)); // it succeeded again
  });

  it("a key another enclave took while the ocall was out: the resume is refused, nothing taken, the ocall still pending", () => {
    const p = bootPlatform({ harts: 1 });
    const d = new PenglaiDriver(p.kernel);
    d.timeSlice = 1_000_000n;
    const k = p.kernel;
    const get = (): { eid: number; rec: ReturnType<typeof hostRecordPort> } => {
      const shm = k.allocPages(4096n);
      k.zero(shm, 4096n);
      const eid = d.create(agentElf, { shm: { pa: shm, size: 4096n } });
      d.runUntilYield(eid, true);
      const rec = hostRecordPort(k, shm);
      postCommand(rec, {
        op: AgentOp.RAW_ECALL,
        args: [EXT, BigInt(EnclaveFid.ENCLAVE_OCALL), BigInt(OcallId.SHM_GET), 7n, 4096n],
      });
      expect(k.sbi(HostFid.RESUME_ENCLAVE, [BigInt(eid), ResumeReason.TIMER_IRQ])).toBe(BigInt(ReturnCode.OCALL));
      return { eid, rec };
    };
    const A = get(),
      B = get(); // both out for key 7
    const [a, b] = [k.allocPages(4096n), k.allocPages(4096n)];
    const resume = (eid: number, pa: bigint) =>
      k.sbi(HostFid.RESUME_ENCLAVE, [BigInt(eid), ResumeReason.OCALL, BigInt(OcallId.SHM_GET), pa, 4096n]);
    expect(resume(A.eid, a)).toBe(BigInt(ReturnCode.YIELD)); // A created it
    expect(resume(B.eid, b)).toBe(BigInt(ReturnCode.SHM_KEY_TAKEN)); // it took B's block and resumed B
    expect(p.monitor.state.bitmap!.isPublicRange(b, 4096n)).toBe(true);
    expect(p.monitor.state.enclaves[B.eid]!.state).toBe("ocalling");
    expect(resume(B.eid, 0n)).toBe(BigInt(ReturnCode.OCALL_PAGES_INVALID)); // the pages' own checks come first
  });

  it("OCALL_SHM_GET asks the host for the segment's pages and only the page tables it lacks", () => {
    const p = bootPlatform({ harts: 1 });
    const d = new PenglaiDriver(p.kernel);
    d.timeSlice = 1_000_000n;
    const k = p.kernel;
    const shm = k.allocPages(4096n);
    k.zero(shm, 4096n);
    const eid = d.create(agentElf, { shm: { pa: shm, size: 4096n } });
    d.runUntilYield(eid, true);
    const rec = hostRecordPort(k, shm);
    const get = (key: bigint, size: bigint): bigint => {
      postCommand(rec, {
        op: AgentOp.RAW_ECALL,
        args: [EXT, BigInt(EnclaveFid.ENCLAVE_OCALL), BigInt(OcallId.SHM_GET), key, size],
      });
      return k.sbi(HostFid.RESUME_ENCLAVE, [BigInt(eid), ResumeReason.TIMER_IRQ]);
    };
    const e = p.monitor.state.enclaves[eid]!;
    const mailbox = d.enclaves.get(eid)!.paramPage + 0x100n;
    const donate = (size: bigint) => {
      const pa = k.allocPages(size);
      expect(k.sbi(HostFid.RESUME_ENCLAVE, [BigInt(eid), ResumeReason.OCALL, BigInt(OcallId.SHM_GET), pa, size])).toBe(
        BigInt(ReturnCode.YIELD),
      );
    };
    expect(get(1n, 4096n)).toBe(BigInt(ReturnCode.OCALL));
    expect(k.read64(mailbox + 16n)).toBe(4096n); // its tables come from the region's free pages
    donate(4096n);
    const free = e.freePages.splice(0); // spent on other mappings
    expect(get(2n, 8192n)).toBe(BigInt(ReturnCode.OCALL));
    expect(k.read64(mailbox + 16n)).toBe(8192n); // the first segment's tables serve: it asked for 4 pages (the flat slack)
    donate(8192n);
    e.freePages.push(...free);
  });
});
