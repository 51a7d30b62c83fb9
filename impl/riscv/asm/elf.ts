/**
 * Minimal ELF64 (little-endian, EM_RISCV) writer: one PT_LOAD segment holding the whole image, a
 * `.text` section over it and a `.symtab` whose symbols are STT_OBJECT/STB_GLOBAL. QEMU's spike
 * machine looks up `tohost`/`fromhost` there and refuses them unless their size is 8
 * (toolchain.md "QEMU bare metal"; riscv.md §1).
 */

/** A symbol to place in `.symtab`. */
export interface ElfSymbol { name: string; value: bigint; size: number; type?: "object" | "func" }

/** Inputs of {@link writeElf}. */
export interface ElfImage {
  /** Load (and link) address of image byte 0, e.g. 0x8000_0000n. */
  base: bigint;
  /** Entry point; defaults to `base`. */
  entry?: bigint;
  /** The bytes loaded at `base`. */
  image: Uint8Array;
  /** Extra zero-filled bytes after the image (p_memsz − p_filesz). */
  bss?: number;
  symbols?: ElfSymbol[];
}

const EHDR = 64;
const PHDR = 56;
const SHDR = 64;
const SYM = 24;
const SEG_OFF = 0x1000;

class Strtab {
  private parts: number[] = [0];
  add(s: string): number {
    const off = this.parts.length;
    for (const ch of Buffer.from(s, "utf8")) this.parts.push(ch);
    this.parts.push(0);
    return off;
  }
  bytes(): Uint8Array { return Uint8Array.from(this.parts); }
}

/** Build the ELF file bytes (deterministic: same input, same bytes). */
export function writeElf(img: ElfImage): Uint8Array {
  const syms = img.symbols ?? [];
  const strtab = new Strtab();
  const symNames = syms.map((s) => strtab.add(s.name));
  const shstr = new Strtab();
  const nText = shstr.add(".text");
  const nSymtab = shstr.add(".symtab");
  const nStrtab = shstr.add(".strtab");
  const nShstr = shstr.add(".shstrtab");
  const strBytes = strtab.bytes();
  const shstrBytes = shstr.bytes();

  const align8 = (n: number) => (n + 7) & ~7;
  const textOff = SEG_OFF;
  const symOff = align8(textOff + img.image.length);
  const symSize = SYM * (syms.length + 1);
  const strOff = symOff + symSize;
  const shstrOff = strOff + strBytes.length;
  const shOff = align8(shstrOff + shstrBytes.length);
  const total = shOff + SHDR * 5;

  const out = new Uint8Array(total);
  const dv = new DataView(out.buffer);
  const u16 = (o: number, v: number) => dv.setUint16(o, v, true);
  const u32 = (o: number, v: number) => dv.setUint32(o, v, true);
  const u64 = (o: number, v: bigint | number) => dv.setBigUint64(o, BigInt(v), true);

  // ELF header
  out.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0], 0);
  u16(16, 2); // ET_EXEC
  u16(18, 243); // EM_RISCV
  u32(20, 1);
  u64(24, img.entry ?? img.base);
  u64(32, EHDR); // e_phoff
  u64(40, shOff);
  u32(48, 0x1); // EF_RISCV_RVC, soft-float ABI
  u16(52, EHDR);
  u16(54, PHDR);
  u16(56, 1);
  u16(58, SHDR);
  u16(60, 5);
  u16(62, 4); // e_shstrndx

  // PT_LOAD
  const ph = EHDR;
  u32(ph, 1);
  u32(ph + 4, 7); // RWX
  u64(ph + 8, textOff);
  u64(ph + 16, img.base);
  u64(ph + 24, img.base);
  u64(ph + 32, img.image.length);
  u64(ph + 40, img.image.length + (img.bss ?? 0));
  u64(ph + 48, 0x1000);

  out.set(img.image, textOff);

  // symbols (index 0 is the null symbol)
  syms.forEach((s, k) => {
    const o = symOff + SYM * (k + 1);
    u32(o, symNames[k]);
    out[o + 4] = (1 << 4) | (s.type === "func" ? 2 : 1); // STB_GLOBAL | STT_OBJECT/FUNC
    out[o + 5] = 0;
    u16(o + 6, 1); // .text
    u64(o + 8, s.value);
    u64(o + 16, s.size);
  });
  out.set(strBytes, strOff);
  out.set(shstrBytes, shstrOff);

  // section headers: null, .text, .symtab, .strtab, .shstrtab
  const sh = (i: number, name: number, type: number, flags: number, addr: bigint, off: number, size: number, link: number, info: number, align: number, entsize: number) => {
    const o = shOff + SHDR * i;
    u32(o, name); u32(o + 4, type); u64(o + 8, flags); u64(o + 16, addr); u64(o + 24, off);
    u64(o + 32, size); u32(o + 40, link); u32(o + 44, info); u64(o + 48, align); u64(o + 56, entsize);
  };
  sh(1, nText, 1, 0x7, img.base, textOff, img.image.length, 0, 0, 4, 0); // PROGBITS, WAX
  sh(2, nSymtab, 2, 0, 0n, symOff, symSize, 3, 1, 8, SYM); // SYMTAB, link .strtab, first global = 1
  sh(3, nStrtab, 3, 0, 0n, strOff, strBytes.length, 0, 0, 1, 0);
  sh(4, nShstr, 3, 0, 0n, shstrOff, shstrBytes.length, 0, 0, 1, 0);
  return out;
}
