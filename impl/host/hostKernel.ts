/**
 * A minimal untrusted host kernel: TypeScript logic whose every memory access and SBI call is a
 * real instruction on an S-mode hart (through {@link SModePort}). It builds its page table in the
 * page-table area, switches satp, loads the Penglai "driver" (SM_INIT, PT_AREA_SEPARATION, PGL
 * §1.5), and from then on changes its page tables only through SET_PTE (PT-2).
 *
 * The host maps its own memory 1:1 (VA = PA) with 4 KiB leaves, the page-table area too (writable
 * in the page table, as Linux's direct map: PMP is what keeps it read-only),
 * and neither the SM region nor the bitmap.
 */
import type { Machine } from "../riscv/machine.ts";
import { HOST_EXTENSION, HostFid } from "../../model/abi.ts";
import { SModePort } from "./sModePort.ts";
import { stubPage, BULK_REGS, BULK_BYTES, PARK_OFFSET } from "./hostStubs.ts";
import { hostLayout, type HostLayout } from "./layout.ts";

const PAGE = 4096n;
import { PTE_A, PTE_D, PTE_R, PTE_V, PTE_W, PTE_X } from "../abi/sv39.ts";
const SATP_SV39 = 8n << 60n;

/** What Linux's SBI wrapper returns for (a0, a1) (PGL §1.1): a1 if a0 = 0, else a0 as signed. */
export function hostResultOf(a0: bigint, a1: bigint): bigint {
  return a0 === 0n ? a1 : BigInt.asIntN(64, a0);
}

export class HostKernel {
  readonly layout: HostLayout;
  readonly ports: SModePort[];
  /** Root table (PGD page) of the host address space. */
  root = 0n;
  /** Next unused page of each sub-area of the page-table area, and of free memory. */
  private nextPgd = 0n;
  private nextPmd = 0n;
  private nextPte = 0n;
  private nextFree = 0n;

  constructor(readonly machine: Machine) {
    this.layout = hostLayout(machine.mem.size);
    this.ports = machine.harts.map(
      (_, i) => new SModePort(machine, i, { stubs: this.layout.stubs, doorbell: this.layout.doorbells + BigInt(16 * i) }),
    );
  }

  /** Where the monitor starts the harts in S-mode (they wait there until the kernel uses them). */
  get entry(): bigint {
    return this.layout.stubs + BigInt(PARK_OFFSET);
  }

  /** The kernel image the boot loader places before the monitor starts the harts. */
  image(): { pa: bigint; bytes: Uint8Array } {
    return { pa: this.layout.stubs, bytes: stubPage() };
  }

  /** Boot on hart 0 (the others park in their stub page): page table, satp, driver init. */
  boot(): void {
    const L = this.layout;
    const pt = L.ptArea;
    this.nextPgd = pt.base;
    this.nextPmd = pt.base + (1n << BigInt(pt.pgdOrder)) * PAGE;
    this.nextPte = this.nextPmd + (1n << BigInt(pt.pmdOrder)) * PAGE;
    this.nextFree = L.freeBase;
    const p0 = this.ports[0];
    // 1. page table, written directly (bare mode, before the monitor guards it)
    this.root = this.allocTable("pgd");
    this.mapRange(L.stubs, 0x2000n, PTE_R | PTE_X); // kernel text: the stub page
    this.mapRange(L.doorbells, 0x2000n, PTE_R | PTE_W); // doorbells, installed flag
    this.mapRange(pt.base, pt.size, PTE_R | PTE_W); // page-table area: RW in the direct map, as Linux; PMP 1 makes it read-only
    this.mapRange(L.freeBase, L.ramBase + L.ramSize - L.freeBase, PTE_R | PTE_W);
    // 2. switch to it
    p0.exec("writeSatp", { 10: SATP_SV39 | (this.root / PAGE) });
    p0.exec("sfence");
    // 3. the driver's init (PGL §1.5)
    this.check(this.sbi(HostFid.SM_INIT, [pt.base, pt.size, L.bitmap.base, L.bitmap.size, L.installedFlag]), "SM_INIT");
    this.check(this.sbi(HostFid.PT_AREA_SEPARATION, [BigInt(pt.pgdOrder), BigInt(pt.pmdOrder)]), "PT_AREA_SEPARATION");
    // the other harts use the same address space
    for (const p of this.ports.slice(1)) p.exec("writeSatp", { 10: SATP_SV39 | (this.root / PAGE) });
  }

