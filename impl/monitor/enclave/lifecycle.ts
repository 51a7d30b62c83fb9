/**
 * Host-side lifecycle calls (PGL §3.2) with the intended rules of design.md: every host operation
 * on an enclave must come from the host that created it (LC-3, M08); states are checked from
 * explicit sets, never enum order; the pending ocall is the one the monitor recorded, not the
 * host's word (design.md); a call that fails changes nothing (LC-6).
 */
import type { Hart } from "../../riscv/hart.ts";
import { CSR } from "../../riscv/csrNumbers.ts";
import { ReturnCode } from "../../../model/codes.ts";
import { EnclaveType, EnclaveVa, ResumeReason, RunParam } from "../../abi/enclaveAbi.ts";
import type { MonitorState } from "../monitor.ts";
import { isPublicHost, readHost, writeHost } from "../hostMemory.ts";
import { attachRelay, claimPendingRelays } from "./relayPages.ts";

/** `mm_arg_addr` 0xFFFF with size 0: "take the relay pages already transferred to my name" (PGL §1.4). */
const MM_ARG_MAGIC = 0xffffn;
/** Ocall id of the relay hand-back, a2 of the re-run's RESUME (PGL §2.3 id 7). */
const OCALL_RETURN_RELAY_PAGE = 7n;
import { buildReport } from "../attest/attestation.ts";
import { encodeReport, REPORT_SIZE } from "../attest/report.ts";
import { enterEnclave } from "./contextSwitch.ts";
import { acceptDonation, donationFits, growHeap, mapRegion } from "./dynamicMemory.ts";
import { innermost } from "./serverCalls.ts";
import { createSecureShm, leaveAllSecureShms } from "./secureShm.ts";
import { ON_HOST, type EnclaveRecord, type EnclaveState } from "./enclaveRecord.ts";
import { updateHash } from "../attest/measurement.ts";
import { mutant } from "../../mutants.ts";

/**
 * The enclave `eid` if the calling host may act on it, else the error code. With `chain`, an enclave
 * serving a call answers to its top caller's host: a callee runs on that host's context (PGL §3.3, it
 * inherits host_ptbr) — the resume family (spec host.resume / ocallReturn: the top caller's creator).
 */
export function hostTarget(st: MonitorState, hart: Hart, eid: bigint, chain = false): EnclaveRecord | number {
  if (st.cpus[hart.id] !== ON_HOST && !mutant("M01")) return ReturnCode.WRONG_DOMAIN;
  if (eid < 0n || eid >= BigInt(st.enclaves.length + (mutant("M20") ? 1 : 0))) return ReturnCode.INVALID_ID;
  const e = st.enclaves[Number(eid)];
  if (e === null) return ReturnCode.NO_SUCH_ENCLAVE;
  const bound = chain && e.topCaller >= 0 ? (st.enclaves[e.topCaller] ?? e) : e;
  // LC-3, M08: bound to the host process that created it (the original's destroy skipped the host_ptbr compare)
  if (bound.hostSatp !== hart.csrRead(CSR.satp) && !mutant("M08")) return ReturnCode.NOT_CREATOR;
  return e;
}

const is = (e: EnclaveRecord, ...states: EnclaveState[]): boolean => states.includes(e.state);

/** Registers of a fresh start (PGL §4.6): sp = stack top, a0/a1 = host shm, a3/a4 = relay (none yet). */
function freshRegs(e: EnclaveRecord): { x: bigint[]; pc: bigint } {
  const x = new Array<bigint>(32).fill(0n);
  x[2] = EnclaveVa.STACK_TOP;
  if (e.shm) {
    x[10] = EnclaveVa.SHM_BASE;
    x[11] = e.shm.size;
  }
  return { x, pc: e.entry };
}

/**
 * SBI_RUN_ENCLAVE (fid 97): FRESH normal enclave → RUNNING on this hart. `runParamPa` (0 = none) names
 * an `enclave_run_param` whose relay region is secured and mapped at MM_ARG_BASE first (PGL §4.7).
 */
export function runEnclave(st: MonitorState, hart: Hart, eid: bigint, runParamPa = 0n): number | "entered" {
  const e = hostTarget(st, hart, eid);
  if (typeof e === "number") return e;
  if (e.type === EnclaveType.SERVER) return ReturnCode.SERVER_NOT_RUNNABLE;
  if (e.type === EnclaveType.SHADOW) return ReturnCode.SHADOW_NOT_RUNNABLE; // it is forked, never run (PGL §3.4)
  if (!is(e, "fresh") && !(mutant("M02") && !is(e, "running"))) return ReturnCode.BAD_STATE;
  const regs = freshRegs(e);
  if (runParamPa !== 0n) {
    const p = runParamPa % 8n === 0n ? readHost(st, runParamPa, RunParam.SIZE) : null;
    if (p === null) return ReturnCode.INVALID_ARGUMENT;
    const v = new DataView(p.buffer);
    const addr = v.getBigUint64(RunParam.mmArgAddr, true);
    const size = v.getBigUint64(RunParam.mmArgSize, true);
    if (addr === MM_ARG_MAGIC && size === 0n) {
      const got = claimPendingRelays(st, e); // the relay regions handed to this enclave's name
      if (got > 0n) {
        regs.x[13] = EnclaveVa.MM_ARG_BASE;
        regs.x[14] = got;
      }
    } else if (addr !== 0n) {
      const r = attachRelay(st, e, addr, size);
      if (r !== ReturnCode.SUCCESS) return r;
      regs.x[13] = EnclaveVa.MM_ARG_BASE;
      regs.x[14] = size;
    }
  }
  enterEnclave(hart, e, regs);
  st.cpus[hart.id] = e.eid;
  return "entered";
}

