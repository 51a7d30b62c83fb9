/**
 * A hand-built Sv39 page table for the enclave-SDK test harness (test code, not a monitor): a bump
 * allocator of physical pages and a `map` that creates intermediate tables on demand. Leaf flags
 * follow the driver's enclave layout (PGL §4.6): D|A|U|V plus R/W/X.
 */
import type { PhysicalMemory } from "../../riscv/memory.ts";

export const PAGE = 4096n;
export const PTE = { V: 1n, R: 2n, W: 4n, X: 8n, U: 16n, A: 64n, D: 128n } as const;
/** User leaf with R/W/X as given, accessed and dirty (PGL §4.6: monitor mappings use D|A|R|W|U|V). */
export const leaf = (rwx: bigint): bigint => rwx | PTE.U | PTE.A | PTE.D | PTE.V;

export class Sv39Space {
  readonly root: bigint;
  private next: bigint;
  /** VA page → PA page of every leaf, for the harness's own VA reads and writes. */
  readonly pages = new Map<bigint, bigint>();

  constructor(
    private readonly mem: PhysicalMemory,
    firstFreePa: bigint,
    private readonly endPa: bigint,
  ) {
    this.next = firstFreePa;
    this.root = this.allocPage();
  }

  /** A zeroed physical page. */
  allocPage(): bigint {
    if (this.next + PAGE > this.endPa) throw new RangeError("test harness out of physical pages");
    const pa = this.next;
    this.next += PAGE;
    this.mem.fill(pa, Number(PAGE));
    return pa;
  }

  /** satp value: Sv39 mode with this root. */
  satp(): bigint {
    return (8n << 60n) | (this.root >> 12n);
  }

  /** Map one 4 KiB page at `va` (a fresh zeroed page unless `pa` is given); returns its PA. */
  map(va: bigint, flags: bigint, pa: bigint = this.allocPage()): bigint {
    let table = this.root;
    for (let level = 2; level > 0; level--) {
      const slot = table + ((va >> BigInt(12 + 9 * level)) & 0x1ffn) * 8n;
      let pte = this.mem.read64(slot);
      if ((pte & PTE.V) === 0n) {
        pte = ((this.allocPage() >> 12n) << 10n) | PTE.V;
        this.mem.write64(slot, pte);
      }
      table = (pte >> 10n) << 12n;
    }
    this.mem.write64(table + ((va >> 12n) & 0x1ffn) * 8n, ((pa >> 12n) << 10n) | flags);
    this.pages.set(va & ~(PAGE - 1n), pa);
    return pa;
  }

  /** Physical address of `va`, or throws if the harness never mapped it. */
  pa(va: bigint): bigint {
    const page = this.pages.get(va & ~(PAGE - 1n));
    if (page === undefined) throw new RangeError(`VA 0x${va.toString(16)} is not mapped by the harness`);
    return page + (va & (PAGE - 1n));
  }
}