  /** Host SBI call (extension 0x100100) on hart `hart`; returns what the Linux wrapper returns. */
  sbi(fid: number, args: bigint[], hart = 0): bigint {
    const regs: Record<number, bigint> = { 17: BigInt(HOST_EXTENSION), 16: BigInt(fid) };
    args.forEach((v, i) => (regs[10 + i] = v));
    const h = this.ports[hart];
    h.start("ecall", regs);
    const r = h.wait();
    return hostResultOf(r.x(10), r.x(11));
  }

  private check(r: bigint, what: string): void {
    if (r !== 0n) throw new Error(`${what} failed: ${r}`);
  }

  // ---- physical memory allocation (the host's own bookkeeping) --------------------------------

  private freeBlocks: { pa: bigint; size: bigint }[] = [];

  /** Allocate `size` bytes (a power of two ≥ 4 KiB) aligned to `size`: Linux's __get_free_pages. */
  allocPages(size: bigint): bigint {
    if (size < PAGE || (size & (size - 1n)) !== 0n)
      throw new RangeError(`allocation size must be a power of two ≥ 4 KiB: ${size}`);
    const i = this.freeBlocks.findIndex((b) => b.size === size);
    if (i >= 0) return this.freeBlocks.splice(i, 1)[0].pa;
    const pa = (this.nextFree + size - 1n) & ~(size - 1n);
    if (pa + size > this.layout.ramBase + this.layout.ramSize) throw new Error("host out of memory");
    this.nextFree = pa + size;
    return pa;
  }

  /** Return a block from {@link allocPages}. */
  freePages(pa: bigint, size: bigint): void {
    this.freeBlocks.push({ pa, size });
  }

  /** Zero [pa, pa+size) with S-mode stores (cbo.zero blocks for whole 512-byte runs at 512-byte alignment). */
  zero(pa: bigint, size: bigint, hart = 0): void {
    if (size > 0n && size % 512n === 0n && pa % 512n === 0n) this.ports[hart].exec("zero", { 10: pa, 12: size / 8n });
    else this.ports[hart].exec((size / 8n) % 8n === 0n ? "fill8" : "fill", { 10: pa, 11: 0n, 12: size / 8n, 13: 0n });
  }

  /** mtime as S-mode reads it. */
  time(hart = 0): bigint {
    return this.ports[hart].exec("readTime");
  }

  /** Arm this hart's timer through SBI (TIME extension, set_timer). */
  setTimer(when: bigint, hart = 0): void {
    this.ports[hart].exec("ecall", { 17: 0x54494d45n, 16: 0n, 10: when });
  }

  // ---- memory through the S-mode hart --------------------------------------------------------

