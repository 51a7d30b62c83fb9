import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { readFileSync } from "node:fs";
import { bootPlatform } from "../../host/boot.ts";
import { PenglaiDriver } from "../../host/penglaiDriver.ts";
import { loadEnclave } from "../../host/enclaveLoader.ts";
import { CreateParam, EnclaveType, EnclaveVa, ResumeReason, RunParam, ShadowRunParam } from "../../abi/enclaveAbi.ts";
import { ENCLAVE_EXTENSION, EnclaveFid, HostFid, OcallId } from "../../../model/abi.ts";
import { ReturnCode } from "../../../model/codes.ts";
import { AgentOp, completion, postCommand } from "../../eapp/agentRecord.ts";
import { DRAM_BASE, SM_BASE, SM_SIZE } from "../platform.ts";
import { REPORT_SIZE } from "../attest/report.ts";
import { SetPteFlag } from "../gpt/setPte.ts";
import { FirmwareWriteJournal, FUZZ_HOST_FIDS, hostRecordPort, securedPages, StateWatch, wildHostArg } from "./fuzzSupport.ts";

// Bad input with live objects (issue 6): the host SBI interface under malformed calls while every
// kind of object the calls can name is alive — an idle server and a server busy in a call, its
// blocked caller, a shadow with a stopped fork instance, a destroyed shadow and server, host shm and
// a relay region held by a preempted enclave, a secure shm segment, an enclave waiting for an ocall
// donation, a fresh enclave. The calls aim at them: every host fid, foreign and private regions,
// double transfers, dead and busy eids, forks of a destroyed shadow, wild and misaligned addresses,
// the page-table area. Every call is refused with a negative code, writes no memory (or, when it
// had secured a region before finding it bad, restores every byte), and leaves the monitor's state
// and bitmap as they were (LC-6); no JavaScript exception escapes; afterwards the live objects work.
const CALLS = Number(process.env.LIVE_SBI_FUZZ_CALLS ?? 20_000);
const SEED = 20261206;

const elf = (name: string) => new Uint8Array(readFileSync(new URL(`../../eapp/bin/${name}.elf`, import.meta.url)));
const PAGE = 4096n;
const code = (c: number): bigint => BigInt(c);

/** The live platform: every kind of object the host interface can name, some of them mid-operation. */
function livePlatform() {
  const p = bootPlatform({ harts: 1, ramSize: 64 << 20 });
  const d = new PenglaiDriver(p.kernel);
  const k = p.kernel;
  const st = p.monitor.state;
  d.timeSlice = 40n;
  // The driver frees the blocks it donated on behalf of a server (its ocalls come through the top
  // caller's run loop) when the caller ends, although the server still holds them; the monitor then
  // refuses them when they are handed out again (OCALL_PAGES_INVALID). This host keeps such blocks.
  const freePages = k.freePages.bind(k);
  k.freePages = (pa, size) => {
    if (st.bitmap!.isPublicRange(pa, size)) freePages(pa, size);
  };
  // servers: test-server idle (called before), test-server1 busy in a call of caller2 (PGL §3.3)
  const server = d.create(elf("server"), { name: "test-server", type: EnclaveType.SERVER });
  const server1 = d.create(elf("server1"), { name: "test-server1", type: EnclaveType.SERVER });
  const deadServer = d.create(elf("server"), { name: "dead-server", type: EnclaveType.SERVER });
  const caller = d.create(elf("caller"));
  const warmUp = d.run(caller);
  expect(warmUp.retval).toBe(3n);
  const caller2 = d.create(elf("caller"));
  let r = d.runOneSlice(caller2, true);
  while (st.enclaves[caller2]!.callee < 0 || st.enclaves[server]!.caller >= 0) {
    expect(r.code).toBe(code(ReturnCode.TIMER_IRQ));
    r = d.runOneSlice(caller2, false);
  }
  // shadow with a live instance, stopped mid-run; a destroyed shadow, a finished instance (PGL §3.4)
  const shadow = d.create(elf("shadow-hello"), { type: EnclaveType.SHADOW });
  const deadShadow = d.create(elf("shadow-hello"), { type: EnclaveType.SHADOW });
  const done = d.fork(shadow, "done");
  expect(done.retval).toBe(1n);
  d.timeSlice = 2n;
  const inst = d.fork(shadow, "inst", 0, [ReturnCode.TIMER_IRQ]);
  expect(inst.code).toBe(code(ReturnCode.TIMER_IRQ));
  expect(d.stop(inst.eid)).toBe(0);
  // host shm and a relay region held by the ipc enclave, preempted while it holds them (PGL §4.7, §4.10)
  const shm = k.allocPages(PAGE);
  const relay = k.allocPages(4n * PAGE);
  k.zero(shm, PAGE);
  k.zero(relay, 4n * PAGE);
  for (let i = 0n; i < 4n; i++) k.write64(shm + 8n * i, 0x0000_0001_0000_0001n);
  k.write64(relay, 0x0000_0002_0000_0002n);
  const ipc = d.create(elf("ipc"), { shm: { pa: shm, size: PAGE } });
  d.timeSlice = 20n;
  r = d.runOneSliceWithRelay(ipc, { pa: relay, size: 4n * PAGE });
  while (!st.enclaves[ipc]!.dyn.mmaps.some((m) => m.relay)) r = d.runOneSlice(ipc, false);
  expect(r.code).toBe(code(ReturnCode.TIMER_IRQ));
  // secure shm owned by an agent enclave, which is then left waiting for an mmap donation (PGL §4.9, §2.3)
  d.timeSlice = 1_000_000n;
  const agentShm = k.allocPages(PAGE);
  k.zero(agentShm, PAGE);
  const agent = d.create(elf("agent"), { shm: { pa: agentShm, size: PAGE } });
  const rec = hostRecordPort(k, agentShm);
  d.runUntilYield(agent, true);
  const ecall = (fid: number, ...a: bigint[]): bigint => {
    postCommand(rec, { op: AgentOp.RAW_ECALL, args: [BigInt(ENCLAVE_EXTENSION), BigInt(fid), ...a] });
    expect(d.runUntilYield(agent, false).code).toBe(code(ReturnCode.YIELD));
    return completion(rec).result;
  };
  const shmKey = 77n;
  const shmVa = ecall(EnclaveFid.ENCLAVE_OCALL, BigInt(OcallId.SHM_GET), shmKey, 2n * PAGE);
  expect(BigInt.asIntN(64, shmVa)).toBeGreaterThan(0n);
  postCommand(rec, { op: AgentOp.MMAP, args: [0n, 8n * PAGE] });
  k.setTimer(k.time() + d.timeSlice);
  expect(k.sbi(HostFid.RESUME_ENCLAVE, [BigInt(agent), ResumeReason.TIMER_IRQ])).toBe(code(ReturnCode.OCALL));
  // a fresh enclave, and a destroyed one
  const fresh = d.create(elf("hello-world"));
  expect(d.destroy(deadShadow)).toBe(0);
  expect(k.sbi(HostFid.DESTROY_SERVER_ENCLAVE, [BigInt(deadServer)])).toBe(0n);
  return {
    p,
    d,
    ids: { server, server1, caller2, shadow, inst: inst.eid, ipc, agent, fresh },
    dead: [deadServer, deadShadow],
    shm,
    relay,
    agentShm,
    rec,
    shmKey,
    shmVa,
  };
}

