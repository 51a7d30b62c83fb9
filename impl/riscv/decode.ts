/**
 * Decoding: a 32-bit (or expanded compressed) instruction word → the fields the executor uses.
 * Decoded entries live in per-physical-page arrays (the decode cache, keyed by physical address),
 * `ENTRY_STRIDE` Int32s per halfword slot: [op, packed registers, immediate, raw bits].
 */
import { OPCODES, OP_ILLEGAL, type Format } from "./opcodes.ts";
import { expandCompressed } from "./rvc.ts";

export const ENTRY_STRIDE = 4;
/** Halfword slots per 4 KiB page. */
export const SLOTS_PER_PAGE = 2048;
/** Register slot written instead of x0: reads of x0 use slot 0, which stays zero. */
export const X0_SINK = 32;

const ROW_OPS = OPCODES.map((r, i) => ({ mask: r.mask, match: r.match, format: r.format, op: i + 1 }));

/** Find the table row of a 32-bit word; `undefined` when no row matches (illegal). */
export function lookup(word: number): { op: number; format: Format } | undefined {
  for (const r of ROW_OPS) if ((word & r.mask) >>> 0 === r.match) return r;
  return undefined;
}

const sext = (v: number, width: number): number => (v << (32 - width)) >> (32 - width);

function immediate(w: number, f: Format): number {
  switch (f) {
    case "I":
      return w >> 20;
    case "S":
      return ((w >> 25) << 5) | ((w >>> 7) & 0x1f);
    case "B":
      return sext(((w >>> 31) << 12) | (((w >>> 7) & 1) << 11) | (((w >>> 25) & 0x3f) << 5) | (((w >>> 8) & 0xf) << 1), 13);
    case "U":
      return w & 0xfffff000;
    case "J":
      return sext(((w >>> 31) << 20) | (((w >>> 12) & 0xff) << 12) | (((w >>> 20) & 1) << 11) | (((w >>> 21) & 0x3ff) << 1), 21);
    case "SH6":
      return (w >>> 20) & 0x3f;
    case "SH5":
      return (w >>> 20) & 0x1f;
    case "CSR":
    case "CSRI":
      return (w >>> 20) & 0xfff;
    default:
      return 0;
  }
}

/**
 * Decode the instruction whose low 16 bits are `lo16` (and, for a 32-bit instruction, whose high
 * bits are `hi16`) into `out[at..at+4)`. Returns the op (OP_ILLEGAL if no row matches).
 * Register fields are stored ×2 (index of the low half in the Int32 register file); rd = x0 maps to
 * the sink slot so writes to x0 vanish.
 */
export function decodeInto(out: Int32Array, at: number, lo16: number, hi16: number): number {
  const compressed = (lo16 & 3) !== 3;
  const raw = compressed ? lo16 : (lo16 | (hi16 << 16)) >>> 0;
  const word = compressed ? expandCompressed(lo16) : raw;
  const row = word === 0 ? undefined : lookup(word);
  const op = row ? row.op : OP_ILLEGAL;
  const rd = (word >>> 7) & 31;
  const rs1 = (word >>> 15) & 31;
  const rs2 = (word >>> 20) & 31;
  const len = compressed ? 2 : 4;
  out[at] = op;
  out[at + 1] = ((rd === 0 ? X0_SINK : rd) << 1) | ((rs1 << 1) << 8) | ((rs2 << 1) << 16) | (len << 24);
  out[at + 2] = row ? immediate(word, row.format) : 0;
  out[at + 3] = raw | 0;
  return op;
}
