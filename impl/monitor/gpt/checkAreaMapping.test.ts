import { describe, expect, it } from "vitest";
import { bootPlatform } from "../../host/boot.ts";
import { checkAreaMapping } from "./checkAreaMapping.ts";

const PAGE = 4096n;
const leaf = (pa: bigint): bigint => ((pa / PAGE) << 10n) | 0xc7n; // V R W A D

describe("PT_AREA_SEPARATION's check of the host's tables", () => {
  const P = bootPlatform({ ramSize: 16 << 20 });
  const { mem } = P.machine;
  const area = P.monitor.state.ptArea!;
  const bitmap = P.monitor.state.bitmap!;
  const pteSlot = area.pteBase + 200n * PAGE + 16n; // a PTE page the host never used
  const pmdSlot = area.pmdBase + 3n * PAGE + 8n;
  const put = (slot: bigint, value: bigint): void => {
    mem.write64(slot, value);
    area.noteWrite(slot);
  };

  it("accepts the tables the host booted with", () => {
    expect(checkAreaMapping(mem, area, bitmap)).toBeNull();
  });

  it("refuses a 4 KiB leaf to a private page, and one with reserved bits set", () => {
    put(pteSlot, leaf(P.kernel.layout.freeBase));
    expect(checkAreaMapping(mem, area, bitmap)).toBeNull();
    put(pteSlot, leaf(0x8000_0000n)); // the SM region
    expect(checkAreaMapping(mem, area, bitmap)).toBe("targetPrivate");
    put(pteSlot, (1n << 60n) | leaf(P.kernel.layout.freeBase));
    expect(checkAreaMapping(mem, area, bitmap)).toBe("invalidArgument");
    put(pteSlot, 0n);
  });

  it("refuses a 2 MiB leaf over a private page and a pointer into the wrong sub-area", () => {
    const huge = P.kernel.layout.freeBase + (2n << 20n) - (P.kernel.layout.freeBase % (2n << 20n));
    bitmap.setRange(huge + 5n * PAGE, PAGE, true);
    put(pmdSlot, leaf(huge));
    expect(checkAreaMapping(mem, area, bitmap)).toBe("targetPrivate");
    bitmap.setRange(huge + 5n * PAGE, PAGE, false);
    expect(checkAreaMapping(mem, area, bitmap)).toBeNull();
    put(pmdSlot, ((area.base / PAGE) << 10n) | 1n); // PMD → PGD pointer
    expect(checkAreaMapping(mem, area, bitmap)).toBe("badPointer");
    put(pmdSlot, 0n);
    expect(checkAreaMapping(mem, area, bitmap)).toBeNull();
  });
});
