import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { ElfError, parseElf } from "./elf.ts";

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`./tests/bin/${name}.elf`, import.meta.url)));

/** Builds a minimal ELF64 LE RISC-V executable with the given program headers and one symbol. */
function buildElf(opts: {
  machine?: number;
  phdrs?: { type: number; flags: number; paddr: bigint; data: number[]; memsz: number }[];
  symbol?: { name: string; value: bigint; shndx: number };
}): Uint8Array {
  const phdrs = opts.phdrs ?? [{ type: 1, flags: 5, paddr: 0x80000000n, data: [0x13, 0, 0, 0], memsz: 8 }];
  const strtab = [0, ...Buffer.from(opts.symbol?.name ?? "tohost"), 0];
  const phoff = 64;
  let off = phoff + phdrs.length * 56;
  const dataOffs = phdrs.map((p) => {
    const o = off;
    off += p.data.length;
    return o;
  });
  const symOff = off;
  off += 48; // null symbol + one symbol
  const strOff = off;
  off += strtab.length;
  const shoff = off;
  const total = shoff + 3 * 64; // null, .symtab, .strtab
  const b = new Uint8Array(total);
  const v = new DataView(b.buffer);
  b.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]);
  v.setUint16(16, 2, true);
  v.setUint16(18, opts.machine ?? 243, true);
  v.setUint32(20, 1, true);
  v.setBigUint64(24, 0x80000000n, true);
  v.setBigUint64(32, BigInt(phoff), true);
  v.setBigUint64(40, BigInt(shoff), true);
  v.setUint16(52, 64, true);
  v.setUint16(54, 56, true);
  v.setUint16(56, phdrs.length, true);
  v.setUint16(58, 64, true);
  v.setUint16(60, 3, true);
  phdrs.forEach((p, i) => {
    const h = phoff + i * 56;
    v.setUint32(h, p.type, true);
    v.setUint32(h + 4, p.flags, true);
    v.setBigUint64(h + 8, BigInt(dataOffs[i]!), true);
    v.setBigUint64(h + 16, p.paddr, true);
    v.setBigUint64(h + 24, p.paddr, true);
    v.setBigUint64(h + 32, BigInt(p.data.length), true);
    v.setBigUint64(h + 40, BigInt(p.memsz), true);
    b.set(p.data, dataOffs[i]!);
  });
  const sym = opts.symbol ?? { name: "tohost", value: 0x80001000n, shndx: 1 };
  v.setUint32(symOff + 24, 1, true);
  v.setUint16(symOff + 24 + 6, sym.shndx, true);
  v.setBigUint64(symOff + 24 + 8, sym.value, true);
  b.set(strtab, strOff);
  const sh1 = shoff + 64;
  v.setUint32(sh1 + 4, 2, true); // SHT_SYMTAB
  v.setBigUint64(sh1 + 24, BigInt(symOff), true);
  v.setBigUint64(sh1 + 32, 48n, true);
  v.setUint32(sh1 + 40, 2, true); // sh_link → .strtab
  v.setBigUint64(sh1 + 56, 24n, true);
  const sh2 = shoff + 128;
  v.setUint32(sh2 + 4, 3, true); // SHT_STRTAB
  v.setBigUint64(sh2 + 24, BigInt(strOff), true);
  v.setBigUint64(sh2 + 32, BigInt(strtab.length), true);
  return b;
}

describe("parseElf on built fixtures", () => {
  const bytes = fixture("rv64i_alu");
  const img = parseElf(bytes);

  it("reads the entry point and the HTIF symbols (riscv.md §1)", () => {
    expect(img.entry).toBe(0x80000000n);
    const tohost = img.symbols.get("tohost");
    expect(tohost).toBeDefined();
    expect(img.symbols.get("fromhost")).toBe(tohost! + 0x40n);
    expect(img.symbols.get("_start")).toBe(img.entry);
  });

  it("keeps only PT_LOAD segments (RISCV_ATTRIBUTES skipped) with data from the file", () => {
    expect(img.segments.length).toBeGreaterThan(0);
    for (const s of img.segments) {
      expect(s.paddr).toBeGreaterThanOrEqual(0x80000000n);
      expect(s.data.length).toBeLessThanOrEqual(s.memsz);
    }
    const first = img.segments.find((s) => s.paddr === img.entry)!;
    // _start begins with `auipc t0, 0` (la t0, m_trap): opcode 0x17, rd = t0 (x5)
    expect(first.data[0]! & 0x7f).toBe(0x17);
    expect(first.flags & 1).toBe(1);
  });

  it("builds a synthetic ELF: skips non-LOAD headers, zero-fill size, symbols", () => {
    const b = buildElf({
      phdrs: [
        { type: 0x70000003, flags: 4, paddr: 0n, data: [1, 2, 3], memsz: 0 },
        { type: 1, flags: 7, paddr: 0x80000000n, data: [1, 2, 3, 4], memsz: 4096 },
      ],
      symbol: { name: "fromhost", value: 0x80001040n, shndx: 1 },
    });
    const e = parseElf(b);
    expect(e.segments).toHaveLength(1);
    expect(e.segments[0]!.memsz).toBe(4096);
    expect([...e.segments[0]!.data]).toEqual([1, 2, 3, 4]);
    expect(e.symbols.get("fromhost")).toBe(0x80001040n);
  });

  it("ignores undefined symbols", () => {
    const e = parseElf(buildElf({ symbol: { name: "ext", value: 5n, shndx: 0 } }));
    expect(e.symbols.has("ext")).toBe(false);
  });
});

describe("parseElf rejects bad input with ElfError", () => {
  const good = fixture("rv64i_alu");

  it.each([
    ["empty", new Uint8Array(0)],
    ["not ELF", new TextEncoder().encode("#!/bin/sh\necho hello, this is not an ELF file at all......................")],
    ["x86-64", buildElf({ machine: 62 })],
    ["no PT_LOAD", buildElf({ phdrs: [{ type: 4, flags: 4, paddr: 0n, data: [], memsz: 0 }] })],
    ["filesz > memsz", buildElf({ phdrs: [{ type: 1, flags: 4, paddr: 0x80000000n, data: [1, 2], memsz: 1 }] })],
  ])("%s", (_name, bytes) => {
    expect(() => parseElf(bytes)).toThrow(ElfError);
  });

  it("rejects 32-bit and big-endian headers", () => {
    const b32 = good.slice();
    b32[4] = 1;
    expect(() => parseElf(b32)).toThrow(/ELF64/);
    const be = good.slice();
    be[5] = 2;
    expect(() => parseElf(be)).toThrow(/little-endian/);
  });

  it("rejects every truncation of a real fixture", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: good.length - 1 }), (len) => {
        expect(() => parseElf(good.subarray(0, len))).toThrow(ElfError);
      }),
      { numRuns: 300 },
    );
  });

  it("never throws anything but ElfError on corrupted bytes", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 511 }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: good.length - 1 }), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
        (headerEdits, anyEdits) => {
          const b = good.slice();
          const shoff = Number(new DataView(b.buffer).getBigUint64(40, true));
          for (const [i, v] of headerEdits) {
            // bias towards the ELF header, program headers and section headers
            const at = i < 128 ? i : Math.min(b.length - 1, shoff + (i - 128));
            b[at] = v;
          }
          for (const [i, v] of anyEdits) b[i] = v;
          try {
            parseElf(b);
          } catch (e) {
            expect(e).toBeInstanceOf(ElfError);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});
