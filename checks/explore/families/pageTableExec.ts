/**
 * The host's SET_PTE calls on the machine (PGL §4.3), and what the checker remembers of them: a
 * shadow of every entry the host wrote into the model's page-table pages. After each step the pages
 * must hold exactly that — except that securing a range clears V of a valid leaf that maps it, and
 * releasing restores exactly those leaves (PT-6; M15 re-validated PROT_NONE entries too) — and no
 * valid leaf there may map a private page (PT-4, the area-wide scan of secureMemory.ts).
 */
import { HostFid } from "../../../model/abi.ts";
import type { EventOf } from "../../../model/events.ts";
import { ReturnCode } from "../../../model/codes.ts";
import { SetPteFlag } from "../../../impl/monitor/gpt/setPte.ts";
import type { CheckedPlatform } from "../platform.ts";
import { bitmapRamPages } from "../machineChecks.ts";

const PAGE = 4096n;
/** An all-zero table page as 32-bit words: what a page the host never wrote must hold. */
const ZERO_PAGE = new Int32Array(1024);
/** A 4 KiB leaf: V R W A D (0xc7); the PROT_NONE form drops V and keeps the PFN (0xc6). */
const LEAF = 0xc7n;
const V = 1n;

type SetPte = EventOf<"adversary.setPte">;

export class PageTableFamily {
  /** Entries the host wrote into model page-table pages: slot PA → value (absent: zero, as booted). */
  private readonly wrote = new Map<bigint, bigint>();
  /** The same per page, as the 32-bit words memory should hold (compared word by word each step). */
  private readonly expected = new Map<bigint, Int32Array>();
  /** Two pages of public host memory for batch records (512 records of 16 bytes). */
  private records: bigint | undefined;

  constructor(
    private readonly cp: CheckedPlatform,
    /** Host SBI call on hart h; the answer. */
    private readonly call: (h: number, fid: number, args: bigint[]) => bigint,
  ) {}

  /** The value a model entry stands for. */
  private value(e: SetPte["entries"][number]): bigint {
    const pa = this.cp.pa(e.target) ?? 0n;
    return ((pa / PAGE) << 10n) | (e.valid ? LEAF : LEAF & ~V);
  }

  /** Execute the SET_PTE; on success the shadow learns the writes. */
  setPte(ev: SetPte): bigint {
    const dest = this.cp.pa(ev.dest);
    if (dest === undefined) return BigInt(ReturnCode.PTE_DEST_NOT_PTA);
    const writes =
      ev.mode === "memset" || ev.mode === "batchZero"
        ? Array.from({ length: 512 }, () => 0n)
        : ev.entries.map((e) => this.value(e));
    const slots = writes.map((value, k) => ({ pa: dest + 8n * BigInt(k), value }));
    const r = this.issue(ev, dest, slots);
    if (r === BigInt(ReturnCode.SUCCESS)) this.shadowVersion++;
    if (r === BigInt(ReturnCode.SUCCESS))
      for (const w of slots) {
        this.wrote.set(w.pa, w.value);
        const page = w.pa & ~(PAGE - 1n);
        let words = this.expected.get(page);
        if (!words) this.expected.set(page, (words = new Int32Array(1024)));
        const k = Number(w.pa - page) >>> 2;
        words[k] = Number(BigInt.asIntN(32, w.value));
        words[k + 1] = Number(BigInt.asIntN(32, w.value >> 32n));
      }
    return r;
  }

