/**
 * The host SDK with Penglai's names and meanings (seed 000, penglai-sdk-api.md §2): `elf_args`,
 * `enclave_args`, `PLenclave_init/create/run/attest/stop/resume/destroy/destruct`, and host shared
 * memory (`PLenclave_shmget/shmat/shmdt/shmctl`, `PLenclave_set_shm`) and Schrödinger pages
 * (`PLenclave_schrodinger_*`, `PLenclave_set_mem_arg`); {@link hostShmTable}, {@link hostRelayTable}
 * and {@link memArgTable} give its host-side tables to α (impl/abstraction.ts). Return values follow the
 * C library: 0 on success, negative on error; `PLenclave_run` leaves the enclave's return value in
 * `user_param.retval`. Everything goes through the driver, whose every access is an S-mode instruction.
 */
import { readFileSync } from "node:fs";
import { parseElf, ElfError } from "../../riscv/elf.ts";
import { DEFAULT_STACK_SIZE, EnclaveType } from "../../abi/enclaveAbi.ts";
import type { PenglaiDriver } from "../penglaiDriver.ts";
import { ReturnCode } from "../../../model/codes.ts";
import type { HostRelayRegion, HostShmSegment } from "../../abstraction.ts";
import { HostFault } from "../sModePort.ts";

const RETURN_USER_MODE = ReturnCode.RETURN_USER_MODE;

/** `typedef enum {NORMAL_ENCLAVE = 0, SERVER_ENCLAVE = 1, SHADOW_ENCLAVE = 2} enclave_type_t`. */
export const NORMAL_ENCLAVE = 0;
export const SERVER_ENCLAVE = 1;
export const SHADOW_ENCLAVE = 2;

/** `struct elf_args {fd; size; ptr}`. */
export interface ElfArgs {
  size: number;
  ptr: Uint8Array | null;
}

/** `struct enclave_args`. */
export interface EnclaveArgs {
  name: string;
  type: number;
  stack_size: bigint;
  shmid: number;
  shm_offset: bigint;
  shm_size: bigint;
}

/** `struct PLenclave` (its `user_param` and `attest_param` parts that a host program reads). */
export interface PLenclave {
  driver: PenglaiDriver;
  eid: number;
  user_param: {
    eid: number;
    name: string;
    type: number;
    shmid: number;
    shm_offset: bigint;
    shm_size: bigint;
    retval: bigint;
    /** Schrödinger region handed over at the next run (PLenclave_set_mem_arg). */
    schrodinger_id: number;
    schrodinger_offset: bigint;
    schrodinger_size: bigint;
    /** 1 after PLenclave_run returned 1: the next run re-runs with the relay pages (set by PLenclave_set_rerun_arg). */
    rerun_reason: number;
  };
  attest_param: { nonce: bigint; report: Uint8Array | null };
}

/** Read an enclave ELF (`elf_args_init`); `ptr` stays null if the file cannot be read. */
export function elf_args_init(args: ElfArgs, filename: string): void {
  try {
    const bytes = new Uint8Array(readFileSync(filename));
    args.ptr = bytes;
    args.size = bytes.length;
  } catch {
    args.ptr = null;
    args.size = 0;
  }
}

/** `elf_valid`: a readable RISC-V ELF64 executable. */
export function elf_valid(args: ElfArgs): boolean {
  if (args.ptr === null) return false;
  try {
    parseElf(args.ptr);
    return true;
  } catch (e) {
    if (e instanceof ElfError) return false;
    throw e;
  }
}

export function elf_args_destroy(args: ElfArgs): void {
  args.ptr = null;
  args.size = 0;
}

/** `enclave_args_init`: NORMAL, 64 KiB stack, no shm. */
export function enclave_args_init(args: EnclaveArgs): void {
  Object.assign(args, {
    name: "",
    type: NORMAL_ENCLAVE,
    stack_size: DEFAULT_STACK_SIZE,
    shmid: -1,
    shm_offset: 0n,
    shm_size: 0n,
  });
}