/** One malformed host call. */
interface Call {
  fid: number;
  args: bigint[];
  /** Bytes the host stores (S-mode) before the call: a parameter struct or SET_PTE batch records. */
  param?: { at: bigint; bytes: Uint8Array };
  /** The call secures a region of plain host memory before it finds the layout bad: it may write, but must undo every byte. */
  mayTouch?: boolean;
}

type Fields = Record<string, bigint>;

/** A little-endian struct of `size` bytes: 8-byte fields at `offsets`, a 16-byte name, a u32 type. */
function struct(
  size: number,
  offsets: Record<string, number>,
  f: Fields,
  name: Uint8Array,
  nameAt: number,
  type?: { at: number; v: number },
) {
  const b = new Uint8Array(size);
  const v = new DataView(b.buffer);
  for (const [k, x] of Object.entries(f)) v.setBigUint64(offsets[k], BigInt.asUintN(64, x), true);
  b.set(name, nameAt);
  if (type) v.setUint32(type.at, type.v, true);
  return b;
}

/**
 * The malformed calls for the live platform `L` (addresses and ids taken from it), and the valid
 * create and fork the struct defects are applied to (run afterwards: each defect alone is refused).
 */
function malformedCalls(
  L: ReturnType<typeof livePlatform>,
  n: number,
  seed: number,
): { calls: Call[]; validCreate: Call; validFork: Call } {
  const { p, ids } = L;
  const k = p.kernel;
  const st = p.monitor.state;
  const mem = p.machine.mem;
  const area = st.ptArea!;
  const ramEnd = DRAM_BASE + BigInt(mem.size);
  const TOP = (1n << 64n) - 1n;
  // host scratch: parameter page, windows and cells of a would-be enclave, a loaded image, a fork region, a donation
  const paramAt = k.allocPages(PAGE);
  const batchAt = k.allocPages(PAGE);
  const cells = k.allocPages(PAGE);
  const kbuf = k.allocPages(PAGE);
  const hostShm = k.allocPages(PAGE);
  const image = loadEnclave(k, elf("hello-world"));
  const forkBase = k.allocPages(2n << 20n);
  const garbage = k.allocPages(16n * PAGE);
  k.writeBytes(garbage, new Uint8Array(Number(16n * PAGE)).fill(0xa5)); // no page table in here
  const agent = st.enclaves[ids.agent]!;
  const needPages = agent.pending!.need!.pages;
  let donationSize = PAGE;
  while (donationSize < needPages * PAGE) donationSize <<= 1n;
  const donation = k.allocPages(donationSize);

  // --- places the host may not hand over, and pointers the monitor must not follow ---
  const secured = securedPages(st);
  const relayPages = st.enclaves[ids.ipc]!.dyn.mmaps.find((m) => m.relay)!.pages;
  const shmPages = st.secureShms.get(L.shmKey)!.pages;
  const privPage = fc.oneof(
    fc.constantFrom(...secured),
    fc.constantFrom(...relayPages, ...shmPages), // relay region held by ipc; secure shm of the agent
    fc.constantFrom(SM_BASE, SM_BASE + SM_SIZE - PAGE, st.bitmap!.base, st.bitmap!.base + PAGE),
  );
  const ptaPage = fc.bigInt({ min: 0n, max: area.size / PAGE - 1n }).map((i) => area.base + i * PAGE);
  const outside = fc.oneof(
    fc.constantFrom(0n, PAGE, DRAM_BASE - PAGE, ramEnd, ramEnd + PAGE, 1n << 40n, 1n << 63n, TOP + 1n - PAGE),
    fc.bigInt({ min: ramEnd, max: TOP }).map((a) => a & ~(PAGE - 1n)),
  );
  /** Pages that are not public host memory (private or not RAM), and the page-table area (public, but the host's to read only). */
  const hostless = fc.oneof(privPage, privPage, outside);
  const notHostPage = fc.oneof(hostless, ptaPage);
  /** A pointer to `len` bytes, not all of which the host may hand to the monitor (`pages`: where it starts). */
  const badSpan = (len: bigint, pages = notHostPage) =>
    fc.oneof(
      fc.tuple(pages, fc.bigInt({ min: 0n, max: PAGE - 1n })).map(([pa, o]) => pa + o),
      fc.tuple(pages, fc.constantFrom(0n, 8n, PAGE - 8n)).map(([pa, o]) => pa + o),
      privPage.map((pa) => pa - (len > 8n ? len / 2n : len / 2n + 1n)), // straddles into a private page (or misaligned)
      fc.constantFrom(ramEnd - len / 2n, TOP + 1n - len / 2n),
    );
  /** An aligned host region that is not (all) the host's public memory. */
  const badRegion = fc.oneof(
    fc.constantFrom(...st.enclaves.filter((e) => e !== null).map((e) => ({ pa: e!.region.pa, size: e!.region.size }))),
    fc.constant({ pa: L.relay, size: 4n * PAGE }), // double transfer of the relay region ipc holds
    privPage.map((pa) => ({ pa: pa & ~((2n << 20n) - 1n), size: 2n << 20n })),
    privPage.map((pa) => ({ pa: pa & ~(16n * PAGE - 1n), size: 16n * PAGE })),
    fc.constant({ pa: area.base, size: area.size }),
    ptaPage.map((pa) => ({ pa: pa & ~(16n * PAGE - 1n), size: 16n * PAGE })),
    fc.constant({ pa: SM_BASE, size: SM_SIZE }),
    fc.constant({ pa: DRAM_BASE - (2n << 20n), size: 2n << 20n }),
    fc.constant({ pa: ramEnd, size: 2n << 20n }),
    fc.constant({ pa: TOP + 1n - (2n << 20n), size: 2n << 20n }),
  );
  const liveIds = Object.values(ids).map(BigInt);
  const badEid = fc.oneof(
    fc.constantFrom(...st.enclaves.flatMap((e, i) => (e === null ? [BigInt(i)] : []))), // destroyed server and shadow, free slots
    fc.bigInt({ min: BigInt(st.enclaves.length), max: 1000n }),
    fc.constantFrom(...liveIds).map((e) => e + (1n << 32n)), // must not alias a live eid when truncated
    fc.constantFrom(...liveIds).map((e) => BigInt.asUintN(64, -e - 1n)),
    fc.constantFrom(TOP, 1n << 63n, 0xffff_ffffn),
  );
  const wild = wildHostArg(p);
  const wilds = (n: number) => fc.array(wild, { minLength: n, maxLength: n });
  const call = (fid: number, ...args: bigint[]): Call => ({ fid, args });
  const unterminated = new Uint8Array(16).fill(0x41);
  const name = (s: string) => {
    const b = new Uint8Array(16);
    b.set(new TextEncoder().encode(s));
    return b;
  };

  // --- CREATE_ENCLAVE / CREATE_SERVER_ENCLAVE / CREATE_SHADOW_ENCLAVE: a valid struct with one defect ---
  const createBase: Fields = {
    eidPtr: cells + 40n,
    paddr: image.paddr,
    size: image.size,
    entryPoint: image.entry,
    freeMem: image.freeMem,
    kbuffer: kbuf,
    kbufferSize: PAGE,
    shmPaddr: 0n,
    shmSize: 0n,
    ecallArg0: cells,
    ecallArg1: cells + 8n,
    ecallArg2: cells + 16n,
    ecallArg3: cells + 24n,
    retval: cells + 32n,
  };
  type Defect = { f?: Fields; name?: Uint8Array; mayTouch?: boolean };
  const cellField = fc.constantFrom("ecallArg0", "ecallArg1", "ecallArg2", "ecallArg3", "retval");
  /** Defects of the windows and cells of a create or fork struct (the first three: of the kbuffer). */
  const windowDefects = (region: { pa: bigint; size: bigint }): fc.Arbitrary<Defect>[] => {
    const [kb, kbs, sp, ss, eidF] = ["kbuffer", "kbufferSize", "shmPaddr", "shmSize", "eidPtr"];
    return [
      notHostPage.map((pa) => ({ f: { [kb]: pa } })),
      fc.constantFrom(kbuf + 8n, region.pa + PAGE).map((pa) => ({ f: { [kb]: pa } })), // misaligned, inside the region
      fc.constantFrom(0n, 8n, PAGE - 1n, 2n * PAGE, TOP).map((s) => ({ f: { [kbs]: s } })),
      fc.tuple(notHostPage, fc.constantFrom(PAGE, 2n * PAGE)).map(([pa, s]) => ({ f: { [sp]: pa, [ss]: s } })),
      fc
        .constantFrom(
          { [sp]: hostShm + 8n, [ss]: PAGE },
          { [sp]: hostShm, [ss]: PAGE - 8n },
          { [sp]: hostShm, [ss]: 1n << 30n },
          { [sp]: hostShm, [ss]: TOP + 1n - PAGE },
          { [sp]: region.pa, [ss]: PAGE }, // the host shm inside the enclave's own region
          { [sp]: relayPages[0] - PAGE, [ss]: 2n * PAGE }, // reaches into the relay region
        )
        .map((f) => ({ f })),
      fc.tuple(cellField, badSpan(8n)).map(([c, pa]) => ({ f: { [c]: pa } })),
      fc.tuple(cellField, fc.constantFrom(cells + 4n, region.pa + 4n * PAGE)).map(([c, pa]) => ({ f: { [c]: pa } })),
      badSpan(4n).map((pa) => ({ f: { [eidF]: pa } })),
      fc.constantFrom(cells + 2n, region.pa + 4n * PAGE).map((pa) => ({ f: { [eidF]: pa } })),
      fc.constant({ name: unterminated }),
    ];
  };
  const regionDefects = (region: { pa: bigint; size: bigint }, paF: string, sizeF: string, extra: (pa: bigint) => Fields) => [
    badRegion.map((r) => ({ f: { [paF]: r.pa, [sizeF]: r.size, ...extra(r.pa) } })),
    fc
      .constantFrom(0n, PAGE, 3n * PAGE, region.size + PAGE, region.size * 3n, 1n << 31n, TOP + 1n - PAGE)
      .map((s) => ({ f: { [sizeF]: s } })),
    fc.constant({ f: { [paF]: region.pa + PAGE, ...extra(region.pa + PAGE) } }), // not aligned to its size
  ];
  const createDefect = (fid: number): fc.Arbitrary<Defect> => {
    const region = { pa: image.paddr, size: image.size };
    const common: fc.Arbitrary<Defect>[] = [
      ...regionDefects(region, "paddr", "size", (pa) => ({ freeMem: pa + 3n * PAGE })),
      fc.constantFrom(image.paddr, image.paddr + image.size + PAGE, image.freeMem + 8n).map((x) => ({ f: { freeMem: x } })),
      fc.constantFrom(0n, EnclaveVa.MMAP_TOP, EnclaveVa.STACK_TOP, 1n << 63n).map((x) => ({ f: { entryPoint: x } })),
      fc.constant({ f: { paddr: garbage, size: 16n * PAGE, freeMem: garbage + 3n * PAGE }, mayTouch: true }), // no valid layout
      fc.constant({ name: unterminated }),
    ];
    // windows: a server and a shadow map no kbuffer of their own, a shadow no host shm
    const windows = windowDefects(region).filter((_, i) => fid === HostFid.CREATE_ENCLAVE || i >= 3);
    if (fid === HostFid.CREATE_SHADOW_ENCLAVE)
      return fc.oneof(...common, fc.constant({ f: { shmPaddr: hostShm, shmSize: PAGE } }), ...windows);
    if (fid === HostFid.CREATE_SERVER_ENCLAVE)
      return fc.oneof(
        ...common,
        ...windows,
        fc.constantFrom("test-server", "test-server1", "").map((s) => ({ name: name(s) })),
      );
    return fc.oneof(...common, ...windows);
  };
  const creates = fc
    .constantFrom(HostFid.CREATE_ENCLAVE, HostFid.CREATE_SERVER_ENCLAVE, HostFid.CREATE_SHADOW_ENCLAVE)
    .chain((fid) =>
      createDefect(fid).map((d): Call => ({
        fid,
        args: [paramAt],
        mayTouch: d.mayTouch,
        param: {
          at: paramAt,
          bytes: struct(CreateParam.SIZE, CreateParam, { ...createBase, ...d.f }, d.name ?? name("fz"), CreateParam.name, {
            at: CreateParam.type,
            v:
              fid === HostFid.CREATE_SERVER_ENCLAVE
                ? EnclaveType.SERVER
                : fid === HostFid.CREATE_SHADOW_ENCLAVE
                  ? EnclaveType.SHADOW
                  : EnclaveType.NORMAL,
          }),
        },
      })),
    );
  const createBadPointer = fc
    .tuple(
      fc.constantFrom(HostFid.CREATE_ENCLAVE, HostFid.CREATE_SERVER_ENCLAVE, HostFid.CREATE_SHADOW_ENCLAVE),
      fc.oneof(badSpan(136n), fc.constant(paramAt + 4n)),
    )
    .map(([fid, pa]) => call(fid, pa));

  // --- RUN_SHADOW_ENCLAVE (fork) ---
  const forkBaseFields: Fields = {
    freePage: forkBase,
    size: 2n << 20n,
    eidPtr: cells + 40n,
    kbuffer: kbuf,
    kbufferSize: PAGE,
    shmPaddr: 0n,
    shmSize: 0n,
    ecallArg0: cells,
    ecallArg1: cells + 8n,
    ecallArg2: cells + 16n,
    ecallArg3: cells + 24n,
    retval: cells + 32n,
  };
  const forkStruct = (f: Fields = {}, nm: Uint8Array = name("fz")) =>
    struct(ShadowRunParam.SIZE, ShadowRunParam, { ...forkBaseFields, ...f }, nm, ShadowRunParam.name);
  const forkRegion = { pa: forkBase, size: 2n << 20n };
  const forkDefect: fc.Arbitrary<Defect> = fc.oneof(
    ...regionDefects(forkRegion, "freePage", "size", () => ({})).slice(0, 1),
    fc.constantFrom(0n, 4n * PAGE, 3n << 20n, 1n << 31n, TOP + 1n - PAGE).map((s) => ({ f: { size: s } })),
    fc.constant({ f: { freePage: forkBase + PAGE } }),
    ...windowDefects(forkRegion),
  );
  const forks = fc.oneof(
    forkDefect.map((d): Call => ({
      fid: HostFid.RUN_SHADOW_ENCLAVE,
      args: [BigInt(ids.shadow), paramAt],
      param: { at: paramAt, bytes: forkStruct(d.f, d.name) },
    })),
    fc.oneof(badEid, fc.constantFrom(...liveIds.filter((e) => e !== BigInt(ids.shadow)))).map(
      (eid): Call => ({ fid: HostFid.RUN_SHADOW_ENCLAVE, args: [eid, paramAt], param: { at: paramAt, bytes: forkStruct() } }), // a valid fork of a dead shadow or a non-shadow
    ),
    fc.oneof(badSpan(136n), fc.constant(paramAt + 4n)).map((pa) => call(HostFid.RUN_SHADOW_ENCLAVE, BigInt(ids.shadow), pa)),
  );

  // --- RUN_ENCLAVE of the fresh enclave with a bad relay region; of every other live enclave with anything ---
  const relayScratch = forkBase; // public, 2 MiB
  const runs = fc.oneof(
    fc
      .oneof(
        fc.constant([L.relay, 4n * PAGE]), // double transfer: ipc holds it
        fc.tuple(
          notHostPage.filter((pa) => pa !== 0n),
          fc.constantFrom(PAGE, 4n * PAGE),
        ), // (address 0: no relay)
        badRegion.map((r) => [r.pa, r.size]),
        fc.constantFrom(
          [relayScratch + 8n, PAGE],
          [relayScratch, 0n],
          [relayScratch, PAGE + 8n],
          [relayScratch, 32n << 20n],
          [relayScratch, TOP + 1n - PAGE],
          [0xffffn, PAGE],
          [TOP + 1n - PAGE, 2n * PAGE],
        ),
      )
      .map(([a, s]): Call => ({
        fid: HostFid.RUN_ENCLAVE,
        args: [BigInt(ids.fresh), paramAt],
        param: { at: paramAt, bytes: struct(16, RunParam, { mmArgAddr: a, mmArgSize: s }, new Uint8Array(0), 0) },
      })),
    // (not in the page-table area: a run parameter of zeros read from there would be a valid run without relay)
    fc.oneof(badSpan(16n, hostless), fc.constant(paramAt + 4n)).map((pa) => call(HostFid.RUN_ENCLAVE, BigInt(ids.fresh), pa)),
    fc
      .tuple(
        fc.constantFrom(ids.server, ids.server1, ids.shadow, ids.caller2, ids.inst, ids.ipc, ids.agent),
        fc.oneof(wild, fc.constant(0n)),
      )
      .map(([e, a]) => call(HostFid.RUN_ENCLAVE, BigInt(e), a)),
  );

  // --- RESUME_ENCLAVE: for a reason the enclave is not in; the agent's mmap donation unusable ---
  const resumes = fc.oneof(
    fc
      .tuple(fc.constantFrom(ids.server, ids.server1, ids.caller2, ids.shadow, ids.ipc, ids.agent, ids.fresh), wilds(3))
      .map(([e, a]) => call(HostFid.RESUME_ENCLAVE, BigInt(e), ResumeReason.STOP, ...a)),
    fc
      .tuple(fc.constantFrom(ids.server, ids.server1, ids.caller2, ids.shadow, ids.ipc, ids.inst, ids.fresh), wilds(3))
      .map(([e, a]) => call(HostFid.RESUME_ENCLAVE, BigInt(e), ResumeReason.OCALL, ...a)),
    fc
      .tuple(fc.constantFrom(ids.server, ids.shadow, ids.agent, ids.fresh), wilds(3))
      .map(([e, a]) => call(HostFid.RESUME_ENCLAVE, BigInt(e), ResumeReason.TIMER_IRQ, ...a)),
    fc
      .tuple(fc.constantFrom(...liveIds), fc.oneof(fc.bigInt({ min: 3n, max: 64n }), fc.bigInt({ min: 3n, max: TOP })), wilds(3))
      .map(([e, why, a]) => call(HostFid.RESUME_ENCLAVE, e, why, ...a)),
    fc
      .oneof(
        fc.constant([L.relay, 4n * PAGE]),
        badRegion.map((r) => [r.pa, r.size]),
        notHostPage.map((pa) => [pa, donationSize]),
        privPage.map((pa) => [pa & ~(donationSize - 1n), donationSize]),
        fc.constantFrom(
          [donation + 8n, donationSize],
          [donation, PAGE],
          [donation, donationSize + 8n],
          [donation, 1n << 40n],
          [donation, 0n],
          [TOP + 1n - PAGE, donationSize],
        ),
      )
      .map(([pa, size]) => call(HostFid.RESUME_ENCLAVE, BigInt(ids.agent), ResumeReason.OCALL, 1n, pa, size)),
  );

  // --- STOP, DESTROY (three fids), ATTEST (two fids) of live enclaves in states that refuse them ---
  const lifecycle = fc.oneof(
    fc
      .constantFrom(ids.server, ids.server1, ids.caller2, ids.shadow, ids.inst, ids.agent, ids.fresh)
      .map((e) => call(HostFid.STOP_ENCLAVE, BigInt(e))),
    fc
      .tuple(
        fc.constantFrom(HostFid.DESTROY_ENCLAVE, HostFid.DESTROY_SERVER_ENCLAVE, HostFid.DESTROY_SHADOW_ENCLAVE),
        fc.constantFrom(ids.server1, ids.caller2, ids.shadow),
      )
      .map(([fid, e]) => call(fid, BigInt(e))),
    fc
      .tuple(
        fc.constantFrom(HostFid.ATTEST_ENCLAVE, HostFid.ATTEST_SHADOW_ENCLAVE),
        fc.constantFrom(ids.fresh, ids.inst, ids.shadow),
        badSpan(BigInt(REPORT_SIZE)),
        wild,
      )
      .map(([fid, e, pa, nonce]) => call(fid, BigInt(e), pa, nonce)),
    fc
      .tuple(
        fc.constantFrom(HostFid.ATTEST_ENCLAVE, HostFid.ATTEST_SHADOW_ENCLAVE),
        // not the idle server: it may be attested (spec serverEnclave: idle —ATTEST→ idle)
        fc.constantFrom(ids.server1, ids.caller2, ids.ipc, ids.agent),
        fc.oneof(wild, fc.constant(cells)),
        wild,
      )
      .map(([fid, e, pa, nonce]) => call(fid, BigInt(e), pa, nonce)),
    fc
      .tuple(
        fc.constantFrom(
          HostFid.RUN_ENCLAVE,
          HostFid.RESUME_ENCLAVE,
          HostFid.STOP_ENCLAVE,
          HostFid.DESTROY_ENCLAVE,
          HostFid.DESTROY_SERVER_ENCLAVE,
          HostFid.DESTROY_SHADOW_ENCLAVE,
          HostFid.ATTEST_ENCLAVE,
          HostFid.ATTEST_SHADOW_ENCLAVE,
          HostFid.RUN_SHADOW_ENCLAVE,
        ),
        badEid,
        wilds(4),
      )
      .map(([fid, e, a]) => call(fid, e, ...a)),
  );

  // --- MEMORY_EXTEND of memory that is not the host's to give ---
  const extend = fc.oneof(
    badRegion.map((r) => call(HostFid.MEMORY_EXTEND, r.pa, r.size)),
    fc.tuple(notHostPage, fc.constantFrom(PAGE, 4n * PAGE)).map(([pa, s]) => call(HostFid.MEMORY_EXTEND, pa, s)),
    privPage.map((pa) => call(HostFid.MEMORY_EXTEND, pa - 2n * PAGE, 4n * PAGE)), // straddles into private pages
    fc
      .constantFrom(
        [donation + 8n, PAGE],
        [donation, 0n],
        [donation, PAGE + 8n],
        [donation, 2n << 30n],
        [TOP + 1n - PAGE, 2n * PAGE],
        [ramEnd - PAGE, 2n * PAGE],
      )
      .map(([pa, s]) => call(HostFid.MEMORY_EXTEND, pa, s)),
  );

  // --- SET_PTE / MAP_PTE that the guarded page table must refuse (PT-2, PT-3) ---
  const slotIn = (lo: bigint, hi: bigint) => fc.bigInt({ min: 0n, max: (hi - lo) / 8n - 1n }).map((i) => lo + 8n * i);
  const pgdSlot = slotIn(area.base, area.pmdBase);
  const pmdSlot = slotIn(area.pmdBase, area.pteBase);
  const pteSlot = slotIn(area.pteBase, area.end);
  const anySlot = fc.oneof(pgdSlot, pmdSlot, pteSlot);
  const leaf = (pa: bigint) => ((pa / PAGE) << 10n) | 0xcfn; // V R W X A D
  const pointer = (pa: bigint) => ((pa / PAGE) << 10n) | 1n;
  const notPtaDest = fc.oneof(
    hostless,
    fc.constant(cells),
    anySlot.map((s) => s + 4n),
    fc.constant(area.end - 4n),
  );
  const ONE = BigInt(SetPteFlag.ONE);
  const setPte = fc.oneof(
    fc
      .tuple(fc.oneof(fc.constantFrom(0n, 6n, 7n, 100n, 1n << 32n, TOP), fc.bigInt({ min: 6n, max: TOP })), wilds(3))
      .map(([flag, a]) => call(HostFid.SET_PTE, flag, ...a)),
    fc.tuple(notPtaDest, wild).map(([dest, v]) => call(HostFid.SET_PTE, ONE, dest, v)),
    fc.tuple(pteSlot, hostless).map(([dest, pa]) => call(HostFid.SET_PTE, ONE, dest, leaf(pa))),
    fc
      .tuple(pteSlot, fc.bigInt({ min: 0n, max: TOP }))
      .map(([dest, pa]) => call(HostFid.SET_PTE, ONE, dest, pointer(pa & ((1n << 56n) - 1n)))), // no pointers at the last level
    fc
      .tuple(anySlot, fc.bigInt({ min: 1n, max: 1023n }), fc.bigInt({ min: 0n, max: (1n << 54n) - 1n }))
      .map(([dest, hi, lo]) => call(HostFid.SET_PTE, ONE, dest, (hi << 54n) | lo | 1n)), // reserved bits
    fc.tuple(pmdSlot, privPage).map(([dest, pa]) => call(HostFid.SET_PTE, ONE, dest, leaf(pa & ~((2n << 20n) - 1n)))), // 2 MiB over private pages
    fc
      .tuple(pmdSlot, fc.constantFrom(forkBase + PAGE, forkBase + 8n * PAGE))
      .map(([dest, pa]) => call(HostFid.SET_PTE, ONE, dest, leaf(pa))), // misaligned superpage
    fc
      .tuple(
        pmdSlot,
        fc.oneof(
          ptaPage.filter((pa) => pa < area.pteBase),
          hostless,
        ),
      )
      .map(([dest, pa]) => call(HostFid.SET_PTE, ONE, dest, pointer(pa))),
    fc
      .tuple(pgdSlot, fc.constantFrom(0n, DRAM_BASE, DRAM_BASE + (1n << 30n), 1n << 38n))
      .map(([dest, pa]) => call(HostFid.SET_PTE, ONE, dest, leaf(pa))), // 1 GiB over the SM or beyond RAM
    fc
      .tuple(
        pgdSlot,
        fc.oneof(
          ptaPage.filter((pa) => pa < area.pmdBase || pa >= area.pteBase),
          hostless,
        ),
      )
      .map(([dest, pa]) => call(HostFid.SET_PTE, ONE, dest, pointer(pa))),
    // MEMSET: only zero, whole entries, inside the area
    fc
      .tuple(anySlot, fc.bigInt({ min: 1n, max: TOP }), fc.constantFrom(8n, PAGE))
      .map(([dest, v, s]) => call(HostFid.SET_PTE, BigInt(SetPteFlag.MEMSET), dest, v, s)),
    fc
      .tuple(anySlot, fc.constantFrom(0n, 4n, 12n, area.size + 8n, TOP - 7n))
      .map(([dest, s]) => call(HostFid.SET_PTE, BigInt(SetPteFlag.MEMSET), dest, 0n, s)),
    fc
      .tuple(notPtaDest, fc.constantFrom(8n, PAGE))
      .map(([dest, s]) => call(HostFid.SET_PTE, BigInt(SetPteFlag.MEMSET), dest, 0n, s)),
    pteSlot.map((dest) => call(HostFid.SET_PTE, BigInt(SetPteFlag.MEMSET), dest, 0n, area.end - dest + 8n)), // runs past the end
    // MEMCPY: source inside the area, whole entries, at most a page; destination inside the area
    fc
      .tuple(anySlot, anySlot, fc.constantFrom(0n, 12n, PAGE + 8n, TOP - 7n))
      .map(([dest, src, s]) => call(HostFid.SET_PTE, BigInt(SetPteFlag.MEMCPY), dest, src, s)),
    fc
      .tuple(anySlot, fc.oneof(hostless, fc.constant(cells)), fc.constantFrom(8n, PAGE))
      .map(([dest, src, s]) => call(HostFid.SET_PTE, BigInt(SetPteFlag.MEMCPY), dest, src, s)),
    fc.tuple(notPtaDest, anySlot).map(([dest, src]) => call(HostFid.SET_PTE, BigInt(SetPteFlag.MEMCPY), dest, src & ~7n, 8n)),
    // BATCH: bounded count, records in public memory, and every record valid (here: the last one is not)
    fc
      .tuple(
        fc.constantFrom(4n, 5n),
        fc.oneof(badSpan(16n, hostless), fc.constant(batchAt + 4n)),
        fc.bigInt({ min: 1n, max: 8n }),
      )
      .map(([flag, src, n]) => call(HostFid.SET_PTE, flag, 0n, src, n)),
    fc
      .tuple(fc.constantFrom(4n, 5n), fc.constantFrom(0n, 513n, TOP))
      .map(([flag, n]) => call(HostFid.SET_PTE, flag, 0n, batchAt, n)),
    fc
      .tuple(
        fc.constantFrom(4n, 5n),
        fc.array(pteSlot, { minLength: 0, maxLength: 6 }),
        fc.oneof(
          notPtaDest.map((d) => [d, 0n]),
          fc.tuple(pteSlot, hostless).map(([d, pa]) => [d, leaf(pa)]),
        ),
      )
      .filter(([flag, , last]) => flag === 5n || last[1] === 0n) // a zeroing batch refuses only a bad destination
      .map(([flag, ok, [dest, value]]): Call => {
        const recs = new Uint8Array(16 * (ok.length + 1));
        const v = new DataView(recs.buffer);
        ok.forEach((slot, i) => {
          v.setBigUint64(16 * i, slot, true);
          v.setBigUint64(16 * i + 8, mem.read64(slot), true); // what is there already
        });
        v.setBigUint64(16 * ok.length, BigInt.asUintN(64, dest), true);
        v.setBigUint64(16 * ok.length + 8, value, true);
        return { fid: HostFid.SET_PTE, args: [flag, 0n, batchAt, BigInt(ok.length + 1)], param: { at: batchAt, bytes: recs } };
      }),
  );
  const mapPte = fc.oneof(
    fc.tuple(pmdSlot, pteSlot).map(([pmd, pte]) => call(HostFid.MAP_PTE, pmd, pte & ~(PAGE - 1n))), // the host has no 2 MiB leaf to split
    fc
      .tuple(
        fc.oneof(
          pgdSlot,
          pteSlot,
          pmdSlot.map((s) => s + 4n),
          notPtaDest,
        ),
        wild,
      )
      .map(([pmd, pte]) => call(HostFid.MAP_PTE, pmd, pte)),
    fc
      .tuple(
        pmdSlot,
        fc.oneof(
          pgdSlot,
          pmdSlot,
          pteSlot.map((s) => s | 8n),
          notHostPage,
        ),
      )
      .map(([pmd, pte]) => call(HostFid.MAP_PTE, pmd, pte)),
  );

  // --- anything else: one-shot calls, undispatched ids, and every fid with wild arguments (an eid that names nothing) ---
  const eidFids: number[] = [
    HostFid.RUN_ENCLAVE,
    HostFid.RESUME_ENCLAVE,
    HostFid.STOP_ENCLAVE,
    HostFid.DESTROY_ENCLAVE,
    HostFid.DESTROY_SERVER_ENCLAVE,
    HostFid.DESTROY_SHADOW_ENCLAVE,
    HostFid.ATTEST_ENCLAVE,
    HostFid.ATTEST_SHADOW_ENCLAVE,
    HostFid.RUN_SHADOW_ENCLAVE,
  ];
  const wildCalls = fc
    .tuple(fc.constantFrom(...FUZZ_HOST_FIDS.filter((f) => f !== HostFid.SET_PTE)), wilds(5), badEid)
    .map(([fid, a, eid]) => call(fid, ...(eidFids.includes(fid) ? [eid, ...a.slice(1)] : a)));

  const calls = fc.sample(
    fc.oneof(
      { arbitrary: creates, weight: 6 },
      { arbitrary: createBadPointer, weight: 1 },
      { arbitrary: forks, weight: 5 },
      { arbitrary: runs, weight: 3 },
      { arbitrary: resumes, weight: 4 },
      { arbitrary: lifecycle, weight: 5 },
      { arbitrary: extend, weight: 3 },
      { arbitrary: setPte, weight: 6 },
      { arbitrary: mapPte, weight: 1 },
      { arbitrary: wildCalls, weight: 4 },
    ),
    { numRuns: n, seed },
  );
  const validCreate: Call = {
    fid: HostFid.CREATE_ENCLAVE,
    args: [paramAt],
    param: { at: paramAt, bytes: struct(CreateParam.SIZE, CreateParam, createBase, name("fz"), CreateParam.name) },
  };
  const validFork: Call = {
    fid: HostFid.RUN_SHADOW_ENCLAVE,
    args: [BigInt(ids.shadow), paramAt],
    param: { at: paramAt, bytes: forkStruct() },
  };
  return { calls, validCreate, validFork };
}