  private issue(ev: SetPte, dest: bigint, slots: { pa: bigint; value: bigint }[]): bigint {
    const h = ev.hart;
    switch (ev.mode) {
      case "one":
        return this.call(h, HostFid.SET_PTE, [BigInt(SetPteFlag.ONE), dest, slots[0]?.value ?? 0n, 0n]);
      case "memset": // a fill value other than zero stands for the entries a memset cannot carry (refused)
        return this.call(h, HostFid.SET_PTE, [
          BigInt(SetPteFlag.MEMSET),
          dest,
          ev.entries.length ? this.value(ev.entries[0]!) : 0n,
          PAGE,
        ]);
      case "batchSet":
      case "batchZero": {
        const buf = this.recordBuffer();
        // the records {ptep, value}, written by the host's bulk stores
        const records = new DataView(new ArrayBuffer(16 * slots.length));
        slots.forEach((w, i) => {
          records.setBigUint64(16 * i, w.pa, true);
          records.setBigUint64(16 * i + 8, w.value, true);
        });
        this.cp.p.kernel.writeBytes(buf, new Uint8Array(records.buffer), h);
        const flag = ev.mode === "batchSet" ? SetPteFlag.BATCH_SET : SetPteFlag.BATCH_ZERO;
        return this.call(h, HostFid.SET_PTE, [BigInt(flag), 0n, buf, BigInt(slots.length)]);
      }
      default:
        return BigInt(ReturnCode.INVALID_ARGUMENT); // memcpy: not generated
    }
  }

  private recordBuffer(): bigint {
    this.records ??= this.cp.p.kernel.allocPages(2n * PAGE);
    return this.records;
  }

  /** The model's pages inside the page-table area (the area never moves). */
  private areaPages: bigint[] | undefined;
  /** Bumped by every change of the shadow (wrote, expected). */
  private shadowVersion = 0;
  /** The memory's tracked-write count and the shadow's version at the last clean check (−1: none). */
  private cleanAt = -1;
  private cleanShadow = -1;

  /**
   * PT-6 / PT-4 over the model's page-table pages. Its inputs are those pages, the bitmap (both tracked,
   * memory.ts PAGE_TRACKED) and the shadow: while none changed since a clean check, the answer is the same.
   */
  violations(): string[] {
    const st = this.cp.p.monitor.state;
    const bitmap = st.bitmap;
    const area = st.ptArea;
    if (!bitmap || !area) return [];
    const mem = this.cp.p.machine.mem;
    if (this.cleanAt === mem.trackedWrites && this.cleanShadow === this.shadowVersion) return [];
    const out: string[] = [];
    if (this.areaPages === undefined) {
      this.areaPages = this.cp.pas.filter((page) => page >= area.base && page < area.end);
      for (const page of this.areaPages) mem.track(Number(page - mem.base) / 4096);
      for (const p of bitmapRamPages(mem, bitmap)) mem.track(p);
    }
    for (const page of this.areaPages) {
      const w0 = Number(page - mem.base) >>> 2;
      const want = this.expected.get(page) ?? ZERO_PAGE;
      for (let k = 0; k < 1024; k += 2) {
        if (mem.words[w0 + k] === want[k] && mem.words[w0 + k + 1] === want[k + 1] && (want[k]! & 1) === 0) continue; // as written, not valid
        const slot = page + BigInt(4 * k);
        const actual = mem.read64(slot);
        const wrote = this.wrote.get(slot) ?? 0n;
        const target = (actual >> 10n) * PAGE;
        const index = bitmap.index(target);
        const priv = (actual & 0xen) !== 0n && index >= 0 && bitmap.isPrivate(index);
        if (actual === wrote) {
          if ((actual & V) !== 0n && priv)
            out.push(`PT-4: host leaf at 0x${slot.toString(16)} maps private page 0x${target.toString(16)}`);
          continue;
        }
        if ((wrote & V) !== 0n && actual === (wrote & ~V) && priv) continue; // removed by securing, restored on release
        out.push(
          `PT-6: host page-table entry 0x${slot.toString(16)} holds 0x${actual.toString(16)}, the host wrote 0x${wrote.toString(16)}`,
        );
      }
    }
    if (out.length === 0) [this.cleanAt, this.cleanShadow] = [mem.trackedWrites, this.shadowVersion];
    return out;
  }
}