/** A fresh PLenclave bound to the host's driver (`PLenclave_init`). */
export function PLenclave_init(driver: PenglaiDriver): PLenclave {
  return {
    driver,
    eid: -1,
    user_param: {
      eid: -1,
      name: "",
      type: NORMAL_ENCLAVE,
      shmid: -1,
      shm_offset: 0n,
      shm_size: 0n,
      retval: 0n,
      schrodinger_id: -1,
      schrodinger_offset: 0n,
      schrodinger_size: 0n,
      rerun_reason: 0,
    },
    attest_param: { nonce: 0n, report: null },
  };
}

/** Host shm segments of this process: id → block (id = SHM_ID_BASE + slot). */
const segments = new WeakMap<PenglaiDriver, Map<number, HostBlock>>();
const segs = (d: PenglaiDriver) => segments.get(d) ?? segments.set(d, new Map()).get(d)!;

/** A block of host pages the SDK handed out (shm segment or Schrödinger region), and whether this process maps it. */
interface HostBlock {
  pa: bigint;
  size: bigint;
  mapped: boolean;
}

/** Ids the SDK returns: base + slot; a slot is the lowest one free (the model's `findIndex(x => !x.live)`). */
export const SHM_ID_BASE = 0x10000;
export const SCHRODINGER_ID_BASE = 0x20000;

/** The lowest free id of a table (ids freed by shmctl / schrodinger_ctl are reused; `base + size` collided once one was freed). */
function freeId(m: Map<number, HostBlock>, base: number): number {
  let id = base;
  while (m.has(id)) id++;
  return id;
}

/** The table of blocks by slot, as α takes it (null = free slot; length = highest slot in use + 1). */
function table<T>(m: Map<number, HostBlock>, base: number, f: (b: HostBlock) => T): (T | null)[] {
  const out: (T | null)[] = [];
  for (const [id, b] of m) {
    while (out.length <= id - base) out.push(null);
    out[id - base] = f(b);
  }
  return out;
}

/**
 * The host's pages right now (an S-mode load of each succeeds): a Schrödinger region an enclave holds
 * is private and unmapped from the host (PGL §4.7), so the host may neither map nor free it meanwhile.
 */
function hostHolds(driver: PenglaiDriver, b: HostBlock): boolean {
  try {
    for (const pa of pagesOf(b)) driver.k.read64(pa);
    return true;
  } catch (e) {
    if (!(e instanceof HostFault)) throw e;
    return false;
  }
}

const pagesOf = (b: HostBlock): bigint[] => Array.from({ length: Number(b.size / 4096n) }, (_, i) => b.pa + BigInt(i) * 4096n);

/** This process's shm segments in α's terms (`hostShms`): model shm id = SDK id − SHM_ID_BASE; `creator` = this host. */
export function hostShmTable(driver: PenglaiDriver, creator = 0): (HostShmSegment | null)[] {
  return table(segs(driver), SHM_ID_BASE, (b) => ({ creator, pas: pagesOf(b), hostAttached: b.mapped }));
}

/** `PLenclave_shmget(size)`: a host shared-memory segment (zeroed, power-of-two pages); returns its id. */
export function PLenclave_shmget(driver: PenglaiDriver, size: bigint): number {
  if (size <= 0n || size > 64n << 20n) return -1;
  let bytes = 4096n;
  while (bytes < size) bytes <<= 1n;
  const pa = driver.k.allocPages(bytes);
  driver.k.zero(pa, bytes);
  const m = segs(driver);
  const id = freeId(m, SHM_ID_BASE);
  m.set(id, { pa, size: bytes, mapped: false });
  return id;
}

/** `PLenclave_shmat(shmid, addr)`: the address where this host process sees the segment. */
export function PLenclave_shmat(driver: PenglaiDriver, shmid: number): bigint | null {
  const s = segs(driver).get(shmid);
  if (!s) return null;
  s.mapped = true;
  return s.pa; // the host maps its memory 1:1
}

/** `PLenclave_shmdt(shmid, addr)`. */
export function PLenclave_shmdt(driver: PenglaiDriver, shmid: number): number {
  const s = segs(driver).get(shmid);
  if (!s) return -1;
  s.mapped = false;
  return 0;
}

