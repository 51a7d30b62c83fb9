/**
 * Server enclaves (PGL §3.3) with the intended rules: a server serves one call at a time (a busy
 * server answers SERVER_BUSY, its own code — IPC-1); the caller must hold the request region it
 * lends, which moves — unmapped from the caller first — to the callee and back (OW-6); the callee
 * runs on its top caller's host context, so timer and ocalls inside a server go through the top
 * caller's run loop; get_caller_id answers the real caller (IPC-4).
 */
import type { Hart } from "../../riscv/hart.ts";
import { mutant } from "../../mutants.ts";
import { CSR } from "../../riscv/csrNumbers.ts";
import { ReturnCode } from "../../../model/codes.ts";
import { EnclaveType, EnclaveVa } from "../../abi/enclaveAbi.ts";
import type { MonitorState } from "../monitor.ts";
import { PAGE } from "../platform.ts";
import { shootDown } from "../memory/secureMemory.ts";
import { mapPage, MONITOR_MAP_FLAGS, tablesNeeded, unmapPage } from "./enclavePageTable.ts";
import { fromU64s, readEnclave, readEnclaveName, u64s, writeEnclave } from "./enclaveMemory.ts";
import type { EnclaveRecord } from "./enclaveRecord.ts";
import { mmapFloorOf } from "./dynamicMemory.ts";

const SATP_SV39 = 8n << 60n;
/** `struct call_enclave_arg_t`: req_arg, resp_val, req_vaddr, req_size, resp_vaddr, resp_size. */
const ARG_SIZE = 48;

/** ACQUIRE_SERVER (fid 97): the eid of the server called `name`. */
export function acquireServer(st: MonitorState, e: EnclaveRecord, nameVa: bigint): number {
  const name = readEnclaveName(st, e, nameVa);
  if (name === null) return ReturnCode.INVALID_ARGUMENT;
  const s = st.enclaves.find((x) => x !== null && x.type === EnclaveType.SERVER && x.name === name);
  return s ? s.eid : ReturnCode.NO_SUCH_SERVER;
}

/** Page-table pages an enclave can still spend on new mappings. */
const tablePagesLeft = (e: EnclaveRecord): number => e.freePages.length + e.dyn.spare.length;

function allocTable(st: MonitorState, e: EnclaveRecord): () => bigint | null {
  return () => {
    const t = e.freePages.pop() ?? e.dyn.spare.pop();
    if (t === undefined) return null;
    st.machine.mem.fill(t, 4096);
    return t;
  };
}

/** The mmap region of `e` that is exactly [va, va+size), or -1. */
function regionIndex(e: EnclaveRecord, va: bigint, size: bigint): number {
  return e.dyn.mmaps.findIndex((m) => m.va === va && BigInt(m.pages.length) * PAGE === size);
}

/** A free VA for `n` pages in `e`'s mmap area: `prefer` if free, else just below its lowest region. */
function freeVa(e: EnclaveRecord, prefer: bigint, n: number, relay = false): bigint | null {
  const size = BigInt(n) * PAGE;
  const clash = (va: bigint) => e.dyn.mmaps.some((m) => va < m.va + BigInt(m.pages.length) * PAGE && m.va < va + size);
  // relay pages live from MM_ARG_BASE (PGL §4.7): there if free, else where `prefer` says in the relay
  // window — a piece split off above the front piece goes back there when its server returns (it was
  // left with the server: MM_ARG_BASE was the front piece's)
  if (relay) {
    for (const at of [EnclaveVa.MM_ARG_BASE, prefer])
      if (at % PAGE === 0n && at >= EnclaveVa.MM_ARG_BASE && at + size <= EnclaveVa.SHM_BASE && !clash(at)) return at;
    return null;
  }
  if (prefer % PAGE === 0n && prefer >= e.dyn.heapTop && prefer + size <= EnclaveVa.MMAP_TOP && !clash(prefer)) return prefer;
  const va = e.dyn.mmapFloor - size;
  return va >= e.dyn.heapTop && !clash(va) ? va : null;
}

/** Move region `idx` of `from` to `to` at a VA near `prefer` (ledger + both tables); the VA or null (nothing moved). */
function moveRegion(st: MonitorState, from: EnclaveRecord, idx: number, to: EnclaveRecord, prefer: bigint): bigint | null {
  const m = from.dyn.mmaps[idx];
  const va = freeVa(to, prefer, m.pages.length, m.relay === true);
  if (va === null || tablePagesLeft(to) < tablesNeeded(st.machine.mem, to.root, va, BigInt(m.pages.length) * PAGE)) return null;
  const mem = st.machine.mem;
  // OW-6, M19: unmapped from the sender before the receiver maps it (M19 leaves the sender's mapping)
  if (!mutant("M19")) for (let k = 0; k < m.pages.length; k++) unmapPage(mem, from.root, m.va + BigInt(k) * PAGE);
  from.dyn.mmaps.splice(idx, 1);
  from.dyn.mmapFloor = mmapFloorOf(from);
  st.ledger.transfer(m.pages, to.eid);
  const alloc = allocTable(st, to);
  m.pages.forEach((pa, k) => mapPage(mem, to.root, va + BigInt(k) * PAGE, pa, MONITOR_MAP_FLAGS, alloc));
  to.dyn.mmaps.push(m.relay ? { va, pages: m.pages, relay: true } : { va, pages: m.pages });
  to.dyn.mmapFloor = mmapFloorOf(to);
  shootDown(st.machine); // MI-6: the caller's stale translations of the region are gone everywhere
  return va;
}

