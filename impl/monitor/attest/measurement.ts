/**
 * The Penglai enclave measurement (PGL §5.1, OS `attest.c:hash_enclave, hash_enclave_mem,
 * update_enclave_hash`): SM3 over the entry point, a walk of the enclave's Sv39 page table, and a
 * nonce. The walk is reproduced exactly, including its quirks, so a hash computed here equals the one
 * the original monitor would compute over the same memory; the only departures are that the walk
 * refuses memory it cannot read (instead of reading wild physical addresses) and that it has a byte
 * budget (see {@link MeasureOptions}).
 */
import type { Hash } from "node:crypto";
import { u64le } from "./bytes.ts";
import { MeasurementError } from "./errors.ts";
import { HASH_SIZE, sm3, sm3Context } from "./sm3.ts";

/**
 * Read access to physical memory, the firmware face of the machine. `impl/riscv/memory.ts`
 * `PhysicalMemory` satisfies it. A reader signals an address outside memory by throwing (PhysicalMemory
 * throws a RangeError); the walk turns any such throw into a {@link MeasurementError}.
 */
export interface PhysicalReader {
  /** `len` bytes at physical address `pa`. */
  read(pa: bigint, len: number): Uint8Array;
  /** The same bytes as a view into memory, valid until the next write (no copy; optional). */
  peek?(pa: bigint, len: number): Uint8Array;
  /** The little-endian 64-bit word at physical address `pa`. */
  read64(pa: bigint): bigint;
}

/** Options of {@link measureEnclave}. */
export interface MeasureOptions {
  /**
   * Most page-content bytes one walk may hash (default {@link DEFAULT_MEASURE_BUDGET}). A page table may
   * alias the same 2 MiB page from every entry (512·512 leaves); the budget turns that into a refusal
   * instead of minutes of hashing. The monitor's layout check (no physical page mapped twice) should
   * normally refuse such tables first.
   */
  maxBytes?: number;
  /**
   * 7 (the TVM flavour, PGL §5.1 exactly — the default): byte 7 of the PTE (bits 56–63) with the VA of
   * the first leaf of each run. 0 (the intended rule, used by the monitor): the permission bits
   * V R W X U G of EVERY leaf (AT-1; A/D excluded, the hardware sets them).
   */
  pteByte?: 0 | 7;
  /**
   * Shared windows (kbuffer, host shm): their leaves' VAs and permissions are measured, their content
   * is not — it is the host's to write at any time (AT-1: no host-variable content; Penglai sPMP PR#71).
   * Default none (PGL §5.1 measures every leaf's content).
   */
  windows?: readonly { pa: bigint; size: bigint }[];
}

/** Default page-content budget of one measurement walk: 256 MiB (about one second of SM3). */
export const DEFAULT_MEASURE_BUDGET = 256 * 1024 * 1024;

// Sv39 (PGL: RV64, Sv39 only) — riscv.md; OS `include/sm/vm.h`
const PAGE_SHIFT = 12n;
const LEVEL_BITS = 9n;
const VA_BITS = 39n;
const ROOT_LEVEL = 3;
const PTES_PER_TABLE = 512;

/** What one walk carries along: the stream it produced so far, the reader and the remaining budget. */
interface Walk {
  /** The measured byte stream, in pieces (page contents as views into memory: the walk writes nothing). */
  readonly chunks: Uint8Array[];
  length: number;
  readonly mem: PhysicalReader;
  readonly pteByte: 0 | 7;
  budget: number;
  /** The shared windows as [lo, hi) doubles (exact: RAM addresses). */
  readonly windowsAt: readonly { lo: number; hi: number }[];
  /** Small pieces (VAs, PTE bytes) gathered into one chunk. */
  readonly pending: Uint8Array;
  readonly pendingView: DataView;
  used: number;
}

/** Bytes of small pieces gathered into one chunk. */
const PENDING_BYTES = 4096;

/** Close the chunk of gathered small pieces. */
function flush(w: Walk): void {
  if (w.used === 0) return;
  w.chunks.push(w.pending.slice(0, w.used));
  w.length += w.used;
  w.used = 0;
}

/** Absorb `v` as 8 bytes little-endian. */
function absorbU64(w: Walk, v: bigint): void {
  if (w.used + 8 > PENDING_BYTES) flush(w);
  w.pendingView.setBigUint64(w.used, BigInt.asUintN(64, v), true);
  w.used += 8;
}