/**
 * SBI_RESUME_ENCLAVE (fid 95): after a timer preemption (RUNNABLE → RUNNING), to finish the
 * recorded ocall (OCALLING → RUNNING), or to wake a stopped enclave (STOPPED → RUNNABLE). A STOPPED
 * enclave resumed for the timer is refused (BAD_STATE), as the spec.
 */
export function resumeEnclave(st: MonitorState, hart: Hart, eid: bigint, reason: bigint): number | "entered" {
  // a server inside a call is resumed by its top caller's host, not by its creator (found by the checker's second host)
  const top = hostTarget(st, hart, eid, true);
  if (typeof top === "number") return top;
  // host operations on a top caller reach the innermost callee serving its call (PGL §3.3)
  const e = innermost(st, top);
  switch (reason) {
    case ResumeReason.TIMER_IRQ:
      // nor resumed (spec shadowEnclave: ready RESUME ✗ SHADOW_NOT_RUNNABLE; found by the checker)
      if (e.type === EnclaveType.SHADOW) return ReturnCode.SHADOW_NOT_RUNNABLE;
      // a stopped enclave is woken first (RESUME with the STOP reason); the spec refuses the timer
      // resume as BAD_STATE (lifecycle: stopped RESUME — found by the checker; it used to answer TIMER_IRQ)
      if (!(is(e, "runnable") || (mutant("M03") && is(e, "fresh"))) || (e.type === EnclaveType.SERVER && e.caller < 0))
        return ReturnCode.BAD_STATE;
      enterEnclave(hart, e, null);
      st.cpus[hart.id] = e.eid;
      return "entered";
    case ResumeReason.STOP:
      if (!is(e, "stopped")) return ReturnCode.BAD_STATE;
      e.state = "runnable";
      return ReturnCode.SUCCESS;
    case ResumeReason.OCALL: {
      if (!is(e, "ocalling") || e.pending === null) return ReturnCode.BAD_STATE;
      let result = e.pending.result;
      const need = e.pending.need;
      const relay = e.pending.relay;
      // the re-run after OCALL_RETURN_RELAY_PAGE is asked for by its id (a2 = 7), and only then (spec:
      // relayReturned RESUME_OCALL ✗ BAD_STATE, RERUN of any other state ✗ BAD_STATE)
      if ((relay !== undefined) !== (hart.x(12) === OCALL_RETURN_RELAY_PAGE)) return ReturnCode.BAD_STATE;
      if (relay && (hart.x(13) !== 0n || hart.x(14) !== 0n)) {
        // the host's region set by PLenclave_set_mem_arg (a3 = pa, a4 = size; 0, 0 = none) is secured and
        // mapped again (PGL §4.7); not necessarily the one handed back — the spec re-runs with the bound region
        const r = attachRelay(st, e, hart.x(13), hart.x(14));
        if (r !== ReturnCode.SUCCESS) return r;
      }
      if (need?.kind === "shm" && st.secureShms.has(need.key!))
        // another enclave took the key meanwhile: refused after the pages' own checks, nothing taken, the
        // ocall still pending (spec host.ocallReturn ✗ SHM_KEY_TAKEN; it took the block and resumed)
        return donationFits(st, hart.x(13), hart.x(14), need.pages) ? ReturnCode.SHM_KEY_TAKEN : ReturnCode.OCALL_PAGES_INVALID;
      if (need) {
        if (mutant("M06")) e.pending = null; // M06: state changed before the check that can fail
        // the post-step of sbrk/mmap: the host's block (a3 = pa, a4 = size) must be usable (PGL §2.3)
        if (!acceptDonation(st, e, hart.x(13), hart.x(14), need.pages)) return ReturnCode.OCALL_PAGES_INVALID;
        if (need.kind === "shm") {
          const r = createSecureShm(st, e, need.key!, need.bytes);
          result = BigInt.asUintN(64, BigInt(r));
        } else {
          const r = need.kind === "sbrk" ? growHeap(st, e, need.bytes) : mapRegion(st, e, need.va, need.bytes);
          result = r ?? 0n;
        }
      }
      e.pending = null;
      e.ctx!.x[10] = result;
      enterEnclave(hart, e, null);
      st.cpus[hart.id] = e.eid;
      return "entered";
    }
    default:
      return ReturnCode.INVALID_ARGUMENT;
  }
}