describe("host SBI interface under malformed arguments, with live servers, shadows, shm and relay regions (issue 6)", () => {
  it(`refuses ${CALLS} malformed calls aimed at live objects, changing nothing; the objects work afterwards`, () => {
    const L = livePlatform();
    const { p, d, ids } = L;
    const k = p.kernel;
    const st = p.monitor.state;
    const { calls, validCreate, validFork } = malformedCalls(L, CALLS, SEED);
    const journal = new FirmwareWriteJournal(p.machine.mem);
    const watch = new StateWatch(p);
    const fids = new Set<number>();
    const codes = new Map<bigint, number>();
    for (const [i, c] of calls.entries()) {
      const what = `call ${i}: fid ${c.fid} (${c.args.map((a) => "0x" + a.toString(16)).join(", ")})`;
      if (c.param) k.writeBytes(c.param.at, c.param.bytes);
      journal.begin();
      let r: bigint;
      try {
        r = k.sbi(c.fid, c.args);
      } catch (e) {
        throw new Error(`${what} threw ${String(e)}`);
      }
      expect(r < 0n, `${what} answered ${r}`).toBe(true);
      if (c.mayTouch) expect(journal.restoredAll(), `${what} left memory changed`).toBe(true);
      else expect(journal.writes, `${what} wrote memory`).toBe(0);
      watch.unchanged(what);
      fids.add(c.fid);
      codes.set(r, (codes.get(r) ?? 0) + 1);
    }
    watch.finish();
    for (const fid of Object.values(HostFid)) expect(fids.has(fid), `fid ${fid} fuzzed`).toBe(true);
    expect(codes.size).toBeGreaterThan(15); // refused for many different reasons
    expect(calls.filter((c) => c.mayTouch).length).toBeGreaterThan(0);
    console.log(
      [...codes]
        .sort((a, b) => b[1] - a[1])
        .map(([c, n]) => `${c}: ${n}`)
        .join(", "),
    );

    // --- the struct defects were the reason: without them, the create and the fork go through ---
    k.writeBytes(validCreate.param!.at, validCreate.param!.bytes);
    expect(k.sbi(validCreate.fid, validCreate.args)).toBe(0n);
    k.writeBytes(validFork.param!.at, validFork.param!.bytes);
    expect(k.sbi(validFork.fid, validFork.args)).toBeGreaterThanOrEqual(0n); // entered; back at its first exit
    const created = st.enclaves.flatMap((e, i) => (e !== null && !Object.values(ids).includes(i) ? [i] : []));
    expect(created).toHaveLength(2);
    for (const eid of created) expect(k.sbi(HostFid.DESTROY_ENCLAVE, [BigInt(eid)])).toBe(0n);

    // --- the live objects still work ---
    // the busy server finishes its call, the chain answers 3; then both servers answer a new caller
    d.timeSlice = 500n;
    let r = d.runOneSlice(ids.caller2, false);
    while (r.code === code(ReturnCode.TIMER_IRQ)) r = d.runOneSlice(ids.caller2, false);
    expect([r.code, r.retval]).toEqual([0n, 3n]);
    const caller3 = d.create(elf("caller"));
    const r3 = d.run(caller3);
    expect([r3.code, r3.retval]).toEqual([0n, 3n]);
    expect(d.finished.get(caller3)).toContain("caller: server1 returned 0x3");
    // the stopped instance wakes and runs to completion with the right output; the shadow forks again
    expect(d.wake(ids.inst)).toBe(0);
    const ri = d.runUntilYield(ids.inst, false);
    expect([ri.code, ri.retval]).toEqual([0n, 1n]);
    expect(d.finished.get(ids.inst)).toMatch(/instance run 1/);
    const again = d.fork(ids.shadow, "again");
    expect([again.code, again.retval]).toEqual([0n, 1n]);
    // ipc hands its relay region back with its output, the host edits it, the re-run sees the edit
    let ri2 = d.runOneSlice(ids.ipc, false);
    while (ri2.code === code(ReturnCode.TIMER_IRQ)) ri2 = d.runOneSlice(ids.ipc, false);
    expect(ri2.code).toBe(code(ReturnCode.RETURN_USER_MODE));
    expect(st.bitmap!.isPublicRange(L.relay, 4n * PAGE)).toBe(true);
    expect(k.read64(L.relay) & 0xffffffffn).toBe(8n);
    expect(k.read64(L.shm) & 0xffffffffn).toBe(4n);
    k.write64(L.relay + 8n, 0x0000_0010_0000_0010n);
    const end = d.rerun(ids.ipc);
    expect([end.code, end.retval]).toEqual([0n, 8n + 2n + 0x10n + 0x10n]);
    // the agent gets its mmap donation, finishes the command, and still uses its secure shm segment
    const agentEntry = d.enclaves.get(ids.agent)!;
    const want = k.read64(agentEntry.paramPage + 0x100n + 16n);
    let size = PAGE;
    while (size < want) size <<= 1n;
    const block = k.allocPages(size);
    let ra = k.sbi(HostFid.RESUME_ENCLAVE, [BigInt(ids.agent), ResumeReason.OCALL, 1n, block, size]);
    while (ra === code(ReturnCode.TIMER_IRQ)) ra = k.sbi(HostFid.RESUME_ENCLAVE, [BigInt(ids.agent), ResumeReason.TIMER_IRQ]);
    expect(ra).toBe(code(ReturnCode.YIELD));
    expect(BigInt.asIntN(64, completion(L.rec).result)).toBeGreaterThan(0n); // the mmap'd VA
    postCommand(L.rec, { op: AgentOp.STORE, args: [L.shmVa + 8n, 8n, 0x5151n] });
    expect(d.runUntilYield(ids.agent, false).code).toBe(code(ReturnCode.YIELD));
    postCommand(L.rec, { op: AgentOp.LOAD, args: [L.shmVa + 8n, 8n] });
    expect(d.runUntilYield(ids.agent, false).code).toBe(code(ReturnCode.YIELD));
    expect(completion(L.rec).result).toBe(0x5151n);
    // the fresh enclave runs; the shadow goes once its instances have
    const rf = d.run(ids.fresh);
    expect(rf.code).toBe(0n);
    expect(d.finished.get(ids.fresh)).toContain("hello world!");
    expect(d.destroy(ids.shadow)).toBe(0);
  }, 120_000);
});
