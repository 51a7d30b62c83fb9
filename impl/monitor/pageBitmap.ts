/**
 * The page metadata bitmap (PGL §4.5): one 32-bit word per 4 KiB DRAM page, kept in emulated
 * physical memory at the address the host registered with SM_INIT (protected by PMP 2, so only
 * M-mode sees it). Bit 31 = PRIVATE; the low bits keep Penglai's NORMAL_PAGE encoding.
 */
import type { PhysicalMemory } from "../riscv/memory.ts";
import { mutant } from "../mutants.ts";
import { DRAM_BASE, PAGE } from "./platform.ts";

const PRIVATE = 0x8000_0000;
const NORMAL_PAGE = 0x7fff_ffff;

export class PageBitmap {
  /** Number of DRAM pages described. */
  readonly pages: number;
  /** The bitmap's words in place (little-endian host: bit 31 set ⇔ the word is negative). */
  private readonly words: Int32Array;

  constructor(
    private readonly mem: PhysicalMemory,
    /** Physical address of the bitmap. */
    readonly base: bigint,
    ramSize: number,
  ) {
    this.pages = ramSize / 4096;
    this.words = new Int32Array(mem.bytes.buffer, mem.bytes.byteOffset + Number(base - mem.base), this.pages);
  }

  /** Set every page public and normal (SM_INIT). */
  init(): void {
    this.mem.write(this.base, new Uint8Array(new Int32Array(this.pages).fill(NORMAL_PAGE).buffer)); // one firmware write
  }

  /** Page index of `pa`, or -1 outside DRAM. */
  index(pa: bigint): number {
    const i = (pa - DRAM_BASE) / PAGE;
    return pa < DRAM_BASE || i >= BigInt(this.pages) ? -1 : Number(i);
  }

  isPrivate(i: number): boolean {
    return (this.words[i]! & PRIVATE) !== 0;
  }

  /** Are all pages of [pa, pa+size) inside DRAM and public? (`test_public_range`) */
  isPublicRange(pa: bigint, size: bigint): boolean {
    if (size <= 0n || pa % PAGE !== 0n || size % PAGE !== 0n) return false;
    const first = this.index(pa);
    const last = this.index(pa + size - PAGE);
    if (first < 0 || last < 0) return false;
    if (mutant("M22")) return !this.isPrivate(first); // M22: the first page stands for the range
    const end = mutant("M11") ? last - 1 : last; // M11: the last page left out
    for (let i = first; i <= end; i++) if (this.isPrivate(i)) return false;
    return true;
  }

  /** Mark [pa, pa+size) private or public (the caller has validated the range). */
  setRange(pa: bigint, size: bigint, priv: boolean): void {
    const first = this.index(pa);
    const n = Number(size / PAGE);
    for (let i = first; i < first + n; i++)
      this.mem.write32(this.base + BigInt(4 * i), priv ? PRIVATE | NORMAL_PAGE : NORMAL_PAGE);
  }
}
