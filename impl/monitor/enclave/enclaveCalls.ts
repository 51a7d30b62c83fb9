/**
 * Enclave → monitor calls (extension 0x100101, function id in a7, PGL §2.2) and the enclave-mode
 * trap policy: an unknown call or an exception the monitor does not handle destroys the enclave
 * and the host sees ERROR (PGL §2.1).
 */
import type { Hart } from "../../riscv/hart.ts";
import { CSR } from "../../riscv/csrNumbers.ts";
import { ENCLAVE_EXTENSION, EnclaveFid, HOST_EXTENSION, OcallId } from "../../../model/abi.ts";
import { mutant } from "../../mutants.ts";
import { dispatchHostCall } from "../sbi/hostCalls.ts";
import { ReturnCode } from "../../../model/codes.ts";
import type { MonitorState } from "../monitor.ts";
import { isPublicHost, writeHost64 } from "../hostMemory.ts";
import { detachRelays, handRelayTo, relayOf, splitRelay } from "./relayPages.ts";
import { forwardTimerToHost, leaveEnclave } from "./contextSwitch.ts";
import { freeEnclave } from "./lifecycle.ts";
import { ON_HOST, sharedWindows, type EnclaveRecord } from "./enclaveRecord.ts";
import { fromU64s, readEnclave, readEnclaveName, u64s, writeEnclave } from "./enclaveMemory.ts";
import {
  allowSecureShm,
  attachSecureShm,
  createSecureShm,
  destroySecureShm,
  detachSecureShm,
  MAX_SECURE_SHM,
  nextSegmentVa,
  statSecureShm,
} from "./secureShm.ts";
import { acquireServer, callEnclave, killCallChain, serverReturn } from "./serverCalls.ts";
import { deriveSealingKey } from "../attest/sealing.ts";
import { growHeap, mapRegion, MAX_DYNAMIC, shrinkHeap, unmapRegion } from "./dynamicMemory.ts";
import { PAGE } from "../platform.ts";
import { tablesNeeded } from "./enclavePageTable.ts";
import { EnclaveType, EnclaveVa } from "../../abi/enclaveAbi.ts";
import { buildReport, signReport } from "../attest/attestation.ts";
import { measureEnclave } from "../attest/measurement.ts";
import { encodeReport } from "../attest/report.ts";

const OCALL_GETRANDOM = 8;
const MAX_RANDOM = 4096n;

/** The host mailbox an enclave's ocalls use: its top caller's while it serves a call (PGL §3.3). */
function mailboxOf(st: MonitorState, e: EnclaveRecord): EnclaveRecord["mailbox"] {
  return e.topCaller >= 0 ? st.enclaves[e.topCaller]!.mailbox : e.mailbox;
}

/** The enclave running on `hart`. */
export function current(st: MonitorState, hart: Hart): EnclaveRecord {
  return st.enclaves[st.cpus[hart.id]]!;
}

/** Leave the enclave for the host with result `r`, keeping it resumable at `resumePc`. */
function park(st: MonitorState, hart: Hart, e: EnclaveRecord, r: number, resumePc: bigint): void {
  leaveEnclave(hart, e, BigInt(r), { resumePc });
  st.cpus[hart.id] = ON_HOST;
}

/**
 * The enclave ends (exit, or killed): its memory is scrubbed and returned; the host sees `r`. A
 * server killed while serving a call takes its chain with it: the top caller is killed too and
 * its host sees ERROR, the servers in between are idle again (killCallChain).
 */
export function finish(st: MonitorState, hart: Hart, e: EnclaveRecord, r: number): void {
  const top = e.caller >= 0 ? killCallChain(st, hart, e) : null;
  leaveEnclave(hart, top ?? e, BigInt(top ? ReturnCode.ERROR : r), null);
  st.cpus[hart.id] = ON_HOST;
  freeEnclave(st, e);
  if (top) freeEnclave(st, top);
}

