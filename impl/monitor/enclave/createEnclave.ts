/**
 * SBI_CREATE_ENCLAVE (fid 99, PGL §3.1, §4.6) with the intended checks: the parameter struct and
 * every host buffer it names are public host memory (all pages); the region is a power-of-two,
 * page-aligned public range; the kbuffer and the host shm are public and outside the region
 * (MI-1); the enclave page table built by the driver passes the layout check; the monitor maps the
 * kbuffer and shm itself, measures the result (PGL §5.1) and only then writes the eid.
 * Any failure leaves everything as it was (LC-6).
 */
import type { Hart } from "../../riscv/hart.ts";
import { ReturnCode } from "../../../model/codes.ts";
import {
  CreateParam,
  EnclaveType,
  EnclaveVa,
  KBUFFER_SIZE,
  NAME_LEN,
  REGION_FIRST_FREE,
  REGION_ROOT_PAGE,
} from "../../abi/enclaveAbi.ts";
import type { MonitorState } from "../monitor.ts";
import { PAGE, overlaps } from "../platform.ts";
import { isPublicHost, readHost } from "../hostMemory.ts";
import { mutant } from "../../mutants.ts";
import { releaseRange, secureRange } from "../memory/secureMemory.ts";
import { measureEnclave } from "../attest/measurement.ts";
import { MeasurementError } from "../attest/errors.ts";
import { checkLayout } from "./layoutCheck.ts";
import { mapPage, MONITOR_MAP_FLAGS } from "./enclavePageTable.ts";
import { inLiveWindow, sharedWindows, newEnclaveRecord } from "./enclaveRecord.ts";

/** Largest enclave region (PGL §4.6: ELF ≤ 512 MiB, stack ≤ 64 MiB). */
const MAX_REGION = 1n << 30n;
const MAX_SHM = 64n << 20n;

const u64 = (b: Uint8Array, o: number): bigint => new DataView(b.buffer, b.byteOffset).getBigUint64(o, true);

/** Parse a NUL-terminated name of at most NAME_LEN − 1 bytes; null if unterminated. */
export function parseName(b: Uint8Array): string | null {
  const end = b.indexOf(0);
  if (end < 0 || end >= NAME_LEN) return null;
  return new TextDecoder().decode(b.subarray(0, end));
}

