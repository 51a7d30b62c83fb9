/**
 * SBI_RUN_SHADOW_ENCLAVE (fid 87, PGL §3.4): fork an instance of a shadow enclave and run it, with
 * the intended rules: the shadow must exist, be a shadow and belong to the calling host (the
 * original did not check, PGL §9.8); the instance gets a fresh, monitor-zeroed region (CS-2) in
 * which every table is rebuilt, every writable page of the shadow is copied and the read-only ones
 * are shared (they stay the shadow's, IPC-6), plus a zeroed 64 KiB stack; its measurement is the
 * shadow's, which is right because its initial image equals the shadow's (AT-6).
 */
import { mutant } from "../../mutants.ts";
import type { Hart } from "../../riscv/hart.ts";
import { ReturnCode } from "../../../model/codes.ts";
import {
  DEFAULT_STACK_SIZE,
  EnclaveType,
  EnclaveVa,
  KBUFFER_SIZE,
  NAME_LEN,
  REGION_FIRST_FREE,
  REGION_ROOT_PAGE,
  ShadowRunParam,
} from "../../abi/enclaveAbi.ts";
import type { MonitorState } from "../monitor.ts";
import { PAGE, overlaps } from "../platform.ts";
import { isPublicHost, readHost } from "../hostMemory.ts";
import { secureRange } from "../memory/secureMemory.ts";
import { enterEnclave } from "./contextSwitch.ts";
import { mapPage, MONITOR_MAP_FLAGS, PTE_W, walkTable } from "./enclavePageTable.ts";
import { hostTarget } from "./lifecycle.ts";
import { parseName } from "./createEnclave.ts";
import { inLiveWindow, newEnclaveRecord } from "./enclaveRecord.ts";

const u64 = (b: Uint8Array, o: number): bigint => new DataView(b.buffer, b.byteOffset).getBigUint64(o, true);
const MAX_REGION = 1n << 30n;

