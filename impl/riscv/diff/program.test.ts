import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { programArb } from "./arb.ts";
import { compareDumps, parseDump } from "./dump.ts";
import { CODE_SIZE, DUMP_CSRS, SIG_REGIONS } from "./layout.ts";
import { assemble } from "./program.ts";

describe("differential program generator", () => {
  it("assembles every sampled program within the code area, with an ELF and a listing", () => {
    for (const p of fc.sample(programArb, { seed: 3, numRuns: 200 })) {
      const a = assemble(p);
      expect(a.elf.length).toBeGreaterThan(0);
      const lastInsn = a.asm.listing.filter((l) => !l.text.startsWith(".dword")).at(-1)!;
      expect(lastInsn.addr - a.asm.base).toBeLessThan(BigInt(CODE_SIZE));
      expect(a.listing.startsWith("page tables:")).toBe(true);
      expect(a.listing).toContain("# la b0_end");
    }
  });
  it("is deterministic: same program, same ELF bytes", () => {
    const [p] = fc.sample(programArb, { seed: 11, numRuns: 1 });
    expect(assemble(p).elf).toEqual(assemble(p).elf);
  });
});

describe("dump parsing and comparison", () => {
  const fixed = 31 + DUMP_CSRS.length + SIG_REGIONS.reduce((n, r) => n + r.dwords, 0);
  const dump = (vals: bigint[]) => ["junk", "D", ...vals.map((v) => v.toString(16).padStart(16, "0")), "E", ""].join("\n");
  const base = () => Array.from({ length: fixed }, (_, i) => BigInt(i));
  const withTrap = (cause: bigint, epc: bigint, tval: bigint) => {
    const v = base();
    v.push(1n, cause, epc, tval, 0n, 0n, 0n, 0n, 0n);
    return v;
  };
  const info = { insnAt: (a: bigint) => (a === 0x80000100n ? "amoadd.d x5, x6, (x7)" : a === 0x80000200n ? "ld x5, 0(x6)" : undefined) };

  it("parses a well-formed dump and rejects truncated ones", () => {
    const d = parseDump(dump(withTrap(2n, 0x80000000n, 0n)));
    expect(d.ok).toBe(true);
    if (d.ok) expect(d.fields.find(([n]) => n === "trap0.mcause")?.[1]).toBe(2n);
    expect(parseDump("D\n0000000000000001\n").ok).toBe(false);
    expect(parseDump("D\nA\n").ok).toBe(false);
  });
  it("reports differing fields by name", () => {
    const a = base();
    const b = base();
    b[4] = 99n;
    const r = compareDumps(parseDump(dump([...a, 0n])), parseDump(dump([...b, 0n])), info);
    expect(r.diffs).toEqual(["x5: qemu 0x0000000000000004 emulator 0x0000000000000063"]);
  });
  it("allows only the documented QEMU deviations", () => {
    const amo = compareDumps(parseDump(dump(withTrap(5n, 0x80000100n, 0x10n))), parseDump(dump(withTrap(7n, 0x80000100n, 0x10n))), info);
    expect(amo.diffs).toEqual([]);
    expect(amo.allowed).toContain("qemu-amo-cause trap0.mcause");
    const notAmo = compareDumps(parseDump(dump(withTrap(5n, 0x80000200n, 0x10n))), parseDump(dump(withTrap(7n, 0x80000200n, 0x10n))), info);
    expect(notAmo.diffs).toContain("trap0.mcause: qemu 0x0000000000000005 emulator 0x0000000000000007");
    const mis = compareDumps(parseDump(dump(withTrap(5n, 0x80000200n, 0x4000n))), parseDump(dump(withTrap(5n, 0x80000200n, 0x4004n))), info);
    expect(mis.diffs).toEqual([]);
    const far = compareDumps(parseDump(dump(withTrap(5n, 0x80000200n, 0x4000n))), parseDump(dump(withTrap(5n, 0x80000200n, 0x4010n))), info);
    expect(far.diffs.length).toBe(1);
  });
});