export function createEnclave(st: MonitorState, hart: Hart, paramPa: bigint, type: number): number {
  if (st.bitmap === null || st.ptArea === null || !st.separated) return ReturnCode.BAD_STATE;
  const raw = readHost(st, paramPa, CreateParam.SIZE);
  if (raw === null || paramPa % 8n !== 0n) return ReturnCode.INVALID_ARGUMENT;
  const p = {
    eidPtr: u64(raw, CreateParam.eidPtr),
    name: parseName(raw.subarray(CreateParam.name, CreateParam.name + NAME_LEN)),
    paddr: u64(raw, CreateParam.paddr),
    size: u64(raw, CreateParam.size),
    entry: u64(raw, CreateParam.entryPoint),
    freeMem: u64(raw, CreateParam.freeMem),
    kbuffer: u64(raw, CreateParam.kbuffer),
    kbufferSize: u64(raw, CreateParam.kbufferSize),
    shmPaddr: u64(raw, CreateParam.shmPaddr),
    shmSize: u64(raw, CreateParam.shmSize),
    mailbox: [CreateParam.ecallArg0, CreateParam.ecallArg1, CreateParam.ecallArg2, CreateParam.ecallArg3].map((o) => u64(raw, o)),
    retval: u64(raw, CreateParam.retval),
  };
  // --- validate everything before touching anything (LC-6), in the spec's order: shape errors,
  // then a free slot, then availability of the memory, then the name (spec host.create) ---
  if (p.name === null) return ReturnCode.INVALID_ARGUMENT;
  if (type === EnclaveType.SERVER && p.name === "") return ReturnCode.INVALID_ARGUMENT; // a server is named (PGL §3.3)
  const { paddr, size } = p;
  if (size < (REGION_FIRST_FREE + 1n) * PAGE || size > MAX_REGION || (size & (size - 1n)) !== 0n || paddr % size !== 0n)
    return ReturnCode.INVALID_ARGUMENT;
  if (p.freeMem < paddr + REGION_FIRST_FREE * PAGE || p.freeMem > paddr + size || p.freeMem % PAGE !== 0n)
    return ReturnCode.INVALID_ARGUMENT;
  if (p.entry >= EnclaveVa.MMAP_TOP || p.entry < EnclaveVa.TEXT) return ReturnCode.INVALID_ARGUMENT;
  // a server gets its top caller's kbuffer at each call (PGL §3.3); a shadow never runs (§3.4)
  const hasKbuffer = type === EnclaveType.NORMAL;
  if (type === EnclaveType.SHADOW && p.shmSize !== 0n) return ReturnCode.INVALID_ARGUMENT;
  if (!hasKbuffer && p.kbuffer !== 0n) return ReturnCode.INVALID_ARGUMENT; // as the spec: a window of its own is an error
  // the window is not one of the enclave's own pages (a shape error, as the spec's checkWindow)
  if (hasKbuffer && (p.kbufferSize !== KBUFFER_SIZE || p.kbuffer % PAGE !== 0n || overlaps(p.kbuffer, KBUFFER_SIZE, paddr, size)))
    return ReturnCode.INVALID_ARGUMENT;
  const hasShm = p.shmSize !== 0n;
  if (hasShm && (p.shmPaddr % PAGE !== 0n || p.shmSize % PAGE !== 0n || p.shmSize > MAX_SHM)) return ReturnCode.INVALID_ARGUMENT;
  for (const cell of [...p.mailbox, p.retval])
    if (cell % 8n !== 0n || !isPublicHost(st, cell, 8n)) return ReturnCode.INVALID_ARGUMENT;
  if (p.eidPtr % 4n !== 0n || !isPublicHost(st, p.eidPtr, 4n)) return ReturnCode.INVALID_ARGUMENT;
  for (const cell of [...p.mailbox, p.retval, p.eidPtr]) if (overlaps(cell, 8n, paddr, size)) return ReturnCode.INVALID_ARGUMENT;
  const eid = st.enclaves.findIndex((e) => e === null);
  if (eid < 0) return ReturnCode.NO_MEM;
  // OW-5, M17: the region is the host's; the shared windows are public host memory
  if ((!st.bitmap.isPublicRange(paddr, size) && !mutant("M09")) || overlaps(paddr, size, st.ptArea.base, st.ptArea.size))
    return ReturnCode.PAGES_NOT_AVAILABLE;
  if (inLiveWindow(st.enclaves, paddr, size)) return ReturnCode.PAGES_NOT_AVAILABLE; // another enclave's kbuffer or shm
  if (hasKbuffer && !isPublicHost(st, p.kbuffer, KBUFFER_SIZE) && !mutant("M17")) return ReturnCode.PAGES_NOT_AVAILABLE;
  // a shm inside the region: its pages are the segment's, not the host's to give (spec: PAGES_NOT_AVAILABLE)
  if (hasShm && (!isPublicHost(st, p.shmPaddr, p.shmSize) || overlaps(p.shmPaddr, p.shmSize, paddr, size)))
    return ReturnCode.PAGES_NOT_AVAILABLE;
  if (type === EnclaveType.SERVER && st.enclaves.some((e) => e !== null && e.type === EnclaveType.SERVER && e.name === p.name))
    return ReturnCode.SERVER_NAME_TAKEN;
  // --- take the region, then check what the driver built in it (no TOCTOU: the host lost access) ---
  const region = secureRange(st.machine, st.bitmap, st.ptArea, paddr, size);
  if (region === null) return ReturnCode.PAGES_NOT_AVAILABLE;
  const fail = (code: number): number => {
    releaseRange(st.machine, st.bitmap!, region, false); // the content was the host's: give it back untouched
    return code;
  };
  const mem = st.machine.mem;
  const root = paddr + REGION_ROOT_PAGE * PAGE;
  const { walk, error } = checkLayout(mem, root, paddr, size);
  if (error !== null) return fail(ReturnCode.INVALID_ARGUMENT);
  // from here on the monitor writes into the region — into its tables, and into the free pages it takes
  // for new ones: keep what they held to undo a late failure (a copy of the whole region cost 128 KiB a create)
  const saved = new Map<bigint, Uint8Array>(walk.tables.map((t) => [t, mem.read(t, 4096)]));
  const failAfterWrites = (code: number): number => {
    for (const [pa, bytes] of saved) mem.write(pa, bytes);
    return fail(code);
  };
  const used = new Set<bigint>([...walk.tables, ...walk.leaves.map((l) => l.pa)]);
  const freePages: bigint[] = [];
  for (let pg = paddr + size - PAGE; pg >= p.freeMem; pg -= PAGE) if (!used.has(pg)) freePages.push(pg);
  const allocTable = (): bigint | null => {
    const t = freePages.pop();
    if (t === undefined) return null;
    saved.set(t, mem.read(t, 4096));
    mem.fill(t, 4096);
    return t;
  };
  // the monitor's own mappings: kbuffer and host shm (PGL §4.6)
  if (hasKbuffer && !mapPage(mem, root, EnclaveVa.KBUFFER, p.kbuffer, MONITOR_MAP_FLAGS, allocTable))
    return failAfterWrites(ReturnCode.NO_MEM);
  if (hasShm) {
    for (let o = 0n; o < p.shmSize; o += PAGE)
      if (!mapPage(mem, root, EnclaveVa.SHM_BASE + o, p.shmPaddr + o, MONITOR_MAP_FLAGS, allocTable))
        return failAfterWrites(ReturnCode.NO_MEM);
  }
  let hash: Uint8Array;
  try {
    // AT-1: every leaf's permissions; the windows' presence but not their (host-written) content
    const windows = sharedWindows({
      kbuffer: hasKbuffer ? p.kbuffer : 0n,
      shm: hasShm ? { pa: p.shmPaddr, size: p.shmSize } : null,
    });
    hash = measureEnclave(mem, root, p.entry, 0n, { pteByte: 0, windows: mutant("M33") ? [] : windows });
  } catch (e) {
    if (e instanceof MeasurementError) return failAfterWrites(ReturnCode.INVALID_ARGUMENT);
    throw e;
  }
  const record = newEnclaveRecord({
    eid,
    type,
    state: type === EnclaveType.SERVER ? "runnable" : type === EnclaveType.SHADOW ? "ready" : "fresh",
    name: p.name,
    hostSatp: hart.csrRead(0x180),
    region,
    root,
    entry: p.entry,
    freePages,
    kbuffer: hasKbuffer ? p.kbuffer : 0n,
    shm: hasShm ? { pa: p.shmPaddr, size: p.shmSize } : null,
    mailbox: { funcId: p.mailbox[0], arg0: p.mailbox[1], arg1: p.mailbox[2], syscall: p.mailbox[3] },
    retval: p.retval,
    hash,
    parent: -1,
  });
  st.enclaves[eid] = record;
  st.ledger.add(region, eid);
  mem.write32(p.eidPtr, eid);
  return ReturnCode.SUCCESS;
}