/** Handle an ecall from the enclave running on `hart` (mepc = the ecall). */
export function onEnclaveEcall(st: MonitorState, hart: Hart): void {
  const e = current(st, hart);
  const next = hart.csrRead(CSR.mepc) + 4n;
  const ret = (v: bigint | number): void => {
    hart.setX(10, BigInt.asUintN(64, BigInt(v)));
    hart.csrWrite(CSR.mepc, next);
  };
  if (hart.x(17) === BigInt(HOST_EXTENSION)) {
    // LC-3: a host-only function called by an enclave is refused, and the enclave goes on
    if (!mutant("M01")) return ret(ReturnCode.WRONG_DOMAIN);
    const r = dispatchHostCall(st, hart);
    return r === "entered" ? undefined : ret(r);
  }
  if (hart.x(16) !== BigInt(ENCLAVE_EXTENSION)) return finish(st, hart, e, ReturnCode.ERROR);
  const fid = Number(hart.x(17) & 0xffffn);
  const a0 = hart.x(10);
  switch (fid) {
    case EnclaveFid.EXIT_ENCLAVE:
      if (e.type === EnclaveType.SERVER) return ret(ReturnCode.SERVER_CANNOT_EXIT); // PGL §3.3
      if (!writeHost64(st, e.retval, a0)) return finish(st, hart, e, ReturnCode.ERROR);
      return finish(st, hart, e, ReturnCode.SUCCESS);
    case EnclaveFid.ENCLAVE_OCALL:
      return ocall(st, hart, e, Number(a0 & 0xffn), next);
    case EnclaveFid.GET_ENCLAVE_ID:
      return ret(mutant("M07") ? a0 : e.eid); // M07: the caller's a0 taken for its identity
    case EnclaveFid.GET_CALLER_ID:
      return ret(e.caller >= 0 ? e.caller : ReturnCode.NO_CALLER); // IPC-4: the real caller (the original: always 0)
    case EnclaveFid.ACQUIRE_SERVER:
      return ret(acquireServer(st, e, a0));
    case EnclaveFid.CALL_ENCLAVE: {
      const r = callEnclave(st, hart, e, a0, hart.x(11));
      return r === "entered" ? undefined : ret(r);
    }
    case EnclaveFid.ENCLAVE_RETURN: {
      const r = serverReturn(st, hart, e, a0);
      return r === "returned" ? undefined : ret(r);
    }
    case EnclaveFid.YIELD:
      // LC: yield → RUNNABLE and the host's run loop resumes it (design.md; the original orphaned it)
      e.state = "runnable";
      return park(st, hart, e, ReturnCode.YIELD, next);
    case EnclaveFid.GET_REPORT: {
      // PGL §5.3: name 0 = a fresh walk of the caller; a server name = SM3(server hash ‖ nonce), read only (AT-2)
      const nameVa = a0,
        reportVa = hart.x(11),
        nonce = hart.x(12);
      let report;
      if (nameVa === 0n)
        report = signReport(
          st.identity,
          measureEnclave(st.machine.mem, e.root, e.entry, nonce, { pteByte: 0, windows: sharedWindows(e) }),
          nonce,
        );
      else {
        const name = readEnclaveName(st, e, nameVa);
        const server =
          name === null ? undefined : st.enclaves.find((s) => s !== null && s.type === EnclaveType.SERVER && s.name === name);
        if (!server) return ret(ReturnCode.NO_SUCH_SERVER);
        report = buildReport(st.identity, server.hash, nonce);
      }
      return ret(writeEnclave(st, e, reportVa, encodeReport(report)) ? 0 : ReturnCode.INVALID_ARGUMENT);
    }
    case EnclaveFid.SPLIT_MEM_REGION:
      return ret(splitRelay(e, a0, hart.x(11), hart.x(12)));
    case EnclaveFid.ASYN_ENCLAVE_CALL: {
      // the argument is read from the caller's own memory (design.md; the original required it public)
      const name = readEnclaveName(st, e, a0);
      const arg = readEnclave(st, e, hart.x(11), 48);
      // a region tagged "" could never be claimed (a run takes the regions pending for its own, non-empty name)
      if (name === null || name === "" || arg === null) return ret(ReturnCode.INVALID_ARGUMENT);
      const [, , reqVa, reqSize] = u64s(arg);
      return ret(handRelayTo(st, e, name, reqVa, reqSize));
    }
    case EnclaveFid.SHM_ATTACH:
      return ret(attachSecureShm(st, e, a0));
    case EnclaveFid.SHM_ALLOW:
      return ret(allowSecureShm(st, e, a0, hart.x(11)));
    case EnclaveFid.SHM_STAT: {
      const r = statSecureShm(st, e, a0);
      if (typeof r === "number") return ret(r);
      return ret(writeEnclave(st, e, hart.x(11), fromU64s(r)) ? 0 : ReturnCode.INVALID_ARGUMENT);
    }
    case EnclaveFid.GET_KEY: {
      const type = Number(a0),
        va = hart.x(11),
        size = hart.x(12);
      if (type !== 0 && type !== 1) return ret(ReturnCode.INVALID_KEY_TYPE);
      if (size <= 0n || size > 64n) return ret(ReturnCode.INVALID_ARGUMENT);
      // M37: the key derived from the root alone, not bound to the measurement (Penglai's hard-coded keys, PGL §5)
      const key = deriveSealingKey(st.sealingRoot, mutant("M37") ? new Uint8Array(e.hash.length) : e.hash, type, Number(size));
      return ret(writeEnclave(st, e, va, key) ? 0 : ReturnCode.INVALID_ARGUMENT);
    }
    default:
      return finish(st, hart, e, ReturnCode.ERROR);
  }
}

