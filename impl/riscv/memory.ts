/**
 * Physical memory of the emulated machine: one RAM bank at {@link RAM_BASE}.
 *
 * Two faces:
 * - the guest face (used by the harts' load/store paths) works on byte offsets into RAM and is
 *   reached only after translation and PMP checks;
 * - the firmware face (`read`, `write`, `read64`, …) takes physical addresses as bigint and is
 *   bounds-checked: an address outside RAM throws a {@link RangeError}. Firmware is trusted
 *   TypeScript; guests can never reach these throws (their accesses become access faults).
 */
export const RAM_BASE = 0x8000_0000;
export const PAGE_SIZE = 4096;

/** Per-page flags that make a guest store take the side-effect path. */
export const PAGE_HAS_CODE = 1;
export const PAGE_WATCHED = 2;
export const PAGE_RESERVED = 4;
/**
 * Set on a page known to be all zero: every page until its first write (guest store or firmware
 * write), and again on a whole page the firmware fills with zeros. The first store to such a page
 * takes the side-effect path once, which clears the flag and records the page.
 */
export const PAGE_PRISTINE = 8;
/** A page whose writes are counted ({@link PhysicalMemory.trackedWrites}): a checker's cache of what it read there. */
export const PAGE_TRACKED = 16;

/**
 * RAM buffers of disposed memories, by size, all zero: the checker boots one machine per run, and a
 * fresh 16 MiB buffer each time cost more (allocation and the garbage collections its external memory
 * triggers) than zeroing the pages a run wrote.
 */
const spareBuffers = new Map<number, Uint8Array[]>();

interface Watch {
  lo: number;
  hi: number;
  cb: () => void;
}

export class PhysicalMemory {
  readonly base = BigInt(RAM_BASE);
  readonly size: number;
  readonly bytes: Uint8Array;
  readonly view: DataView;
  /** RAM as little-endian 32-bit words (the host is little-endian), for aligned fast paths. */
  readonly words: Int32Array;
  /** PAGE_* flags per RAM page. */
  readonly pageFlags: Uint8Array;
  private readonly watches: Watch[] = [];
  /** Called for guest or firmware writes into pages holding decoded code (set by the machine). */
  codeWritten: (offset: number, len: number) => void = () => {};
  /** Called for guest stores into pages holding an LR reservation (set by the machine). */
  reservedWritten: (offset: number, len: number, hartId: number) => void = () => {};

  constructor(size: number) {
    if (!Number.isInteger(size) || size <= 0 || size % PAGE_SIZE !== 0 || size > 0x7000_0000) {
      throw new RangeError(`RAM size must be a positive multiple of 4096 bytes below 1.75 GiB, got ${size}`);
    }
    this.size = size;
    this.bytes = spareBuffers.get(size)?.pop() ?? new Uint8Array(size);
    this.view = new DataView(this.bytes.buffer);
    this.words = new Int32Array(this.bytes.buffer);
    this.pageFlags = new Uint8Array(size / PAGE_SIZE).fill(PAGE_PRISTINE);
    this.pageWrites = new Uint32Array(size / PAGE_SIZE);
  }

  /** Indexes of the pages written so far (at their first write, and again after a zero fill). */
  private readonly written: number[] = [];

  /** Whether page `index` (of RAM) is known to be all zero (never written, or zero-filled since). */
  pristine(index: number): boolean {
    return (this.pageFlags[index]! & PAGE_PRISTINE) !== 0;
  }

  /** Writes to each tracked page so far (a page's count moves whenever {@link trackedWrites} counts a write to it). */
  readonly pageWrites: Uint32Array;

  /** Count the writes to page `index` from now on (in {@link trackedWrites} and its {@link pageWrites}). */
  track(index: number): void {
    this.pageFlags[index]! |= PAGE_TRACKED;
  }

  /** Writes (guest stores and firmware writes) that touched a tracked page so far. */
  trackedWrites = 0;

  /** Pages [o, o+len) were written: they are no longer pristine. */
  private wrote(o: number, len: number): void {
    const flags = this.pageFlags;
    for (let p = o >>> 12, last = (o + len - 1) >>> 12; p <= last; p++)
      if (flags[p]! & PAGE_PRISTINE) {
        flags[p]! &= ~PAGE_PRISTINE;
        this.written.push(p);
      }
  }

  /**
   * Give the RAM buffer back for the next memory of this size (zeroed here, where it was written). The memory, and
   * the machine around it, must not be used afterwards.
   */
  dispose(): void {
    const spare = spareBuffers.get(this.size) ?? [];
    if (spare.length < 4 && !spare.includes(this.bytes)) {
      for (const p of this.written) this.bytes.fill(0, p * PAGE_SIZE, (p + 1) * PAGE_SIZE); // the others are still zero
      this.written.length = 0;
      this.pageFlags.fill(PAGE_PRISTINE);
      spare.push(this.bytes);
    }
    spareBuffers.set(this.size, spare);
  }

  /** RAM offset of physical address `pa` for an access of `len` bytes, or -1 if not all in RAM. */
  offsetOf(pa: number, len: number): number {
    const o = pa - RAM_BASE;
    return o >= 0 && o + len <= this.size ? o : -1;
  }

