/**
 * A tiny in-memory assembler: emits encoded instructions and data at a fixed base address, with
 * labels (forward references are patched in {@link Asm.finish}) and a listing of every emitted
 * instruction in GNU-as syntax (what a differential mismatch report prints, riscv.md §2).
 */
import * as E from "./encode.ts";
import { I32, IC, type Insn32, type InsnC, type Name32, type NameC, text32, textAmo, textC } from "./table.ts";

/** One listing line: address, size in bytes (2 or 4; data lines use their size) and text. */
export interface ListingLine { addr: bigint; size: number; text: string }

type Fixup = { at: number; label: string; kind: "B" | "J" | "CJ" | "CB" | "PCREL" | "ABS64"; patch: (off: number) => void };

/** Assembler state for one image. */
export class Asm {
  private buf = new Uint8Array(4096);
  private len = 0;
  private readonly labels = new Map<string, number>();
  private readonly fixups: Fixup[] = [];
  /** Every emitted instruction/data item, in order. */
  readonly listing: ListingLine[] = [];

  /** @param base physical (link) address of byte 0 of the image. */
  constructor(readonly base: bigint) {}

  /** Current offset from {@link base}. */
  get offset(): number { return this.len; }
  /** Current address. */
  get pc(): bigint { return this.base + BigInt(this.len); }