  read64(va: bigint, hart = 0): bigint {
    return this.ports[hart].exec("ld", { 10: va });
  }
  /** Whether an S-mode load from `va` faults (an isolation probe: the fault is the expected answer, not an error). */
  loadFaults(va: bigint, hart = 0): boolean {
    const port = this.ports[hart];
    port.start("ld", { 10: va });
    return port.settle() === "trap";
  }
  write64(va: bigint, v: bigint, hart = 0): void {
    this.ports[hart].exec("sd", { 10: va, 11: v });
  }
  /** Write bytes (length a multiple of 8, 8-aligned) with bulk stores. */
  writeBytes(va: bigint, bytes: Uint8Array, hart = 0): void {
    if (bytes.length % 8 !== 0 || va % 8n !== 0n) throw new RangeError("writeBytes needs 8-byte alignment");
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let o = 0; o < bytes.length; o += BULK_BYTES) {
      // a short last chunk of n doublewords enters the routine at its (29 − n)-th store, a0 moved back to match
      const skip = BULK_REGS.length - Math.min(BULK_BYTES, bytes.length - o) / 8;
      this.ports[hart].exec(
        "bulkStore",
        (h) => {
          h.setX(10, va + BigInt(o - 8 * skip));
          for (let i = skip; i < BULK_REGS.length; i++) {
            const at = o + 8 * (i - skip);
            h.setXHalves(BULK_REGS[i]!, view.getInt32(at, true), view.getInt32(at + 4, true));
          }
        },
        skip,
      );
    }
  }
  /** Read `len` bytes (a multiple of 8, 8-aligned). */
  readBytes(va: bigint, len: number, hart = 0): Uint8Array {
    if (len % 8 !== 0 || va % 8n !== 0n) throw new RangeError("readBytes needs 8-byte alignment");
    const out = new Uint8Array(len);
    const view = new DataView(out.buffer);
    for (let o = 0; o < len; o += BULK_BYTES) {
      // as writeBytes: a short last chunk enters bulkLoad at the matching load
      const skip = BULK_REGS.length - Math.min(BULK_BYTES, len - o) / 8;
      const h = this.ports[hart];
      h.exec("bulkLoad", { 10: va + BigInt(o - 8 * skip) }, skip);
      const regs = h.hart.regs;
      for (let i = skip; i < BULK_REGS.length; i++) {
        const at = o + 8 * (i - skip);
        view.setInt32(at, regs[2 * BULK_REGS[i]!]!, true);
        view.setInt32(at + 4, regs[2 * BULK_REGS[i]! + 1]!, true);
      }
    }
    return out;
  }

  // ---- page tables (before separation: direct stores; after: SET_PTE) -------------------------

  /** Allocate a zeroed page-table page from a sub-area. */
  private allocTable(level: "pgd" | "pmd" | "pte"): bigint {
    const pa = level === "pgd" ? this.nextPgd : level === "pmd" ? this.nextPmd : this.nextPte;
    if (level === "pgd") this.nextPgd += PAGE;
    else if (level === "pmd") this.nextPmd += PAGE;
    else this.nextPte += PAGE;
    this.zero(pa, PAGE);
    return pa;
  }

  /** Identity-map [pa, pa+size) with 4 KiB leaves (boot time, direct stores). */
  private mapRange(pa: bigint, size: bigint, perm: bigint): void {
    for (let va = pa; va < pa + size;) {
      const pte = this.leafTable(va);
      const index = (va >> 12n) & 511n;
      const count = BigInt(Math.min(Number(512n - index), Number((pa + size - va) / PAGE)));
      const first = ((va / PAGE) << 10n) | perm | PTE_V | PTE_A | PTE_D;
      this.ports[0].exec(count % 8n === 0n ? "fill8" : "fill", { 10: pte + index * 8n, 11: first, 12: count, 13: 1n << 10n });
      va += count * PAGE;
    }
  }

  /** The PTE-level table covering `va`, created on the way if missing (boot time). */
  private leafTable(va: bigint): bigint {
    let table = this.root;
    for (const [shift, next] of [
      [30n, "pmd"],
      [21n, "pte"],
    ] as const) {
      const slot = table + ((va >> shift) & 511n) * 8n;
      const e = this.read64(slot);
      if (e & PTE_V) table = ((e >> 10n) & ((1n << 44n) - 1n)) * PAGE;
      else {
        const t = this.allocTable(next);
        this.write64(slot, ((t / PAGE) << 10n) | PTE_V);
        table = t;
      }
    }
    return table;
  }
}
