/**
 * Test oracle: C printf semantics for the conversions the enclave SDK implements (src/format.c):
 * d i u x X o c s p %, flags - 0 + space, width, precision, length hh h l ll z. %p prints "0x" and
 * the minimal hex digits (the SDK's documented choice).
 */
export type Length = "" | "hh" | "h" | "l" | "ll" | "z";
export type Conversion = "d" | "i" | "u" | "x" | "X" | "o" | "c" | "s" | "p" | "%";
export interface Spec {
  conv: Conversion;
  flags: string;
  width?: number;
  prec?: number;
  length: Length;
}

export const specText = (s: Spec): string =>
  `%${s.flags}${s.width ?? ""}${s.prec === undefined ? "" : `.${s.prec}`}${s.length}${s.conv}`;

const bits = (l: Length): number => (l === "hh" ? 8 : l === "h" ? 16 : l === "" ? 32 : 64);

function pad(body: string, s: Spec): string {
  const w = s.width ?? 0;
  if (body.length >= w) return body;
  return s.flags.includes("-") ? body + " ".repeat(w - body.length) : " ".repeat(w - body.length) + body;
}

function integer(s: Spec, raw: bigint): string {
  const signed = s.conv === "d" || s.conv === "i";
  const v = signed ? BigInt.asIntN(bits(s.length), raw) : s.conv === "p" ? BigInt.asUintN(64, raw) : BigInt.asUintN(bits(s.length), raw);
  const base = s.conv === "o" ? 8 : s.conv === "d" || s.conv === "i" || s.conv === "u" ? 10 : 16;
  let digits = (v < 0n ? -v : v).toString(base);
  if (s.conv === "X") digits = digits.toUpperCase();
  if (s.prec === 0 && v === 0n) digits = "";
  if (s.prec !== undefined && digits.length < s.prec) digits = "0".repeat(s.prec - digits.length) + digits;
  const sign = v < 0n ? "-" : signed && s.flags.includes("+") ? "+" : signed && s.flags.includes(" ") ? " " : "";
  const prefix = sign + (s.conv === "p" ? "0x" : "");
  const w = s.width ?? 0;
  if (s.flags.includes("0") && !s.flags.includes("-") && s.prec === undefined && prefix.length + digits.length < w) {
    digits = "0".repeat(w - prefix.length - digits.length) + digits;
  }
  return pad(prefix + digits, s);
}

/** The text one conversion produces for its argument (a number, or the string a %s points to). */
export function formatOne(s: Spec, arg: bigint | string): string {
  if (s.conv === "%") return "%";
  if (s.conv === "s") {
    const str = String(arg);
    return pad(s.prec === undefined ? str : str.slice(0, s.prec), s);
  }
  if (s.conv === "c") return pad(String.fromCharCode(Number(BigInt(arg) & 0xffn)), s);
  return integer(s, BigInt(arg));
}