  private ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const nb = new Uint8Array(size);
    nb.set(this.buf.subarray(0, this.len));
    this.buf = nb;
  }
  private put(v: number, bytes: number): void {
    this.ensure(bytes);
    for (let i = 0; i < bytes; i++) this.buf[this.len++] = (v >>> (8 * i)) & 0xff;
  }
  private patch32(at: number, v: number): void {
    for (let i = 0; i < 4; i++) this.buf[at + i] = (v >>> (8 * i)) & 0xff;
  }
  private patch16(at: number, v: number): void {
    this.buf[at] = v & 0xff;
    this.buf[at + 1] = (v >> 8) & 0xff;
  }

  /** Define `name` at the current address. */
  label(name: string): this {
    if (this.labels.has(name)) throw new Error(`duplicate label ${name}`);
    this.labels.set(name, this.len);
    return this;
  }
  /** Address of a defined label. */
  addr(name: string): bigint {
    const o = this.labels.get(name);
    if (o === undefined) throw new Error(`undefined label ${name}`);
    return this.base + BigInt(o);
  }
  /** Whether `name` is defined. */
  has(name: string): boolean { return this.labels.has(name); }

  /** Emit a raw 32-bit word as an instruction with the given listing text. */
  word32(w: number, text: string): this {
    this.listing.push({ addr: this.pc, size: 4, text });
    this.put(w >>> 0, 4);
    return this;
  }
  /** Emit a raw 16-bit halfword as an instruction with the given listing text. */
  half16(h: number, text: string): this {
    this.listing.push({ addr: this.pc, size: 2, text });
    this.put(h & 0xffff, 2);
    return this;
  }

  /** Emit a 32-bit instruction, e.g. `a.i("addi", 5, 6, -1)`. Operand order is the encoder's. */
  i(name: Name32, ...args: number[]): this {
    const row = I32[name] as Insn32;
    return this.word32(row.enc(...args), text32(name, args));
  }
  /** Emit a compressed instruction, e.g. `a.c("c.addi", 5, 3)`. */
  c(name: NameC, ...args: number[]): this {
    const row = IC[name] as InsnC;
    return this.half16(row.enc(...args), textC(name, args));
  }
  /** Emit an A-extension instruction. */
  amo(op: E.AmoOp, w: "w" | "d", rd: number, rs1: number, rs2: number, aq = false, rl = false): this {
    return this.word32(E.amo(op, w, rd, rs1, rs2, aq, rl), textAmo(op, w, rd, rs1, rs2, aq, rl));
  }
  /** `fence pred, succ` (iorw bit sets). */
  fence(pred = 0xf, succ = 0xf): this {
    const s = (v: number) => ["i", "o", "r", "w"].filter((_, k) => v & (8 >> k)).join("") || "0";
    return this.word32(E.fence(pred, succ), `fence ${s(pred)}, ${s(succ)}`);
  }

  private ref(label: string, kind: Fixup["kind"], emit: (off: number) => number, size: 2 | 4, textOf: (off: number) => string): this {
    const at = this.len;
    const line: ListingLine = { addr: this.pc, size, text: textOf(0) };
    this.listing.push(line);
    this.put(0, size);
    this.fixups.push({
      at, label, kind,
      patch: (off) => {
        line.text = `${textOf(off)}  # ${label}`;
        if (size === 4) this.patch32(at, emit(off));
        else this.patch16(at, emit(off));
      },
    });
    return this;
  }
  /** Conditional branch to a label. */
  br(name: "beq" | "bne" | "blt" | "bge" | "bltu" | "bgeu", rs1: number, rs2: number, label: string): this {
    const row = I32[name] as Insn32;
    return this.ref(label, "B", (o) => row.enc(rs1, rs2, o), 4, (o) => text32(name, [rs1, rs2, o]));
  }
  /** `jal rd, label`. */
  jal(rd: number, label: string): this {
    return this.ref(label, "J", (o) => E.jal(rd, o), 4, (o) => text32("jal", [rd, o]));
  }
  /** `c.j label`. */
  cj(label: string): this {
    return this.ref(label, "CJ", (o) => IC["c.j"].enc(o), 2, (o) => textC("c.j", [o]));
  }
  /** `c.beqz/c.bnez rs1, label`. */
  cb(name: "c.beqz" | "c.bnez", rs1: number, label: string): this {
    return this.ref(label, "CB", (o) => IC[name].enc(rs1, o), 2, (o) => textC(name, [rs1, o]));
  }
  /**
   * `la rd, label + addend`: auipc + addi (pc-relative, position independent). The addend lets
   * code compute the address of a label in another virtual alias of the same physical page.
   */
  la(rd: number, label: string, addend = 0): this {
    const at = this.len;
    const l1: ListingLine = { addr: this.pc, size: 4, text: "" };
    const l2: ListingLine = { addr: this.pc + 4n, size: 4, text: "" };
    this.listing.push(l1, l2);
    this.put(0, 8);
    this.fixups.push({
      at, label, kind: "PCREL",
      patch: (rel) => {
        const off = rel + addend;
        if (off < -(2 ** 31) || off >= 2 ** 31 - 2048) throw new RangeError(`la ${label}+${addend} out of range`);
        const lo = ((off & 0xfff) ^ 0x800) - 0x800;
        const hi = ((off - lo) >> 12) & 0xfffff;
        this.patch32(at, E.auipc(rd, hi));
        this.patch32(at + 4, E.addi(rd, rd, lo));
        l1.text = `${text32("auipc", [rd, hi])}  # la ${label}${addend ? ` ${addend < 0 ? "-" : "+"} 0x${Math.abs(addend).toString(16)}` : ""}`;
        l2.text = text32("addi", [rd, rd, lo]);
      },
    });
    return this;
  }
  /** Load a 64-bit constant into rd (lui/addiw/slli/addi sequence, like `li`). */
  li(rd: number, value: bigint): this {
    const v = BigInt.asIntN(64, value);
    if (v >= -2048n && v < 2048n) return this.i("addi", rd, 0, Number(v));
    if (v >= -(2n ** 31n) && v < 2n ** 31n) {
      const n = Number(v);
      const lo = ((n & 0xfff) ^ 0x800) - 0x800;
      const hi = ((n - lo) / 4096) & 0xfffff;
      this.i("lui", rd, hi);
      if (lo !== 0) this.i("addiw", rd, rd, lo);
      return this;
    }
    // Peel off 12 low bits, load the rest recursively, shift, add (as GNU as does).
    const lo = Number(BigInt.asIntN(12, v));
    let hi = (v - BigInt(lo)) >> 12n;
    let shift = 12;
    while ((hi & 1n) === 0n && shift < 60) { hi >>= 1n; shift++; }
    this.li(rd, hi);
    this.i("slli", rd, rd, shift);
    if (lo !== 0) this.i("addi", rd, rd, lo);
    return this;
  }

  /** Align the current offset to `n` bytes with zero bytes (data) — never use inside code. */
  align(n: number): this {
    while (this.len % n !== 0) this.put(0, 1);
    return this;
  }
  /** Pad with zero bytes up to image offset `off`. */
  padTo(off: number): this {
    if (off < this.len) throw new Error(`padTo ${off} < ${this.len}`);
    this.ensure(off - this.len);
    this.len = off;
    return this;
  }
  /** Emit a 64-bit data word. */
  dword(v: bigint): this {
    this.listing.push({ addr: this.pc, size: 8, text: `.dword 0x${BigInt.asUintN(64, v).toString(16)}` });
    const u = BigInt.asUintN(64, v);
    this.put(Number(u & 0xffffffffn), 4);
    this.put(Number(u >> 32n), 4);
    return this;
  }
  /** Emit a 64-bit data word holding the address of `label`. */
  dwordAddr(label: string): this {
    const at = this.len;
    this.dword(0n);
    this.fixups.push({ at, label, kind: "ABS64", patch: () => {
      const u = this.addr(label);
      this.patch32(at, Number(u & 0xffffffffn));
      this.patch32(at + 4, Number(u >> 32n));
    } });
    return this;
  }
  /** Emit raw bytes. */
  bytes(b: Uint8Array): this {
    this.ensure(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
    return this;
  }

  /** Resolve label references and return the image bytes. */
  finish(): Uint8Array {
    for (const f of this.fixups) {
      const t = this.labels.get(f.label);
      if (t === undefined) throw new Error(`undefined label ${f.label}`);
      f.patch(t - f.at);
    }
    this.fixups.length = 0;
    return this.buf.slice(0, this.len);
  }

  /** The listing as text, one `address: text` line per item. */
  listingText(): string {
    return this.listing.map((l) => `${l.addr.toString(16).padStart(8, "0")}: ${l.text}`).join("\n");
  }
}