/** `PLenclave_shmctl(shmid)`: free the segment. */
export function PLenclave_shmctl(driver: PenglaiDriver, shmid: number): number {
  const s = segs(driver).get(shmid);
  if (!s) return -1;
  driver.k.freePages(s.pa, s.size);
  segs(driver).delete(shmid);
  return 0;
}

/** `PLenclave_set_shm(enclave, shmid, offset, size)`: the segment the next create maps at 0x39_0000_0000. */
export function PLenclave_set_shm(enclave: PLenclave, shmid: number, offset: bigint, size: bigint): number {
  const s = segs(enclave.driver).get(shmid);
  if (!s || offset < 0n || offset % 4096n !== 0n || size % 4096n !== 0n || offset + size > s.size) return -1;
  Object.assign(enclave.user_param, { shmid, shm_offset: offset, shm_size: size });
  return 0;
}

/** `PLenclave_create(enclave, elf, args)`. */
export function PLenclave_create(enclave: PLenclave, elf: ElfArgs, args: EnclaveArgs): number {
  if (!elf_valid(elf)) return -1;
  if (args.type === SHADOW_ENCLAVE) return -1; // shadow enclaves: issue 6
  const u = enclave.user_param;
  if (args.shmid >= 0) PLenclave_set_shm(enclave, args.shmid, args.shm_offset, args.shm_size);
  const s = u.shmid >= 0 ? segs(enclave.driver).get(u.shmid) : undefined;
  const eid = enclave.driver.create(elf.ptr!, {
    name: args.name,
    type: args.type === SERVER_ENCLAVE ? EnclaveType.SERVER : EnclaveType.NORMAL,
    stackSize: args.stack_size,
    shm: s && u.shm_size > 0n ? { pa: s.pa + u.shm_offset, size: u.shm_size } : undefined,
  });
  if (eid < 0) return eid;
  enclave.eid = u.eid = eid;
  u.name = args.name;
  u.type = args.type;
  return 0;
}

/**
 * `PLenclave_run`: 0 when the enclave exited (retval in user_param.retval); 1 when it handed its
 * Schrödinger/relay pages back (OCALL_RETURN_RELAY_PAGE): the host may edit them, call
 * `PLenclave_set_rerun_arg(enclave, 1)` and run again; negative on error (PGL §1.5, §4.7).
 */
export function PLenclave_run(enclave: PLenclave): number {
  const u = enclave.user_param;
  let r;
  if (u.rerun_reason === 1) {
    u.rerun_reason = 0;
    r = enclave.driver.rerun(enclave.eid);
  } else {
    const seg = u.schrodinger_id >= 0 ? schrodingers(enclave.driver).get(u.schrodinger_id) : undefined;
    r = enclave.driver.run(enclave.eid, 0, seg ? { pa: seg.pa + u.schrodinger_offset, size: u.schrodinger_size } : undefined);
  }
  u.retval = r.retval;
  if (r.code === BigInt(RETURN_USER_MODE)) return 1;
  return r.code === 0n ? 0 : Number(r.code);
}

/** `PLenclave_set_rerun_arg(enclave, reason)`: 1 = the relay pages go back to the enclave at the next run. */
export function PLenclave_set_rerun_arg(enclave: PLenclave, reason: number): void {
  enclave.user_param.rerun_reason = reason;
}

const schrodingerPools = new WeakMap<PenglaiDriver, Map<number, HostBlock>>();
const schrodingers = (d: PenglaiDriver) => schrodingerPools.get(d) ?? schrodingerPools.set(d, new Map()).get(d)!;

/**
 * This process's Schrödinger regions in α's terms (`hostRelays`): model relay id = SDK id −
 * SCHRODINGER_ID_BASE; `creator` = this host. Who holds each region now is the monitor's to say.
 */
export function hostRelayTable(driver: PenglaiDriver, creator = 0): (HostRelayRegion | null)[] {
  return table(schrodingers(driver), SCHRODINGER_ID_BASE, (b) => ({ creator, pas: pagesOf(b), hostMapped: b.mapped }));
}