/** SBI_STOP_ENCLAVE (fid 96): RUNNABLE → STOPPED (an enclave running on another hart: issue 6). */
export function stopEnclave(st: MonitorState, hart: Hart, eid: bigint): number {
  const e = hostTarget(st, hart, eid);
  if (typeof e === "number") return e;
  // an idle server is never run by the host, so not stopped either (spec serverEnclave: idle STOP ✗ SERVER_NOT_RUNNABLE)
  if (e.type === EnclaveType.SERVER)
    return e.caller < 0 && is(e, "runnable") ? ReturnCode.SERVER_NOT_RUNNABLE : ReturnCode.BAD_STATE;
  // a shadow never runs, so it is never stopped (spec shadowEnclave: ready STOP ✗ SHADOW_NOT_RUNNABLE; found by the checker)
  if (e.type === EnclaveType.SHADOW) return ReturnCode.SHADOW_NOT_RUNNABLE;
  if (is(e, "running")) return remote(st, e, "stop");
  if (e.callee >= 0) return ReturnCode.CALLER_BLOCKED; // IPC-2: its callee works on its behalf (spec: blocked STOP)
  if (!is(e, "runnable")) return ReturnCode.BAD_STATE;
  e.state = "stopped";
  return ReturnCode.SUCCESS;
}

/**
 * `e` runs on another hart (the host's own hart runs the host): post the request and send that
 * hart an IPI; its monitor acts at its next instruction boundary (PGL §3.2 "remote: flag + IPI").
 */
function remote(st: MonitorState, e: EnclaveRecord, kind: "stop" | "destroy"): number {
  if (e.hart < 0 || st.ipi[e.hart] !== null) return ReturnCode.BAD_STATE;
  st.ipi[e.hart] = { kind, eid: e.eid };
  st.machine.clint.store(4 * e.hart, 4, 1n);
  return ReturnCode.SUCCESS;
}

/** Free an enclave: its region zeroed and returned to the host, its slot freed (PGL §3.5, CS-1). */
export function freeEnclave(st: MonitorState, e: EnclaveRecord): void {
  leaveAllSecureShms(st, e);
  st.ledger.releaseHeld(e.eid); // exactly the pages it holds (some may have moved to or from others)
  st.enclaves[e.eid] = null;
}

/** SBI_DESTROY_ENCLAVE (fid 94): any state but running (running elsewhere: issue 6). */
export function destroyEnclave(st: MonitorState, hart: Hart, eid: bigint): number {
  const e = hostTarget(st, hart, eid);
  if (e === ReturnCode.NO_SUCH_ENCLAVE && mutant("M05")) return ReturnCode.SUCCESS;
  if (typeof e === "number") return e;
  if (is(e, "running") && !mutant("M04")) return e.caller >= 0 ? ReturnCode.SERVER_IN_CALL : remote(st, e, "destroy");
  if (e.callee >= 0 && !mutant("M39")) return ReturnCode.CALLER_BLOCKED; // IPC-2: its callee works on its behalf
  if (e.type === EnclaveType.SHADOW && !mutant("M40") && st.enclaves.some((x) => x !== null && x.parent === e.eid))
    return ReturnCode.SHADOW_HAS_INSTANCES; // IPC-6: instances share its read-only pages
  if (e.caller >= 0) return ReturnCode.SERVER_IN_CALL;
  freeEnclave(st, e);
  return ReturnCode.SUCCESS;
}

/** SBI_ATTEST_ENCLAVE (fid 98): FRESH or STOPPED; report = sign(SM3(stored ‖ nonce)) into public host memory. */
export function attestEnclave(st: MonitorState, hart: Hart, eid: bigint, reportPa: bigint, nonce: bigint): number {
  const e = hostTarget(st, hart, eid);
  if (typeof e === "number") return e;
  // a server between calls may be attested too (spec: serverEnclave idle —ATTEST→ idle; found by the checker)
  const idleServer = e.type === EnclaveType.SERVER && is(e, "runnable") && e.caller < 0;
  if (!is(e, "fresh", "stopped", "ready") && !idleServer) return ReturnCode.BAD_STATE;
  if (!isPublicHost(st, reportPa, BigInt(REPORT_SIZE)) && !mutant("M21")) return ReturnCode.INVALID_ARGUMENT; // whole report (PGL §4.8)
  const report = encodeReport(buildReport(st.identity, e.hash, nonce)); // AT-2: e.hash is only read
  // M21: the monitor writes through the host's pointer without checking it (a confused deputy)
  if (
    mutant("M21") &&
    reportPa >= st.machine.mem.base &&
    reportPa + BigInt(report.length) <= st.machine.mem.base + BigInt(st.machine.mem.size)
  )
    st.machine.mem.write(reportPa, report);
  else writeHost(st, reportPa, report);
  if (mutant("M32")) e.hash = updateHash(e.hash, nonce);
  return ReturnCode.SUCCESS;
}
