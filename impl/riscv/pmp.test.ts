import { describe, expect, it } from "vitest";
import { Pmp, PMP_L, PMP_R, PMP_W, PMP_X } from "./pmp.ts";

const NAPOT = 3 << 3,
  TOR = 1 << 3,
  NA4 = 2 << 3;
const cfg = (entries: number[]): bigint => entries.reduce((v, c, i) => v | (BigInt(c) << BigInt(8 * i)), 0n);

describe("PMP (riscv.md §6.4)", () => {
  it("denies S/U everything when no entry matches, allows M", () => {
    const p = new Pmp();
    expect(p.check(0x8000_0000, 4, PMP_R, 1)).toBe(false);
    expect(p.check(0x8000_0000, 4, PMP_R, 0)).toBe(false);
    expect(p.check(0x8000_0000, 4, PMP_W, 3)).toBe(true);
  });

  it("decodes NAPOT (trailing ones), TOR and NA4 ranges", () => {
    const p = new Pmp();
    p.writeAddr(0, (0x8000_0000n >> 2n) | 0x3ffn); // NAPOT 8 KiB at 0x8000_0000
    p.writeAddr(1, 0x9000_0000n >> 2n); // TOR [pmpaddr0·4, 0x9000_0000): bottom is the raw NAPOT value ×4
    p.writeAddr(2, 0xa000_0000n >> 2n); // NA4 at 0xa000_0000
    p.writeCfg(0, cfg([NAPOT | PMP_R, TOR | PMP_R | PMP_W, NA4 | PMP_X]));
    expect(p.check(0x8000_0000, 8, PMP_R, 0)).toBe(true);
    expect(p.check(0x8000_1ff8, 8, PMP_R, 0)).toBe(true);
    expect(p.check(0x8000_0000, 8, PMP_W, 0)).toBe(false); // entry 0 decides: no W
    expect(p.check(0x8000_1ff8, 8, PMP_W, 1)).toBe(false); // still entry 0's (lower number wins)
    expect(p.check(0x8000_2000, 8, PMP_W, 1)).toBe(true); // past entry 0: the TOR entry decides
    expect(p.check(0x8fff_fff8, 8, PMP_W, 1)).toBe(true);
    expect(p.check(0xa000_0000, 4, PMP_X, 0)).toBe(true);
    expect(p.check(0xa000_0000, 8, PMP_X, 0)).toBe(false); // partial match fails
  });

  it("lowest-numbered matching entry wins, and a partial match fails whatever later entries say", () => {
    const p = new Pmp();
    p.writeAddr(0, (0x8000_0000n >> 2n) | 0x1n); // NAPOT 16 B
    p.writeAddr(1, (0x8000_0000n >> 2n) | 0x3ffn); // NAPOT 8 KiB
    p.writeCfg(0, cfg([NAPOT, NAPOT | PMP_R | PMP_W]));
    expect(p.check(0x8000_0000, 4, PMP_R, 1)).toBe(false); // entry 0 matches: no permissions
    expect(p.check(0x8000_000c, 8, PMP_R, 1)).toBe(false); // straddles entry 0's end
    expect(p.check(0x8000_0010, 8, PMP_R, 1)).toBe(true);
  });

  it("L locks the entry (and pmpaddr i-1 for TOR) and enforces on M", () => {
    const p = new Pmp();
    p.writeAddr(0, 0x8000_0000n >> 2n);
    p.writeAddr(1, 0x8000_1000n >> 2n);
    p.writeCfg(0, cfg([0, TOR | PMP_R | PMP_L]));
    expect(p.check(0x8000_0000, 4, PMP_W, 3)).toBe(false); // locked: M obeys R only
    expect(p.check(0x8000_0000, 4, PMP_R, 3)).toBe(true);
    p.writeAddr(1, 0x9000_0000n >> 2n);
    p.writeAddr(0, 0n);
    expect(p.readAddr(1)).toBe(0x8000_1000n >> 2n);
    expect(p.readAddr(0)).toBe(0x8000_0000n >> 2n);
    p.writeCfg(0, cfg([0, TOR | PMP_R | PMP_W | PMP_X]));
    expect(p.readCfg(0) >> 8n).toBe(BigInt(TOR | PMP_R | PMP_L));
  });

  it("keeps the reserved R=0,W=1 combination out of pmpcfg (WARL)", () => {
    const p = new Pmp();
    p.writeCfg(0, cfg([NAPOT | PMP_W]));
    expect(Number(p.readCfg(0) & 0xffn) & (PMP_R | PMP_W)).not.toBe(PMP_W);
  });

  it("reports a page as mixed when an entry boundary falls inside it", () => {
    const p = new Pmp();
    p.writeAddr(0, 0x8000_0800n >> 2n);
    p.writeAddr(1, 0x8000_2000n >> 2n);
    p.writeCfg(0, cfg([TOR | PMP_R, TOR | PMP_R | PMP_W]));
    expect(p.pageDecision(0x8000_0000, PMP_W, 1)).toBe(-1);
    expect(p.pageDecision(0x8000_1000, PMP_W, 1)).toBe(1);
    expect(p.pageDecision(0x8000_3000, PMP_W, 1)).toBe(0);
  });
});
