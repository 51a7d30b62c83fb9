/**
 * Who holds each secured page (OW-1…OW-6): every page the monitor took from the host belongs to
 * exactly one holder — an enclave (eid) or the monitor's pool — and remembers the secured range it
 * came from. Pages can move between enclaves (server calls, PGL §3.3; relay pages, §4.7) without
 * ever being public or mapped twice; when a holder ends, exactly the pages it holds are zeroed and
 * given back (CS-1), and a host leaf removed by securing is restored once every page it mapped is
 * public again (PT-6).
 */
import type { Machine } from "../../riscv/machine.ts";
import { mutant } from "../../mutants.ts";
import type { PageBitmap } from "../pageBitmap.ts";
import { PAGE } from "../platform.ts";
import { shootDown, type SecuredRange } from "./secureMemory.ts";

/** The monitor's own pool (MEMORY_EXTEND). */
export const MONITOR_HOLDER = -2;

interface Entry {
  holder: number;
  range: SecuredRange;
  /** Relay (Schrödinger) pages keep their content when they go back: they carry the output (PGL §3.5). */
  keep: boolean;
}

export class PageLedger {
  private readonly pages = new Map<bigint, Entry>();
  /** Bumped by every change of a page's holder (a checker's cache of what it read here). */
  version = 0;

  constructor(
    private readonly machine: Machine,
    private readonly bitmap: () => PageBitmap,
  ) {}

  /** Record a freshly secured range as held by `holder`. */
  add(range: SecuredRange, holder: number, keep = false): void {
    this.version++;
    for (let pa = range.pa; pa < range.pa + range.size; pa += PAGE) this.pages.set(pa, { holder, range, keep });
  }

  holderOf(pa: bigint): number | undefined {
    return this.pages.get(pa - (pa % PAGE))?.holder;
  }

  /** Every page `holder` holds, ascending. */
  heldBy(holder: number): bigint[] {
    const out: bigint[] = [];
    this.pages.forEach((e, pa) => e.holder === holder && out.push(pa)); // forEach: no [key, value] pair per entry
    return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  /** Every secured page by holder, in one pass (unordered within a holder). */
  byHolder(): Map<number, bigint[]> {
    const out = new Map<number, bigint[]>();
    this.pages.forEach((e, pa) => {
      const list = out.get(e.holder);
      if (list) list.push(pa);
      else out.set(e.holder, [pa]);
    });
    return out;
  }

  /** Move pages to another holder (they stay private; the caller remaps them). */
  transfer(pages: bigint[], to: number): void {
    this.version++;
    for (const pa of pages) {
      const e = this.pages.get(pa);
      if (e === undefined) throw new Error(`page 0x${pa.toString(16)} is not secured`); // a monitor bug, not guest input
      e.holder = to;
    }
  }

  /** Zero and return to the host every page `holder` holds; restore host leaves whose pages are all public again. */
  releaseHeld(holder: number): void {
    this.release(this.heldBy(holder));
  }

  /** Give `pages` back to the host (zeroed unless they are relay pages) and restore host leaves. */
  release(mine: bigint[]): void {
    if (mine.length === 0) return;
    this.version++;
    const bitmap = this.bitmap();
    const mem = this.machine.mem;
    const ranges = new Set<SecuredRange>();
    for (const pa of mine) {
      if (!this.pages.get(pa)!.keep && !mutant("M27")) mem.fill(pa, 4096); // CS-1
      bitmap.setRange(pa, PAGE, false);
      ranges.add(this.pages.get(pa)!.range);
      this.pages.delete(pa);
    }
    for (const r of ranges) {
      // a removed host leaf comes back when everything it mapped is public (PT-6: only removed leaves)
      r.removed = r.removed.filter((l) => {
        const target = ((l.value >> 10n) & ((1n << 44n) - 1n)) * PAGE;
        if (!bitmap.isPublicRange(target, l.span)) return true;
        if (mem.read64(l.slot) === (l.value & ~1n)) mem.write64(l.slot, l.value);
        return false;
      });
    }
    shootDown(this.machine);
  }
}
