// Cross-checks of the encoder against the Debian cross toolchain (binutils 2.40) and the ELF
// writer against QEMU's spike loader (riscv.md §1–§2). Part of `npm run test:qemu` only.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Asm } from "./asm.ts";
import { emitAll, gnuAssemble } from "./crosscheck.ts";
import { emitExit, emitPutc, htifElf } from "./htif.ts";
import { QEMU_ARGS } from "../diff/qemu.ts";

describe("encoder vs riscv64-unknown-elf-as", () => {
  for (const seed of [1, 2, 3]) {
    it(`every mnemonic, 100 random operand sets (seed ${seed})`, () => {
      const a = new Asm(0x80000000n);
      emitAll(a, seed, 100);
      const ours = a.finish();
      const theirs = gnuAssemble(a.listing.map((l) => l.text.replace(/ {2}#.*/, "")));
      const bad: string[] = [];
      let off = 0;
      for (const l of a.listing) {
        const o = Buffer.from(ours.subarray(off, off + l.size)).toString("hex");
        const t = Buffer.from(theirs.subarray(off, off + l.size)).toString("hex");
        if (o !== t) bad.push(`${l.text}: ours ${o}, as ${t}`);
        off += l.size;
      }
      expect(bad.slice(0, 20)).toEqual([]);
      expect(theirs.length).toBe(ours.length);
    });
  }
});

describe("ELF writer vs binutils and QEMU", () => {
  const a = new Asm(0x80000000n);
  a.la(10, "tohost");
  for (const ch of "ok\n") { a.li(11, BigInt(ch.charCodeAt(0))); emitPutc(a, 10, 11, 12, String(a.offset)); }
  emitExit(a, 10, 1, 12, "x");
  a.align(64).label("tohost").dword(0n).dword(0n);
  const elf = htifElf(a, a.finish(), a.addr("tohost"));

  it("readelf sees tohost/fromhost as 8-byte OBJECT symbols", () => {
    const dir = mkdtempSync(join(tmpdir(), "rvelf-"));
    try {
      writeFileSync(join(dir, "p.elf"), elf);
      const out = execFileSync("riscv64-unknown-elf-readelf", ["-s", join(dir, "p.elf")]).toString();
      expect(out).toMatch(/8 OBJECT\s+GLOBAL\s+DEFAULT\s+1 tohost/);
      expect(out).toMatch(/8 OBJECT\s+GLOBAL\s+DEFAULT\s+1 fromhost/);
    } finally { rmSync(dir, { recursive: true, force: true }); }
  });
  it("QEMU spike runs it, prints the HTIF console output and exits 0", () => {
    const dir = mkdtempSync(join(tmpdir(), "rvelf-"));
    try {
      writeFileSync(join(dir, "p.elf"), elf);
      const r = spawnSync("timeout", ["10", "qemu-system-riscv64", ...QEMU_ARGS, "-kernel", join(dir, "p.elf")]);
      expect(r.stdout.toString()).toBe("ok\n");
      expect(r.status).toBe(0);
    } finally { rmSync(dir, { recursive: true, force: true }); }
  });
});
