/**
 * ELF64 loader for RISC-V bare-metal programs (issue 3, riscv.md §1): PT_LOAD segments and the
 * symbol table. Every read is bounds-checked; any malformed, truncated or foreign input throws an
 * {@link ElfError} rather than a RangeError or a silently wrong image.
 */

/** Thrown for any input that is not a well-formed little-endian ELF64 RISC-V executable. */
export class ElfError extends Error {
  constructor(message: string) {
    super(`ELF: ${message}`);
    this.name = "ElfError";
  }
}

/** One loadable segment: `data` (p_filesz bytes) goes at `paddr`; the rest up to `memsz` is zero. */
export interface ElfSegment {
  paddr: bigint;
  vaddr: bigint;
  data: Uint8Array;
  memsz: number;
  /** p_flags: PF_X = 1, PF_W = 2, PF_R = 4. */
  flags: number;
}

/** What a loader needs from an executable. */
export interface ElfImage {
  entry: bigint;
  segments: ElfSegment[];
  /** Defined symbols from .symtab (name → st_value); the first definition of a name wins. */
  symbols: Map<string, bigint>;
}

const EM_RISCV = 243;
const ET_EXEC = 2;
const ET_DYN = 3;
const PT_LOAD = 1;
const SHT_SYMTAB = 2;
const SHN_UNDEF = 0;
const EHDR_SIZE = 64;
const PHDR_SIZE = 56;
const SHDR_SIZE = 64;
const SYM_SIZE = 24;
/** Segments larger than this are refused (the machine's RAM is far smaller). */
const MAX_MEMSZ = 1 << 30;

/** Bounds-checked little-endian reader over the file bytes. */
class Reader {
  private readonly view: DataView;
  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  /** Throws unless [off, off + len) lies inside the file. */
  need(off: number, len: number, what: string): void {
    if (!Number.isSafeInteger(off) || off < 0 || len < 0 || off + len > this.bytes.length) {
      throw new ElfError(`${what} at offset ${off} (+${len}) lies outside the ${this.bytes.length}-byte file`);
    }
  }
  u8(off: number, what: string): number {
    this.need(off, 1, what);
    return this.view.getUint8(off);
  }
  u16(off: number, what: string): number {
    this.need(off, 2, what);
    return this.view.getUint16(off, true);
  }
  u32(off: number, what: string): number {
    this.need(off, 4, what);
    return this.view.getUint32(off, true);
  }
  u64(off: number, what: string): bigint {
    this.need(off, 8, what);
    return this.view.getBigUint64(off, true);
  }
  /** A 64-bit file offset or size, which must fit a JS number. */
  size(off: number, what: string): number {
    const v = this.u64(off, what);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new ElfError(`${what} ${v} is too large`);
    return Number(v);
  }
  slice(off: number, len: number, what: string): Uint8Array {
    this.need(off, len, what);
    return this.bytes.slice(off, off + len);
  }
}

function checkHeader(r: Reader): void {
  if (r.bytes.length < EHDR_SIZE) throw new ElfError(`file too short for an ELF64 header (${r.bytes.length} bytes)`);
  if (r.u32(0, "magic") !== 0x464c457f) throw new ElfError("bad magic (not an ELF file)");
  if (r.u8(4, "EI_CLASS") !== 2) throw new ElfError("not ELF64 (EI_CLASS must be 2)");
  if (r.u8(5, "EI_DATA") !== 1) throw new ElfError("not little-endian (EI_DATA must be 1)");
  if (r.u8(6, "EI_VERSION") !== 1) throw new ElfError("unsupported EI_VERSION");
  const type = r.u16(16, "e_type");
  if (type !== ET_EXEC && type !== ET_DYN) throw new ElfError(`not an executable (e_type ${type})`);
  const machine = r.u16(18, "e_machine");
  if (machine !== EM_RISCV) throw new ElfError(`not RISC-V (e_machine ${machine}, expected ${EM_RISCV})`);
}

