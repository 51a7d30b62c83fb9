import { describe, expect, it } from "vitest";
import { CheckedPlatform, defaultPlatformConfig } from "./platform.ts";
import { hostLeavesToPrivate, staleTranslations } from "./machineChecks.ts";

const PAGE = 4096n;

/** The host leaf that maps `pa` in the kernel's identity map (root → PMD → PTE page). */
function leafSlot(cp: CheckedPlatform, pa: bigint): bigint {
  const mem = cp.p.machine.mem;
  let table = cp.p.kernel.root;
  for (const shift of [30n, 21n]) table = ((mem.read64(table + ((pa >> shift) & 511n) * 8n) >> 10n) & ((1n << 44n) - 1n)) * PAGE;
  return table + ((pa >> 12n) & 511n) * 8n;
}

describe("PT-4 on the machine", () => {
  it("finds a host leaf to a private page after a firmware write to the table, and after one to the bitmap", () => {
    const cp = new CheckedPlatform(defaultPlatformConfig);
    const mem = cp.p.machine.mem;
    const bitmap = cp.p.monitor.state.bitmap!;
    expect(hostLeavesToPrivate(cp)).toEqual([]);
    expect(hostLeavesToPrivate(cp)).toEqual([]); // nothing written since: the same answer (the walk is skipped)
    // a host page made private behind the monitor's back: its identity leaf is still valid
    const victim = cp.pa(10)!;
    bitmap.setRange(victim, PAGE, true);
    expect(hostLeavesToPrivate(cp).join()).toMatch(/^PT-4: host leaf at .* maps private page 0x/);
    bitmap.setRange(victim, PAGE, false);
    expect(hostLeavesToPrivate(cp)).toEqual([]);
    // a valid leaf written into the host's table that maps the SM region's first page (always private)
    const slot = leafSlot(cp, victim);
    const old = mem.read64(slot);
    mem.write64(slot, ((mem.base / PAGE) << 10n) | (old & 0x3ffn));
    expect(hostLeavesToPrivate(cp)).toHaveLength(1);
    mem.write64(slot, old);
    expect(hostLeavesToPrivate(cp)).toEqual([]);
    cp.p.machine.mem.dispose();
  });

  it("MI-6: finds a host translation cached for a page made private, and nothing once the TLBs are flushed", () => {
    const cp = new CheckedPlatform(defaultPlatformConfig);
    const bitmap = cp.p.monitor.state.bitmap!;
    const victim = cp.pa(12)!;
    expect(staleTranslations(cp)).toEqual([]);
    cp.p.kernel.read64(victim, 0); // hart 0 caches the host's translation
    bitmap.setRange(victim, PAGE, true);
    expect(staleTranslations(cp).join()).toMatch(/^MI-6: hart 0 \(host\) caches a translation to private page 0x/);
    for (const h of cp.p.machine.harts) h.flushTranslations();
    expect(staleTranslations(cp)).toEqual([]);
    cp.p.machine.mem.dispose();
  });
});
