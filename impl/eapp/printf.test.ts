import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { demoElf, VA, KBUFFER_PRINT_MAX } from "./testing/ecallRecorder.ts";
import { AgentDriver } from "./testing/agentDriver.ts";
import { AgentOp, REC, type Command } from "./agentRecord.ts";
import { formatOne, specText, type Conversion, type Length, type Spec } from "./testing/cFormat.ts";
import { EnclaveFid, OcallId } from "../../model/abi.ts";

const elf = await demoElf("agent");
const STRINGS = REC.DATA + 0x400; // %s arguments live in the record after the format
const printable = (max: number) =>
  fc.array(fc.integer({ min: 0x20, max: 0x7e }), { maxLength: max }).map((cs) => String.fromCharCode(...cs));

const intConv = fc.constantFrom<Conversion>("d", "i", "u", "x", "X", "o");
const spec: fc.Arbitrary<Spec> = fc.oneof(
  fc.record({
    conv: intConv,
    flags: fc.subarray(["-", "0", "+", " "]).map((f) => f.join("")),
    width: fc.option(fc.integer({ min: 1, max: 24 }), { nil: undefined }),
    prec: fc.option(fc.integer({ min: 0, max: 22 }), { nil: undefined }),
    length: fc.constantFrom<Length>("", "hh", "h", "l", "ll", "z"),
  }),
  fc.record({
    conv: fc.constantFrom<Conversion>("c", "p", "%"),
    flags: fc.constantFrom("", "-"),
    width: fc.option(fc.integer({ min: 1, max: 24 }), { nil: undefined }),
    length: fc.constant<Length>(""),
  }),
  fc.record({
    conv: fc.constant<Conversion>("s"),
    flags: fc.constantFrom("", "-"),
    width: fc.option(fc.integer({ min: 1, max: 50 }), { nil: undefined }),
    prec: fc.option(fc.integer({ min: 0, max: 50 }), { nil: undefined }),
    length: fc.constant<Length>(""),
  }),
);
const piece = fc.record({
  text: printable(12).map((t) => t.replaceAll("%", "")),
  spec,
  int: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
  char: fc.integer({ min: 0x20, max: 0x7e }),
  str: printable(40),
});

type Piece = typeof piece extends fc.Arbitrary<infer T> ? T : never;

/** One PRINT command and the text C would produce for it. */
function build(pieces: Piece[], tail: string) {
  let fmt = "";
  let expected = "";
  const args: bigint[] = [];
  const strings: { off: number; text: string }[] = [];
  for (const p of pieces) {
    fmt += p.text + specText(p.spec);
    expected += p.text;
    if (p.spec.conv === "%") {
      expected += "%";
      continue;
    }
    if (args.length === 6) break;
    if (p.spec.conv === "s") {
      const off = STRINGS + 64 * strings.length;
      strings.push({ off, text: p.str });
      args.push(VA.SHM + BigInt(off));
      expected += formatOne(p.spec, p.str);
    } else {
      const v = p.spec.conv === "c" ? BigInt(p.char) : p.int;
      args.push(v);
      expected += formatOne(p.spec, v);
    }
  }
  // cut the format after the last conversion that got an argument
  fmt = pieces.slice(0, Math.min(pieces.length, countUntilSix(pieces))).map((p) => p.text + specText(p.spec)).join("") + tail;
  expected += tail;
  const data = new Uint8Array(0x400 + 64 * 6);
  data.set(new TextEncoder().encode(fmt + "\0"));
  for (const s of strings) data.set(new TextEncoder().encode(s.text + "\0"), s.off - REC.DATA);
  const cmd: Command = { op: AgentOp.PRINT, args, data };
  return { cmd, fmt, expected: expected.slice(0, KBUFFER_PRINT_MAX - 1), full: expected.length };
}

function countUntilSix(pieces: Piece[]): number {
  let used = 0;
  for (let i = 0; i < pieces.length; i++) {
    if (pieces[i].spec.conv !== "%") used++;
    if (used > 6) return i;
  }
  return pieces.length;
}

describe("printf/eapp_print (PGL §2.1: format into the kbuffer, at most 512 bytes, then OCALL_SYS_WRITE)", () => {
  it("formats like C for random formats and arguments", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.array(piece, { minLength: 1, maxLength: 6 }), printable(8)), { minLength: 1, maxLength: 6 }), (cmds) => {
        const built = cmds.map(([pieces, tail]) => build(pieces, tail.replaceAll("%", "")));
        const d = new AgentDriver(elf);
        const done = d.run(built.map((b) => b.cmd));
        expect(done).toHaveLength(built.length);
        done.forEach((c, i) => {
          expect(c.calls.map((e) => [e.a7, e.a0])).toEqual([[BigInt(EnclaveFid.ENCLAVE_OCALL), BigInt(OcallId.SYS_WRITE)]]);
          expect(c.calls[0].text, built[i].fmt).toBe(built[i].expected);
          expect(c.result).toBe(BigInt(built[i].expected.length));
        });
      }),
      { numRuns: 25 },
    );
  });

  it("cuts output at 511 characters and a NUL", () => {
    const long = "x".repeat(700);
    const data = new Uint8Array(0x400 + 701);
    data.set(new TextEncoder().encode("<%s>\0"));
    data.set(new TextEncoder().encode(long + "\0"), 0x400);
    const d = new AgentDriver(elf);
    const [c] = d.run([{ op: AgentOp.PRINT, args: [VA.SHM + BigInt(REC.DATA + 0x400)], data }]);
    expect(c.calls[0].text).toBe(("<" + long).slice(0, KBUFFER_PRINT_MAX - 1));
    expect(d.rec.read(VA.KBUFFER + 511n, 1)[0]).toBe(0);
    expect(c.result).toBe(511n);
  });
});