function readSegments(r: Reader): ElfSegment[] {
  const phoff = r.size(32, "e_phoff");
  const phentsize = r.u16(54, "e_phentsize");
  const phnum = r.u16(56, "e_phnum");
  if (phnum > 0 && phentsize < PHDR_SIZE) throw new ElfError(`e_phentsize ${phentsize} < ${PHDR_SIZE}`);
  r.need(phoff, phnum * phentsize, "program header table");
  const segments: ElfSegment[] = [];
  for (let i = 0; i < phnum; i++) {
    const ph = phoff + i * phentsize;
    const what = `program header ${i}`;
    // Other types (e.g. PT_RISCV_ATTRIBUTES 0x70000003) are not loaded (riscv.md §1).
    if (r.u32(ph, what) !== PT_LOAD) continue;
    const flags = r.u32(ph + 4, what);
    const offset = r.size(ph + 8, `${what} p_offset`);
    const vaddr = r.u64(ph + 16, what);
    const paddr = r.u64(ph + 24, what);
    const filesz = r.size(ph + 32, `${what} p_filesz`);
    const memsz = r.size(ph + 40, `${what} p_memsz`);
    if (filesz > memsz) throw new ElfError(`${what}: p_filesz ${filesz} > p_memsz ${memsz}`);
    if (memsz > MAX_MEMSZ) throw new ElfError(`${what}: p_memsz ${memsz} is too large`);
    if (paddr + BigInt(memsz) > 1n << 64n) throw new ElfError(`${what}: segment wraps the address space`);
    segments.push({ paddr, vaddr, data: r.slice(offset, filesz, `${what} data`), memsz, flags });
  }
  return segments;
}

function readCString(r: Reader, start: number, end: number, what: string): string {
  let i = start;
  while (true) {
    if (i >= end) throw new ElfError(`${what}: unterminated name`);
    if (r.u8(i, what) === 0) break;
    i++;
  }
  return new TextDecoder("utf-8", { fatal: false }).decode(r.bytes.subarray(start, i));
}

function readSymbols(r: Reader): Map<string, bigint> {
  const symbols = new Map<string, bigint>();
  const shoff = r.size(40, "e_shoff");
  const shentsize = r.u16(58, "e_shentsize");
  const shnum = r.u16(60, "e_shnum");
  if (shnum === 0) return symbols;
  if (shentsize < SHDR_SIZE) throw new ElfError(`e_shentsize ${shentsize} < ${SHDR_SIZE}`);
  r.need(shoff, shnum * shentsize, "section header table");
  const sh = (i: number) => shoff + i * shentsize;
  for (let i = 0; i < shnum; i++) {
    if (r.u32(sh(i) + 4, `section header ${i}`) !== SHT_SYMTAB) continue;
    const what = `.symtab (section ${i})`;
    const link = r.u32(sh(i) + 40, what);
    if (link >= shnum) throw new ElfError(`${what}: sh_link ${link} is not a section`);
    const symOff = r.size(sh(i) + 24, what);
    const symSize = r.size(sh(i) + 32, what);
    const entsize = r.size(sh(i) + 56, what);
    if (entsize !== 0 && entsize < SYM_SIZE) throw new ElfError(`${what}: sh_entsize ${entsize} < ${SYM_SIZE}`);
    const step = entsize === 0 ? SYM_SIZE : entsize;
    const strOff = r.size(sh(link) + 24, ".strtab");
    const strSize = r.size(sh(link) + 32, ".strtab");
    r.need(strOff, strSize, ".strtab");
    r.need(symOff, symSize, what);
    const count = Math.floor(symSize / step);
    for (let k = 1; k < count; k++) {
      const s = symOff + k * step;
      const nameOff = r.u32(s, what);
      const shndx = r.u16(s + 6, what);
      const value = r.u64(s + 8, what);
      if (nameOff === 0 || shndx === SHN_UNDEF) continue;
      if (nameOff >= strSize) throw new ElfError(`${what}: symbol ${k} name offset ${nameOff} outside .strtab`);
      const name = readCString(r, strOff + nameOff, strOff + strSize, `${what} symbol ${k}`);
      if (!symbols.has(name)) symbols.set(name, value);
    }
  }
  return symbols;
}

/**
 * Parses a little-endian ELF64 RISC-V executable.
 * Returns its entry point, PT_LOAD segments (other program headers are skipped) and the defined
 * symbols of .symtab/.strtab. Pure: the returned segment data are copies.
 * @throws ElfError on malformed, truncated or non-RISC-V input.
 */
export function parseElf(bytes: Uint8Array): ElfImage {
  const r = new Reader(bytes);
  checkHeader(r);
  const entry = r.u64(24, "e_entry");
  const segments = readSegments(r);
  if (segments.length === 0) throw new ElfError("no PT_LOAD segment");
  return { entry, segments, symbols: readSymbols(r) };
}