/** ENCLAVE_OCALL (fid 98, PGL §2.3): the monitor records the ocall, fills the mailbox, leaves for the host. */
function ocall(st: MonitorState, hart: Hart, e: EnclaveRecord, id: number, next: bigint): void {
  const ret = (v: bigint | number): void => {
    hart.setX(10, BigInt.asUintN(64, BigInt(v)));
    hart.csrWrite(CSR.mepc, next);
  };
  switch (id) {
    case OcallId.SYS_WRITE: {
      if (!writeHost64(st, mailboxOf(st, e).funcId, BigInt(id))) return ret(ReturnCode.INVALID_ARGUMENT);
      e.pending = { id, result: hart.x(10) };
      e.state = "ocalling";
      return park(st, hart, e, ReturnCode.OCALL, next);
    }
    case OcallId.RETURN_RELAY_PAGE: {
      // PGL §4.7: the relay region goes back to the host (public, content kept, host leaves restored)
      // a server never hands relay pages to the host: inside a call they belong to the chain (spec
      // serverEnclave: RETURN_RELAY ✗ BAD_STATE)
      if (e.type === EnclaveType.SERVER) return ret(ReturnCode.BAD_STATE);
      const mbox = mailboxOf(st, e);
      const r = relayOf(e);
      if (r === null) return ret(ReturnCode.NO_SUCH_RELAY);
      const cells = [mbox.funcId, mbox.arg0, mbox.arg1];
      if (!cells.every((c) => isPublicHost(st, c, 8n))) return ret(ReturnCode.INVALID_ARGUMENT);
      const back = detachRelays(st, e)!;
      writeHost64(st, mbox.funcId, BigInt(id));
      writeHost64(st, mbox.arg0, back.pa);
      writeHost64(st, mbox.arg1, back.size);
      e.pending = { id, result: 0n, relay: back };
      e.state = "ocalling";
      return park(st, hart, e, ReturnCode.OCALL, next);
    }
    case OcallId.SHM_GET: {
      const key = hart.x(11),
        size = hart.x(12);
      if (size === 0n || size % PAGE !== 0n || size > MAX_SECURE_SHM) return ret(ReturnCode.INVALID_ARGUMENT);
      if (st.secureShms.has(key)) return ret(ReturnCode.SHM_KEY_TAKEN);
      return growOrAsk(st, hart, e, id, next, { kind: "shm", bytes: size, va: 0n, key });
    }
    case OcallId.SHM_DETACH:
      return ret(detachSecureShm(st, e, hart.x(11)));
    case OcallId.SHM_DESTROY:
      return ret(destroySecureShm(st, e, hart.x(11)));
    case OcallId.SBRK: {
      const size = BigInt.asIntN(64, hart.x(11));
      if (size === 0n) return ret(e.dyn.heapTop);
      if (size % PAGE !== 0n || size > MAX_DYNAMIC || -size > MAX_DYNAMIC) return ret(ReturnCode.INVALID_ARGUMENT);
      if (size < 0n) {
        if (e.dyn.heapTop + size < EnclaveVa.HEAP_BASE) return ret(ReturnCode.INVALID_ARGUMENT); // more than the heap holds
        return giveBack(st, hart, e, id, next, () => {
          const top = shrinkHeap(st, e, -size);
          return top === null ? null : { result: top, pa: 0n, size: 0n }; // size 0: the host has nothing to allocate
        });
      }
      if (e.dyn.heapTop + size > e.dyn.mmapFloor) return ret(ReturnCode.INVALID_ARGUMENT);
      return growOrAsk(st, hart, e, id, next, { kind: "sbrk", bytes: size, va: 0n });
    }
    case OcallId.MMAP: {
      const va = hart.x(11),
        size = hart.x(12);
      if (size === 0n || size % PAGE !== 0n || size > MAX_DYNAMIC || va % PAGE !== 0n) return ret(0n); // PGL §2.3: 0 to the enclave
      return growOrAsk(st, hart, e, id, next, { kind: "mmap", bytes: size, va });
    }
    case OcallId.UNMAP: {
      const va = hart.x(11),
        size = hart.x(12);
      if (size === 0n || size > MAX_DYNAMIC || va % PAGE !== 0n || size % PAGE !== 0n) return ret(ReturnCode.INVALID_ARGUMENT);
      // only a whole region of its own (spec enclave.unmap: pages it does not hold ✗ NOT_OWNER)
      if (!e.dyn.mmaps.some((m) => m.va === va && BigInt(m.pages.length) * PAGE === size && !m.relay))
        return ret(ReturnCode.NOT_OWNER);
      return giveBack(st, hart, e, id, next, () => {
        const pa = unmapRegion(st, e, va, size);
        return pa === null ? null : { result: 0n, pa, size };
      });
    }
    case OCALL_GETRANDOM: {
      // no exit: filled by the monitor's seeded CSPRNG (design.md; the original used an LCG)
      const va = hart.x(11),
        size = hart.x(12);
      if (size === 0n || (size > MAX_RANDOM && !mutant("M24"))) return ret(ReturnCode.INVALID_ARGUMENT); // SP-4: 1..MAX_RANDOM_BYTES (found by the checker)
      return ret(writeEnclave(st, e, va, st.random.fill(Number(size))) ? size : ReturnCode.INVALID_ARGUMENT);
    }
    default:
      return ret(ReturnCode.NOT_SUPPORTED);
  }
}