/** Absorb one byte. */
function absorbByte(w: Walk, b: number): void {
  if (w.used + 1 > PENDING_BYTES) flush(w);
  w.pending[w.used++] = b;
}

/** Longest walk stream whose SM3 state is remembered, and how many are. */
const REMEMBERED_BYTES = 1 << 20;
const REMEMBERED_STREAMS = 8;
/**
 * SM3 states after the walk streams measured last. SM3 is a function of the bytes, so an equal stream
 * (the same image created again at other physical pages, an attestation of an unchanged enclave) has
 * the same state: comparing 40 KiB costs a few µs, hashing it ~130 µs.
 */
const remembered: { stream: Buffer; state: Hash }[] = [];

/** Whether `stream` is the concatenation of `chunks` (their total length is the stream's). */
function sameStream(stream: Buffer, chunks: readonly Uint8Array[]): boolean {
  let o = 0;
  for (const c of chunks) {
    if (stream.compare(c, 0, c.length, o, o + c.length) !== 0) return false;
    o += c.length;
  }
  return true;
}

/** The SM3 state after absorbing the walk's stream. */
function walkState(w: Walk): Hash {
  flush(w);
  if (w.length > REMEMBERED_BYTES) {
    const h = sm3Context();
    for (const c of w.chunks) h.update(c);
    return h;
  }
  for (const r of remembered) if (r.stream.length === w.length && sameStream(r.stream, w.chunks)) return r.state.copy();
  const stream = Buffer.concat(w.chunks, w.length);
  const h = sm3Context().update(stream);
  remembered.unshift({ stream, state: h.copy() });
  if (remembered.length > REMEMBERED_STREAMS) remembered.pop();
  return h;
}

/**
 * The Penglai measurement `hash(enclave, nonce)` = SM3( entry_point (8 B LE) ‖ walk(root PT) ‖ nonce
 * (8 B LE) ) — PGL §5.1. At creation the monitor calls it with nonce 0 and stores the result (the
 * enclave's measurement); fid 94 with name 0 calls it with the caller's nonce (PGL §5.3).
 *
 * `rootPa` is the physical address of the root (level-3) page table, `entryPoint` the enclave's entry
 * VA. Throws a {@link MeasurementError} (code INVALID_ARGUMENT) if any page-table or page read falls
 * outside the reader's memory or the walk exceeds its byte budget; nothing is returned in that case.
 */
export function measureEnclave(
  mem: PhysicalReader,
  rootPa: bigint,
  entryPoint: bigint,
  nonce: bigint,
  options: MeasureOptions = {},
): Uint8Array {
  const pending = new Uint8Array(PENDING_BYTES);
  const walk: Walk = {
    chunks: [],
    length: 0,
    mem,
    pteByte: options.pteByte ?? 7,
    budget: options.maxBytes ?? DEFAULT_MEASURE_BUDGET,
    windowsAt: (options.windows ?? []).map((x) => ({ lo: Number(x.pa), hi: Number(x.pa + x.size) })),
    pending,
    pendingView: new DataView(pending.buffer),
    used: 0,
  };
  absorbU64(walk, entryPoint);
  walkTable(walk, rootPa, ROOT_LEVEL, 0n, true);
  return new Uint8Array(walkState(walk).update(u64le(nonce)).digest());
}

/**
 * One table of the walk, `hash_enclave_mem(table, level, va, flag)` (PGL §5.1). `hashVa` is the flag:
 * true until a leaf has been absorbed since the last invalid entry. Returns the flag after the table.
 */