  /** Side effects of a guest store of `len` bytes at RAM offset `o` (only when pageFlags is non-zero). */
  storeSideEffects(o: number, len: number, hartId: number): void {
    const first = this.pageFlags[o >>> 12];
    const last = this.pageFlags[(o + len - 1) >>> 12];
    const f = first | last;
    if (f & PAGE_TRACKED) this.countTracked(o, len);
    if (f & PAGE_PRISTINE) this.wrote(o, len);
    if (f & PAGE_HAS_CODE) this.codeWritten(o, len);
    if (f & PAGE_RESERVED) this.reservedWritten(o, len, hartId);
    if (f & PAGE_WATCHED) {
      for (const w of this.watches) if (o < w.hi && o + len > w.lo) w.cb();
    }
  }

  /**
   * Register `cb` to run after any guest store that overlaps `[pa, pa+len)` (HTIF `tohost`,
   * mailboxes). Firmware writes through this API do not trigger it.
   */
  onWrite(pa: bigint, len: number, cb: () => void): void {
    const o = this.checked(pa, len);
    this.watches.push({ lo: o, hi: o + len, cb });
    for (let p = o >>> 12; p <= (o + len - 1) >>> 12; p++) this.pageFlags[p] |= PAGE_WATCHED;
  }

  private checked(pa: bigint, len: number): number {
    if (!Number.isInteger(len) || len < 0) throw new RangeError(`bad length ${len}`);
    // as doubles: exact for every PA below 2^53, and any PA above that is far outside RAM anyway
    const o = Number(pa) - RAM_BASE;
    if (!(o >= 0 && o + len <= this.size)) {
      throw new RangeError(`physical range 0x${pa.toString(16)}+${len} is outside RAM`);
    }
    return o;
  }

  /** Copy `len` bytes at physical address `pa` out of RAM. */
  read(pa: bigint, len: number): Uint8Array {
    const o = this.checked(pa, len);
    return this.bytes.slice(o, o + len);
  }

  /** The `len` bytes at physical address `pa` as a view into RAM (no copy): valid until the next write. */
  peek(pa: bigint, len: number): Uint8Array {
    const o = this.checked(pa, len);
    return this.bytes.subarray(o, o + len);
  }

  /** Write `data` at physical address `pa` (firmware/loader path; keeps decoded code coherent). */
  write(pa: bigint, data: Uint8Array): void {
    const o = this.checked(pa, data.length);
    this.bytes.set(data, o);
    if (data.length > 0) this.firmwareWrote(o, data.length);
  }

  /** Zero `len` bytes at `pa`. */
  fill(pa: bigint, len: number, value = 0): void {
    const o = this.checked(pa, len);
    this.bytes.fill(value, o, o + len);
    if (len > 0) this.firmwareWrote(o, len);
    // whole pages zero-filled are known zero again (the monitor's scrubs, CS-1)
    if (value === 0) for (let p = (o + 4095) >>> 12, end = (o + len) >>> 12; p < end; p++) this.pageFlags[p]! |= PAGE_PRISTINE;
  }

  read8(pa: bigint): number {
    return this.bytes[this.checked(pa, 1)];
  }
  read16(pa: bigint): number {
    return this.view.getUint16(this.checked(pa, 2), true);
  }
  read32(pa: bigint): number {
    return this.view.getUint32(this.checked(pa, 4), true);
  }
  read64(pa: bigint): bigint {
    return this.view.getBigUint64(this.checked(pa, 8), true);
  }
  write8(pa: bigint, v: number): void {
    const o = this.checked(pa, 1);
    this.bytes[o] = v;
    this.firmwareWrote(o, 1);
  }
  write16(pa: bigint, v: number): void {
    const o = this.checked(pa, 2);
    this.view.setUint16(o, v, true);
    this.firmwareWrote(o, 2);
  }
  write32(pa: bigint, v: number): void {
    const o = this.checked(pa, 4);
    this.view.setUint32(o, v >>> 0, true);
    this.firmwareWrote(o, 4);
  }
  write64(pa: bigint, v: bigint): void {
    const o = this.checked(pa, 8);
    this.view.setBigUint64(o, BigInt.asUintN(64, v), true);
    this.firmwareWrote(o, 8);
  }

  /** A write to [o, o+len): counted once, and on each tracked page it touches. */
  private countTracked(o: number, len: number): void {
    let counted = false;
    for (let p = o >>> 12, last = (o + len - 1) >>> 12; p <= last; p++)
      if (this.pageFlags[p]! & PAGE_TRACKED) {
        this.pageWrites[p]!++;
        counted = true;
      }
    if (counted) this.trackedWrites++;
  }

  /** Number of writes made through the firmware API so far (tests use it to prove a call wrote nothing). */
  firmwareWrites = 0;

  private firmwareWrote(o: number, len: number): void {
    this.firmwareWrites++;
    const f = this.pageFlags[o >>> 12] | this.pageFlags[(o + len - 1) >>> 12];
    if (f & PAGE_TRACKED || len > PAGE_SIZE) this.countTracked(o, len);
    if (f & PAGE_PRISTINE || len > PAGE_SIZE) this.wrote(o, len);
    if (f & PAGE_HAS_CODE || len > PAGE_SIZE) this.codeWritten(o, len);
  }
}