/** Switch the hart's translation to `e`'s table. */
function useTable(hart: Hart, e: EnclaveRecord): void {
  hart.csrWrite(CSR.satp, SATP_SV39 | (e.root / PAGE));
}

/**
 * CALL_ENCLAVE (fid 96) from `caller` running on `hart` (mepc = the ecall): returns an error code
 * for the caller, or "entered" when the hart now runs the callee.
 */
export function callEnclave(
  st: MonitorState,
  hart: Hart,
  caller: EnclaveRecord,
  calleeId: bigint,
  argVa: bigint,
): number | "entered" {
  if (calleeId < 0n || calleeId >= BigInt(st.enclaves.length)) return ReturnCode.INVALID_ID;
  const callee = st.enclaves[Number(calleeId)];
  if (callee === null) return ReturnCode.NO_SUCH_ENCLAVE;
  if (callee.type !== EnclaveType.SERVER) return ReturnCode.NOT_A_SERVER;
  const raw = readEnclave(st, caller, argVa, ARG_SIZE);
  if (raw === null) return ReturnCode.INVALID_ARGUMENT;
  const [reqArg, , reqVa, reqSize] = u64s(raw);
  // what the caller lends is checked before the callee's availability (spec: the caller's CALL_OUT,
  // then the callee's CALLED — a region it does not hold is NOT_OWNER even at a busy server)
  const idx = reqVa === 0n ? -1 : regionIndex(caller, reqVa, reqSize);
  if (reqVa !== 0n && idx < 0) return ReturnCode.NOT_OWNER; // OW-6: only a region the caller holds, whole
  if ((callee.caller !== -1 || callee.state !== "runnable") && !mutant("M38")) return ReturnCode.SERVER_BUSY; // sequential only
  let req: NonNullable<EnclaveRecord["call"]>["req"] = null;
  if (reqVa !== 0n) {
    const pages = caller.dyn.mmaps[idx].pages;
    const at = moveRegion(st, caller, idx, callee, reqVa);
    if (at === null) return ReturnCode.NO_MEM;
    req = { callerVa: reqVa, calleeVa: at, pages };
  }
  // the top caller's kbuffer serves prints inside the server (PGL §3.3)
  const top = st.enclaves[caller.topCaller >= 0 ? caller.topCaller : caller.eid]!;
  mapPage(st.machine.mem, callee.root, EnclaveVa.KBUFFER, top.kbuffer, MONITOR_MAP_FLAGS, allocTable(st, callee));
  // caller waits; its host context moves to the callee
  const x: bigint[] = [0n];
  for (let i = 1; i < 32; i++) x.push(hart.x(i));
  caller.ctx = { x, pc: hart.csrRead(CSR.mepc) + 4n };
  caller.state = "blocked";
  caller.callee = callee.eid;
  callee.caller = caller.eid;
  callee.topCaller = top.eid;
  callee.host = caller.host;
  caller.host = null;
  callee.hart = hart.id;
  caller.hart = -1;
  callee.call = { argVa, req };
  // every call starts at the entry point with a fresh stack (PGL §3.3)
  for (let i = 1; i < 32; i++) hart.setX(i, 0n);
  hart.setX(2, EnclaveVa.STACK_TOP);
  hart.setX(10, reqArg);
  hart.setX(11, req ? req.calleeVa : 0n);
  hart.setX(12, req ? reqSize : 0n);
  hart.setX(13, callee.shm ? EnclaveVa.SHM_BASE : 0n);
  hart.setX(14, callee.shm ? callee.shm.size : 0n);
  hart.csrWrite(CSR.mepc, callee.entry);
  useTable(hart, callee);
  callee.state = "running";
  st.cpus[hart.id] = callee.eid;
  return "entered";
}

/** SERVER_RETURN (fid 95) from `callee` on `hart`: an error code for the callee, or "returned". */
export function serverReturn(st: MonitorState, hart: Hart, callee: EnclaveRecord, argVa: bigint): number | "returned" {
  if (callee.type !== EnclaveType.SERVER || callee.caller < 0 || callee.call === null) return ReturnCode.NO_CALLER;
  const caller = st.enclaves[callee.caller]!;
  const raw = readEnclave(st, callee, argVa, ARG_SIZE);
  if (raw === null) return ReturnCode.INVALID_ARGUMENT;
  const [, respVal, , , respVa, respSize] = u64s(raw);
  const respIdx = respVa === 0n ? -1 : regionIndex(callee, respVa, respSize);
  if (respVa !== 0n && respIdx < 0) return ReturnCode.NOT_OWNER;
  unwind(st, hart, callee, caller, respVal, respIdx >= 0 ? { va: respVa, size: respSize } : null, 0n);
  return "returned";
}