function walkTable(w: Walk, tablePa: bigint, level: number, va: bigint, hashVa: boolean): boolean {
  // PGL §5.1 — "should never happen": a non-leaf at level 1 recurses to level 0, which absorbs
  // nothing, reads nothing and returns flag 1.
  if (level <= 0) return true;
  const table = read(w, tablePa, PTES_PER_TABLE * 8);
  const view = new DataView(table.buffer, table.byteOffset, table.byteLength);
  let flag = hashVa;
  for (let i = 0; i < PTES_PER_TABLE; i++) {
    // the entry as two 32-bit halves: BigInt only for the addresses the walk goes on with
    const low = view.getUint32(i * 8, true);
    if ((low & 1) === 0) {
      flag = true; // an invalid entry (V clear) breaks the run: the next leaf absorbs its VA again
      continue;
    }
    const high = view.getUint32(i * 8 + 4, true);
    // The architectural PPN field (bits 10–53), as the hardware walker reads it (exact: < 2^44). The
    // original shifts the whole PTE, so non-zero bits 54–63 would move the read to a wild address; here they cannot.
    const ppn = (high & 0x3fffff) * 2 ** 22 + (low >>> 10);
    if ((low & 0xa) !== 0) {
      // a leaf (R or X)
      if (flag) {
        absorbU64(w, entryVa(level, va, i));
        if (w.pteByte === 7) absorbByte(w, high >>> 24); // PGL §5.1: byte 7 of the PTE
        flag = false;
      }
      // AT-1 (intended rule): the permissions of EVERY leaf are measured — V R W X U G, not A/D, which
      // the hardware sets. The original absorbed byte 7 (normally 0) of the first leaf of each run only.
      if (w.pteByte === 0) absorbByte(w, low & 0x3f);
      // 4 KiB at level 1, 2 MiB at level 2, nothing for a 1 GiB leaf (PGL §5.1)
      if (level !== 1 && level !== 2) continue;
      const pa = ppn * 4096; // a double: exact below 2^53, and no window lies above
      if (w.windowsAt.some((x) => pa >= x.lo && pa < x.hi)) continue; // a shared window: not its content
      absorbPage(w, BigInt(ppn) << PAGE_SHIFT, level === 1 ? 1 << 12 : 1 << 21);
    } else {
      flag = walkTable(w, BigInt(ppn) << PAGE_SHIFT, level - 1, entryVa(level, va, i), flag);
    }
  }
  return flag;
}

/**
 * The VA of entry `i` of a table at `level` whose first entry maps `va`. At level 3 the original adds the
 * sign-extension base `-1 << 39` even for i < 256 (PGL §5.1: reproduce exactly), so entry 0 of the root
 * is absorbed as 0xFFFF_FF80_0000_0000, not 0.
 */
function entryVa(level: number, va: bigint, i: number): bigint {
  if (level === ROOT_LEVEL) {
    return BigInt.asUintN(64, (-1n << VA_BITS) + (BigInt(i) << (VA_BITS - LEVEL_BITS)));
  }
  return BigInt.asUintN(64, va + (BigInt(i) << (BigInt(level - 1) * LEVEL_BITS + PAGE_SHIFT)));
}

/** Absorb `len` bytes of page content at `pa`, charged to the walk's budget. */
function absorbPage(w: Walk, pa: bigint, len: number): void {
  if (len > w.budget) {
    throw new MeasurementError(`measurement exceeds its budget at page 0x${pa.toString(16)}`, pa);
  }
  w.budget -= len;
  const bytes = read(w, pa, len);
  flush(w);
  w.chunks.push(bytes);
  w.length += len;
}

/** A physical read; a throw of the reader becomes a MeasurementError naming the address. */
function read(w: Walk, pa: bigint, len: number): Uint8Array {
  let bytes: Uint8Array;
  try {
    bytes = w.mem.peek ? w.mem.peek(pa, len) : w.mem.read(pa, len);
  } catch (cause) {
    throw new MeasurementError(`measurement reads 0x${pa.toString(16)}+${len} outside memory`, pa, { cause });
  }
  if (bytes.length !== len) {
    throw new MeasurementError(`measurement read 0x${pa.toString(16)}+${len} returned ${bytes.length} bytes`, pa);
  }
  return bytes;
}

/**
 * `update_enclave_hash` (PGL §5.2, §5.3): SM3(stored ‖ nonce 8 B LE), the hash a report carries.
 * Returns a NEW buffer and never writes `stored` — the original wrote the result back into its input and
 * so overwrote a server's stored measurement on every get_report(name) (PGL §9.6, AT-2, M32).
 */
export function updateHash(stored: Uint8Array, nonce: bigint): Uint8Array {
  if (stored.length !== HASH_SIZE) throw new RangeError(`a stored hash has ${HASH_SIZE} bytes, got ${stored.length}`);
  return sm3(stored, u64le(nonce));
}