export function forkShadow(st: MonitorState, hart: Hart, shadowId: bigint, paramPa: bigint): number | "entered" {
  const shadow = hostTarget(st, hart, shadowId);
  if (typeof shadow === "number") return shadow;
  if (shadow.type !== EnclaveType.SHADOW) return ReturnCode.NOT_A_SHADOW;
  const raw = paramPa % 8n === 0n ? readHost(st, paramPa, ShadowRunParam.SIZE) : null;
  if (raw === null) return ReturnCode.INVALID_ARGUMENT;
  const base = u64(raw, ShadowRunParam.freePage);
  const size = u64(raw, ShadowRunParam.size);
  const kbuffer = u64(raw, ShadowRunParam.kbuffer);
  const shmPa = u64(raw, ShadowRunParam.shmPaddr);
  const shmSize = u64(raw, ShadowRunParam.shmSize);
  const eidPtr = u64(raw, ShadowRunParam.eidPtr);
  const retval = u64(raw, ShadowRunParam.retval);
  const mailbox = [ShadowRunParam.ecallArg0, ShadowRunParam.ecallArg1, ShadowRunParam.ecallArg2, ShadowRunParam.ecallArg3].map(
    (o) => u64(raw, o),
  );
  const name = parseName(raw.subarray(ShadowRunParam.name, ShadowRunParam.name + NAME_LEN));
  // --- validate everything first (LC-6) ---
  const leaves = walkTable(st.machine.mem, shadow.root).leaves;
  const copies = leaves.filter((l) => (l.pte & PTE_W) !== 0n).length;
  const need = REGION_FIRST_FREE + BigInt(copies) + DEFAULT_STACK_SIZE / PAGE + 16n; // + tables
  if (name === null || size < need * PAGE || size > MAX_REGION || (size & (size - 1n)) !== 0n || base % size !== 0n)
    return ReturnCode.INVALID_ARGUMENT;
  // the window's shape: one page, not one of the instance's own — a shape error as create's (spec checkWindow);
  // whether it is the host's to lend is asked after the free slot, as the spec (found by the checker)
  if (
    kbuffer % PAGE !== 0n ||
    u64(raw, ShadowRunParam.kbufferSize) !== KBUFFER_SIZE ||
    overlaps(kbuffer, KBUFFER_SIZE, base, size)
  )
    return ReturnCode.INVALID_ARGUMENT;
  if (
    shmSize !== 0n &&
    (shmPa % PAGE !== 0n || shmSize % PAGE !== 0n || !isPublicHost(st, shmPa, shmSize) || overlaps(shmPa, shmSize, base, size))
  )
    return ReturnCode.PAGES_NOT_AVAILABLE;
  for (const cell of [...mailbox, retval])
    if (cell % 8n !== 0n || !isPublicHost(st, cell, 8n) || overlaps(cell, 8n, base, size)) return ReturnCode.INVALID_ARGUMENT;
  if (eidPtr % 4n !== 0n || !isPublicHost(st, eidPtr, 4n) || overlaps(eidPtr, 4n, base, size)) return ReturnCode.INVALID_ARGUMENT;
  const eid = st.enclaves.findIndex((e) => e === null);
  if (eid < 0) return ReturnCode.NO_MEM;
  if (!isPublicHost(st, kbuffer, KBUFFER_SIZE)) return ReturnCode.PAGES_NOT_AVAILABLE; // M17: public host memory only
  if (inLiveWindow(st.enclaves, base, size)) return ReturnCode.PAGES_NOT_AVAILABLE; // another enclave's kbuffer or shm
  const region = secureRange(st.machine, st.bitmap!, st.ptArea!, base, size);
  if (region === null) return ReturnCode.PAGES_NOT_AVAILABLE;
  // --- build the instance (nothing below can fail: the region was sized for it) ---
  const mem = st.machine.mem;
  mem.fill(base, Number(size)); // CS-2: host content never reaches the instance
  const root = base + REGION_ROOT_PAGE * PAGE;
  let next = base + REGION_FIRST_FREE * PAGE;
  const take = (): bigint => {
    const p = next;
    next += PAGE;
    return p;
  };
  const alloc = (): bigint | null => take();
  for (const l of leaves) {
    // M35: a writable shadow page shared with the instance instead of copied (the instance writes the template)
    if ((l.pte & PTE_W) !== 0n && !mutant("M35")) {
      const copy = take();
      mem.write(copy, mem.read(l.pa, 4096)); // writable: an eager private copy
      mapPage(mem, root, l.va & ((1n << 39n) - 1n), copy, l.pte & 0x3ffn, alloc);
    } else mapPage(mem, root, l.va & ((1n << 39n) - 1n), l.pa, l.pte & 0x3ffn, alloc); // read-only: shared with the shadow
  }
  for (let va = EnclaveVa.STACK_TOP - DEFAULT_STACK_SIZE; va < EnclaveVa.STACK_TOP; va += PAGE)
    mapPage(mem, root, va, take(), MONITOR_MAP_FLAGS, alloc);
  mapPage(mem, root, EnclaveVa.KBUFFER, kbuffer, MONITOR_MAP_FLAGS, alloc);
  if (shmSize !== 0n)
    for (let o = 0n; o < shmSize; o += PAGE) mapPage(mem, root, EnclaveVa.SHM_BASE + o, shmPa + o, MONITOR_MAP_FLAGS, alloc);
  const freePages: bigint[] = [];
  for (let pg = base + size - PAGE; pg >= next; pg -= PAGE) freePages.push(pg);
  const e = newEnclaveRecord({
    eid,
    type: EnclaveType.NORMAL,
    state: "fresh",
    name,
    hostSatp: shadow.hostSatp,
    region,
    root,
    entry: shadow.entry,
    freePages,
    kbuffer,
    shm: shmSize !== 0n ? { pa: shmPa, size: shmSize } : null,
    mailbox: { funcId: mailbox[0], arg0: mailbox[1], arg1: mailbox[2], syscall: mailbox[3] },
    retval,
    hash: shadow.hash.slice(), // AT-6: measurement reuse, sound because the image is the shadow's
    parent: shadow.eid,
  });
  st.enclaves[eid] = e;
  st.ledger.add(region, eid);
  mem.write32(eidPtr, eid);
  const x = new Array<bigint>(32).fill(0n);
  x[2] = EnclaveVa.STACK_TOP;
  if (e.shm) {
    x[10] = EnclaveVa.SHM_BASE;
    x[11] = e.shm.size;
  }
  enterEnclave(hart, e, { x, pc: e.entry });
  st.cpus[hart.id] = eid;
  return "entered";
}