/**
 * A callee killed while serving a call (a trap the monitor does not serve, PGL §2.1): the whole
 * chain goes, as Penglai's destroy of a running server "returns to the top caller, then destroys the
 * top caller" (PGL §3.3) and as the spec's killChain: the servers between the top caller and `callee`
 * abort their calls and are idle again (what their callers lent them goes back to the host), the top
 * caller is killed and its host sees ERROR. `callee` itself is left for the caller of this function
 * to free; the hart is the host's again.
 */
export function killCallChain(st: MonitorState, hart: Hart, callee: EnclaveRecord): EnclaveRecord {
  const chain = [callee];
  while (chain[0].caller >= 0 && chain.length <= st.enclaves.length) chain.unshift(st.enclaves[chain[0].caller]!);
  const top = chain[0];
  top.host = callee.host; // the host context travels with the innermost callee
  callee.host = null;
  for (const server of chain.slice(1, -1)) abortServing(st, server);
  callee.caller = -1;
  callee.topCaller = -1;
  top.callee = -1;
  return top;
}

/** A server whose call was aborted under it: lent regions back to the host (scrubbed; relays with content), idle again. */
function abortServing(st: MonitorState, server: EnclaveRecord): void {
  const req = server.call?.req;
  const idx = req ? regionIndex(server, req.calleeVa, BigInt(req.pages.length) * PAGE) : -1;
  if (idx >= 0) {
    const m = server.dyn.mmaps[idx];
    for (let k = 0; k < m.pages.length; k++) unmapPage(st.machine.mem, server.root, m.va + BigInt(k) * PAGE);
    server.dyn.mmaps.splice(idx, 1);
    server.dyn.mmapFloor = mmapFloorOf(server);
    st.ledger.release(m.pages); // CS-1: zeroed unless a relay region (whose content is the host's output)
  }
  unmapPage(st.machine.mem, server.root, EnclaveVa.KBUFFER);
  Object.assign(server, { call: null, caller: -1, callee: -1, topCaller: -1, state: "runnable", hart: -1, ctx: null, host: null });
}

/** Hand the hart back from `callee` to `caller`: regions, arg struct, links, context; caller's a0 = `a0`. */
function unwind(
  st: MonitorState,
  hart: Hart,
  callee: EnclaveRecord,
  caller: EnclaveRecord,
  respVal: bigint,
  resp: { va: bigint; size: bigint } | null,
  a0: bigint,
): void {
  const call = callee.call!;
  // the request region goes back where the caller had it (dropped if the callee no longer holds it whole)
  let reqBack = 0n;
  const req = call.req;
  if (req) {
    const idx = regionIndex(callee, req.calleeVa, BigInt(req.pages.length) * PAGE);
    if (idx >= 0 && moveRegion(st, callee, idx, caller, req.callerVa) !== null) reqBack = req.callerVa;
  }
  let respAt = 0n;
  const respSize = resp?.size ?? 0n;
  if (resp) {
    const idx = regionIndex(callee, resp.va, resp.size); // after the request moved back
    if (idx >= 0) respAt = moveRegion(st, callee, idx, caller, 0n) ?? 0n;
  }
  unmapPage(st.machine.mem, callee.root, EnclaveVa.KBUFFER);
  // the caller's struct learns the outcome (PGL §3.3: resp_val, resp_vaddr/size, req_vaddr)
  const argCaller = call.argVa;
  const old = readEnclave(st, caller, argCaller, ARG_SIZE);
  if (old) {
    const f = u64s(old);
    writeEnclave(
      st,
      caller,
      argCaller,
      fromU64s([f[0], respVal, reqBack, reqBack === 0n ? 0n : f[3], respAt, respAt === 0n ? 0n : respSize]),
    );
  }
  // back to the caller
  caller.host = callee.host;
  callee.host = null;
  callee.call = null;
  callee.caller = -1;
  callee.topCaller = -1;
  callee.state = "runnable";
  callee.hart = -1;
  callee.ctx = null;
  caller.callee = -1;
  caller.state = "running";
  caller.hart = hart.id;
  const ctx = caller.ctx!;
  caller.ctx = null;
  for (let i = 1; i < 32; i++) hart.setX(i, ctx.x[i]);
  hart.setX(10, a0);
  hart.csrWrite(CSR.mepc, ctx.pc);
  useTable(hart, caller);
  st.cpus[hart.id] = caller.eid;
}

/** The enclave a host operation on `e` really targets: the innermost callee of its call chain. */
export function innermost(st: MonitorState, e: EnclaveRecord): EnclaveRecord {
  let cur = e;
  for (let i = 0; cur.callee >= 0 && i < st.enclaves.length; i++) cur = st.enclaves[cur.callee]!;
  return cur;
}