/**
 * OCALL_UNMAP / OCALL_SBRK(−): `release` gives the pages back to the host (scrubbed, public: CS-1) and
 * the enclave leaves with the ocall so the host can free them (PGL §2.3; spec enclave.unmap / sbrk:
 * OCALL_RELEASE → ocalling). The mailbox is written first: without usable cells nothing changes (LC-6).
 */
function giveBack(
  st: MonitorState,
  hart: Hart,
  e: EnclaveRecord,
  id: number,
  next: bigint,
  release: () => { result: bigint; pa: bigint; size: bigint } | null,
): void {
  const mbox = mailboxOf(st, e);
  if (![mbox.funcId, mbox.arg0, mbox.arg1].every((c) => isPublicHost(st, c, 8n))) {
    hart.setX(10, BigInt.asUintN(64, BigInt(ReturnCode.INVALID_ARGUMENT)));
    return hart.csrWrite(CSR.mepc, next);
  }
  const done = release();
  if (done === null) {
    hart.setX(10, BigInt.asUintN(64, BigInt(ReturnCode.INVALID_ARGUMENT))); // checked before: a monitor bug, refused
    return hart.csrWrite(CSR.mepc, next);
  }
  writeHost64(st, mbox.funcId, BigInt(id));
  writeHost64(st, mbox.arg0, done.pa);
  writeHost64(st, mbox.arg1, done.size);
  e.pending = { id, result: done.result };
  e.state = "ocalling";
  park(st, hart, e, ReturnCode.OCALL, next);
}