/** The relay bindings of `PLenclave_set_mem_arg` in α's terms (`memArgs`): eid → model relay id. */
export function memArgTable(enclaves: readonly PLenclave[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const e of enclaves)
    if (e.eid >= 0 && e.user_param.schrodinger_id >= 0) out.set(e.eid, e.user_param.schrodinger_id - SCHRODINGER_ID_BASE);
  return out;
}

/** `PLenclave_schrodinger_get(size)`: Schrödinger pages from the host's pool (zeroed); returns their id. */
export function PLenclave_schrodinger_get(driver: PenglaiDriver, size: bigint): number {
  if (size <= 0n || size > 16n << 20n) return -1;
  let bytes = 4096n;
  while (bytes < size) bytes <<= 1n;
  const pa = driver.k.allocPages(bytes);
  driver.k.zero(pa, bytes);
  const m = schrodingers(driver);
  const id = freeId(m, SCHRODINGER_ID_BASE);
  m.set(id, { pa, size: bytes, mapped: false });
  return id;
}

/** `PLenclave_schrodinger_at(id, addr)`: where this host process sees the pages (1:1 map). */
export function PLenclave_schrodinger_at(driver: PenglaiDriver, id: number): bigint | null {
  const s = schrodingers(driver).get(id);
  if (!s || !hostHolds(driver, s)) return null; // spec host.schrodingerAt ✗ RELAY_UNAVAILABLE while an enclave holds it
  s.mapped = true;
  return s.pa;
}

/** `PLenclave_schrodinger_dt(id, addr)`. */
export function PLenclave_schrodinger_dt(driver: PenglaiDriver, id: number): number {
  const s = schrodingers(driver).get(id);
  if (!s || !hostHolds(driver, s)) return -1;
  s.mapped = false;
  return 0;
}

/** `PLenclave_schrodinger_ctl(id)`: return the pages to the pool. */
export function PLenclave_schrodinger_ctl(driver: PenglaiDriver, id: number): number {
  const s = schrodingers(driver).get(id);
  // never freed under an enclave (OW-6; spec host.schrodingerCtl ✗ RELAY_UNAVAILABLE): its pages would
  // go back to the allocator while still private
  if (!s || !hostHolds(driver, s)) return -1;
  driver.k.freePages(s.pa, s.size);
  schrodingers(driver).delete(id);
  return 0;
}

/** `PLenclave_set_mem_arg(enclave, id, offset, size)`: hand these Schrödinger pages over at the next run. */
export function PLenclave_set_mem_arg(enclave: PLenclave, id: number, offset: bigint, size: bigint): number {
  const s = schrodingers(enclave.driver).get(id);
  if (
    !s ||
    !hostHolds(enclave.driver, s) ||
    offset < 0n ||
    offset % 4096n !== 0n ||
    size <= 0n ||
    size % 4096n !== 0n ||
    offset + size > s.size
  )
    return -1;
  Object.assign(enclave.user_param, { schrodinger_id: id, schrodinger_offset: offset, schrodinger_size: size });
  return 0;
}

/** `PLenclave_attest(enclave, nonce)`: the report lands in attest_param.report. */
export function PLenclave_attest(enclave: PLenclave, nonce: bigint): number {
  const r = enclave.driver.attest(enclave.eid, nonce);
  if (typeof r === "number") return r;
  enclave.attest_param = { nonce, report: r };
  return 0;
}

export function PLenclave_stop(enclave: PLenclave): number {
  return enclave.driver.stop(enclave.eid);
}

/** `PLenclave_resume`: wake a stopped enclave (RESUME with the STOP reason). */
export function PLenclave_resume(enclave: PLenclave): number {
  return enclave.driver.wake(enclave.eid);
}

export function PLenclave_destroy(enclave: PLenclave): number {
  return enclave.driver.destroy(enclave.eid);
}

/** `PLenclave_destruct`: forget the PLenclave (its monitor enclave is gone after exit or destroy). */
export function PLenclave_destruct(enclave: PLenclave): void {
  enclave.eid = enclave.user_param.eid = -1;
}
