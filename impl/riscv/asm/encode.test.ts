import { describe, expect, it } from "vitest";
import * as E from "./encode.ts";
import * as C from "./compressed.ts";
import { Asm } from "./asm.ts";
import { writeElf } from "./elf.ts";
import { htifElf } from "./htif.ts";

// Reference words from the RISC-V unprivileged spec's opcode map (and well-known canonical forms).
describe("encoder (known encodings)", () => {
  it("encodes canonical 32-bit instructions", () => {
    expect(E.addi(0, 0, 0)).toBe(0x00000013); // nop
    expect(E.addi(1, 2, -1)).toBe(0xfff10093);
    expect(E.ecall()).toBe(0x00000073);
    expect(E.ebreak()).toBe(0x00100073);
    expect(E.mret()).toBe(0x30200073);
    expect(E.sret()).toBe(0x10200073);
    expect(E.wfi()).toBe(0x10500073);
    expect(E.jalr(0, 1, 0)).toBe(0x00008067); // ret
    expect(E.jal(0, 0)).toBe(0x0000006f);
    expect(E.lui(5, 0x80000)).toBe(0x800002b7);
    expect(E.sfenceVma(0, 0)).toBe(0x12000073);
    expect(E.fenceI()).toBe(0x0000100f);
    expect(E.fence()).toBe(0x0ff0000f);
    expect(E.csrrs(10, 0xf14, 0)).toBe(0xf1402573); // csrr a0, mhartid
    expect(E.srai(5, 6, 63)).toBe(0x43f35293);
    expect(E.amo("lr", "d", 10, 11, 0)).toBe(0x1005b52f);
  });
  it("encodes canonical compressed instructions", () => {
    expect(C.cNop()).toBe(0x0001);
    expect(C.cEbreak()).toBe(0x9002);
    expect(C.cJr(1)).toBe(0x8082); // ret
    expect(C.cMv(10, 11)).toBe(0x852e);
    expect(C.cLi(10, 1)).toBe(0x4505);
  });
  it("rejects out-of-range operands instead of emitting a different instruction", () => {
    expect(() => E.addi(1, 2, 2048)).toThrow(RangeError);
    expect(() => E.beq(1, 2, 3)).toThrow(RangeError);
    expect(() => E.slli(1, 2, 64)).toThrow(RangeError);
    expect(() => C.cAddi(1, 0)).not.toThrow(); // c.addi with imm 0 is a HINT, still encodable
    expect(() => C.cSub(5, 8)).toThrow(RangeError);
    expect(() => C.cLui(2, 1)).toThrow(RangeError);
  });
});

describe("Asm", () => {
  it("resolves forward and backward labels and la", () => {
    const a = new Asm(0x80000000n);
    a.label("top").br("beq", 1, 2, "end").jal(0, "top").la(5, "end").label("end").c("c.nop");
    const img = a.finish();
    const w = (o: number) => new DataView(img.buffer).getUint32(o, true);
    expect(w(0)).toBe(E.beq(1, 2, 16));
    expect(w(4)).toBe(E.jal(0, -4));
    expect(w(8)).toBe(E.auipc(5, 0));
    expect(w(12)).toBe(E.addi(5, 5, 8));
    expect(a.addr("end")).toBe(0x80000010n);
  });
  it("li produces the lui/addiw/slli/addi sequence for wide constants", () => {
    const a = new Asm(0n);
    a.li(5, 0x12345678n);
    expect(a.listing.map((l) => l.text)).toEqual(["lui x5, 0x12345", "addiw x5, x5, 1656"]);
    const b = new Asm(0n);
    b.li(6, -1n);
    expect(b.listing.map((l) => l.text)).toEqual(["addi x6, x0, -1"]);
  });
});

describe("ELF writer", () => {
  it("writes one PT_LOAD at the base and tohost/fromhost as 8-byte objects", () => {
    const a = new Asm(0x80000000n);
    a.i("addi", 0, 0, 0).align(8).label("tohost").dword(0n).dword(0n);
    const elf = htifElf(a, a.finish(), a.addr("tohost"));
    const dv = new DataView(elf.buffer);
    expect([...elf.subarray(0, 4)]).toEqual([0x7f, 0x45, 0x4c, 0x46]);
    expect(dv.getUint16(18, true)).toBe(243);
    expect(dv.getBigUint64(24, true)).toBe(0x80000000n);
    expect(dv.getUint16(56, true)).toBe(1);
    expect(dv.getUint32(64, true)).toBe(1); // PT_LOAD
    expect(dv.getBigUint64(64 + 16, true)).toBe(0x80000000n);
    // .symtab is section 2
    const shoff = Number(dv.getBigUint64(40, true));
    const symOff = Number(dv.getBigUint64(shoff + 2 * 64 + 24, true));
    const strOff = Number(dv.getBigUint64(shoff + 3 * 64 + 24, true));
    const name = (o: number) => { let s = ""; while (elf[o]) s += String.fromCharCode(elf[o++]); return s; };
    const sym = (k: number) => ({
      name: name(strOff + dv.getUint32(symOff + 24 * k, true)),
      info: elf[symOff + 24 * k + 4],
      value: dv.getBigUint64(symOff + 24 * k + 8, true),
      size: dv.getBigUint64(symOff + 24 * k + 16, true),
    });
    expect(sym(1)).toEqual({ name: "tohost", info: 0x11, value: 0x80000008n, size: 8n });
    expect(sym(2)).toEqual({ name: "fromhost", info: 0x11, value: 0x80000010n, size: 8n });
  });
  it("is deterministic", () => {
    const img = Uint8Array.from([1, 2, 3, 4]);
    expect(writeElf({ base: 0x80000000n, image: img })).toEqual(writeElf({ base: 0x80000000n, image: img }));
  });
});