/** Grow the heap / map a region from spare pages, or ask the host for a block (the ocall leaves). */
function growOrAsk(
  st: MonitorState,
  hart: Hart,
  e: EnclaveRecord,
  id: number,
  next: bigint,
  req: { kind: "sbrk" | "mmap" | "shm"; bytes: bigint; va: bigint; key?: bigint },
): void {
  const ret = (v: bigint | number): void => {
    hart.setX(10, BigInt.asUintN(64, BigInt(v)));
    hart.csrWrite(CSR.mepc, next);
  };
  // page tables come from the region's free pages first: the host is asked only for what they cannot cover —
  // for the heap and an mmap region exactly the tables the mapping lacks (the flat slack asked the host for
  // pages beyond the spec's count as soon as the free pages ran low; found by the explorer's heap family)
  // (and for a secure shm segment where it will be mapped: OCALL_SHM_GET asked for two pages beyond the spec's
  // count once the enclave had spent its free pages, although its segments' tables were there)
  const at =
    req.kind === "sbrk"
      ? e.dyn.heapTop
      : req.kind === "mmap"
        ? req.va === 0n
          ? e.dyn.mmapFloor - req.bytes
          : req.va
        : nextSegmentVa(st, e, req.bytes);
  const lacking = BigInt(tablesNeeded(st.machine.mem, e.root, at, req.bytes));
  const tables = lacking > BigInt(e.freePages.length) ? lacking - BigInt(e.freePages.length) : 0n;
  const pages = req.bytes / PAGE + tables;
  if (BigInt(e.dyn.spare.length) >= pages) {
    if (req.kind === "shm") return ret(createSecureShm(st, e, req.key!, req.bytes));
    const r = req.kind === "sbrk" ? growHeap(st, e, req.bytes) : mapRegion(st, e, req.va, req.bytes);
    return ret(r ?? (req.kind === "sbrk" ? ReturnCode.INVALID_ARGUMENT : 0n));
  }
  const want = (pages - BigInt(e.dyn.spare.length)) * PAGE;
  if (!writeHost64(st, mailboxOf(st, e).funcId, BigInt(id)) || !writeHost64(st, mailboxOf(st, e).arg1, want))
    return ret(ReturnCode.INVALID_ARGUMENT);
  e.pending = { id, result: 0n, need: { ...req, pages: pages - BigInt(e.dyn.spare.length) } };
  e.state = "ocalling";
  park(st, hart, e, ReturnCode.OCALL, next);
}

/** The M timer fired while `hart` ran an enclave: preempt it (PGL §6.1). */
export function onEnclaveTimer(st: MonitorState, hart: Hart): void {
  const e = current(st, hart);
  e.state = "runnable";
  if (mutant("M12"))
    leaveEnclave(hart, e, BigInt(ReturnCode.TIMER_IRQ), { resumePc: hart.csrRead(CSR.mepc) }); // per-hart state kept
  else park(st, hart, e, ReturnCode.TIMER_IRQ, hart.csrRead(CSR.mepc));
  forwardTimerToHost(hart);
}

/**
 * An IPI reached a hart running an enclave: another hart's host asked to stop or destroy it (PGL §3.2:
 * "remote: flag + IPI"). Stop parks it STOPPED and its run loop sees TIMER_IRQ; destroy ends it
 * and its run loop sees SUCCESS.
 */
export function onEnclaveIpi(st: MonitorState, hart: Hart): void {
  const req = st.ipi[hart.id];
  st.ipi[hart.id] = null;
  if (req === null) return;
  const here = st.cpus[hart.id] === ON_HOST ? null : current(st, hart);
  if (here === null || req.eid !== (here.topCaller >= 0 ? here.topCaller : here.eid)) {
    // it left this hart before the IPI arrived (exit, preemption): the request still holds
    const e = st.enclaves[req.eid];
    if (e === null || e.state === "running" || e.callee >= 0) return;
    if (req.kind === "destroy") freeEnclave(st, e);
    else if (e.state === "runnable") e.state = "stopped";
    return;
  }
  const e = here;
  if (req.kind === "destroy") {
    if (e.caller >= 0) return; // a chain is destroyed from its top only, once the calls returned (IPC-2)
    return finish(st, hart, e, ReturnCode.SUCCESS);
  }
  e.state = "stopped";
  leaveEnclave(hart, e, BigInt(ReturnCode.TIMER_IRQ), { resumePc: hart.csrRead(CSR.mepc) });
  st.cpus[hart.id] = ON_HOST;
}

/** Any other trap taken in the enclave: it is destroyed and the host sees ERROR (PGL §2.1). */
export function onEnclaveFault(st: MonitorState, hart: Hart): void {
  finish(st, hart, current(st, hart), ReturnCode.ERROR);
}
