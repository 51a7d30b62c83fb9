import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PhysicalMemory } from "../../riscv/memory.ts";
import { concatBytes, u64le } from "./bytes.ts";
import { MeasurementError } from "./errors.ts";
import { measureEnclave, updateHash, type PhysicalReader } from "./measurement.ts";
import { sm3 } from "./sm3.ts";

const RAM = 0x8000_0000n;
const KiB4 = 4096;
const MiB2 = 2 * 1024 * 1024;
const V = 1n,
  R = 2n,
  W = 4n,
  X = 8n;
const ROOT_VA = 0xffff_ff80_0000_0000n; // PGL §5.1: the level-3 base, applied to every root index

/** A flat fake RAM at {@link RAM}; reads outside it throw, as PhysicalMemory's do. */
class FakeRam implements PhysicalReader {
  readonly bytes: Uint8Array;
  reads = 0;
  constructor(size: number) {
    this.bytes = new Uint8Array(size);
  }
  private off(pa: bigint, len: number): number {
    const o = pa - RAM;
    if (o < 0n || o + BigInt(len) > BigInt(this.bytes.length)) throw new RangeError(`0x${pa.toString(16)} outside`);
    return Number(o);
  }
  read(pa: bigint, len: number): Uint8Array {
    this.reads++;
    const o = this.off(pa, len);
    return this.bytes.slice(o, o + len);
  }
  read64(pa: bigint): bigint {
    return new DataView(this.bytes.buffer).getBigUint64(this.off(pa, 8), true);
  }
  write64(pa: bigint, v: bigint): void {
    new DataView(this.bytes.buffer).setBigUint64(this.off(pa, 8), v, true);
  }
  page(pa: bigint, len = KiB4): Uint8Array {
    const o = this.off(pa, len);
    return this.bytes.subarray(o, o + len);
  }
}

const pte = (pa: bigint, flags: bigint, byte7 = 0n): bigint => (byte7 << 56n) | ((pa >> 12n) << 10n) | flags;
const setPte = (m: FakeRam, table: bigint, i: number, v: bigint): void => m.write64(table + BigInt(8 * i), v);

/** Deterministic non-trivial page contents (a fixed pattern, not a result). */
function fill(b: Uint8Array, salt: number): void {
  let x = salt * 2654435761 + 1;
  for (let i = 0; i < b.length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    b[i] = x >>> 24;
  }
}

/**
 * A hand-built enclave image at `base` (offsets relative to it, so images at two bases are identical):
 * pages 0–3 and 7–8 page tables, 4–6 data, [2 MiB, 4 MiB) one 2 MiB page.
 */
function buildImage(m: FakeRam, base: bigint) {
  const pg = (n: number) => base + BigInt(n * KiB4);
  const root = pg(0),
    l2 = pg(1),
    l1 = pg(2),
    l1b = pg(3),
    l2c = pg(7),
    l1c = pg(8);
  const p4 = pg(4),
    p5 = pg(5),
    p6 = pg(6),
    big = base + BigInt(MiB2);
  fill(m.page(p4), 4);
  fill(m.page(p5), 5);
  fill(m.page(p6), 6);
  fill(m.page(big, MiB2), 7);
  // root[0] invalid; root[2] → l2; root[3] a 1 GiB leaf pointing outside RAM (never read);
  // root[4] → l2c → l1c whose entry 0 is a non-leaf at level 1 (the level-0 quirk)
  setPte(m, root, 2, pte(l2, V));
  setPte(m, root, 3, pte(0x4000_0000n, V | R, 0x11n));
  setPte(m, root, 4, pte(l2c, V));
  setPte(m, l2, 0, pte(l1, V));
  setPte(m, l2, 1, pte(big, V | R | W, 0x22n));
  setPte(m, l2, 2, pte(l1b, V));
  setPte(m, l1, 0, pte(p4, V | R | X));
  setPte(m, l1, 1, pte(p5, V | R | W, 0x33n)); // follows a leaf: its VA and byte 7 are not absorbed
  setPte(m, l1, 3, pte(p6, V | R, 0x40n));
  setPte(m, l1b, 0, pte(p4, V | R)); // flag 0 on entry (previous l2 entry was a leaf)
  setPte(m, l2c, 0, pte(l1c, V));
  setPte(m, l1c, 0, pte(0x1000n, V)); // non-leaf at level 1, outside RAM: level 0 reads nothing
  setPte(m, l1c, 1, pte(p5, V | R | X));
  return { root, l1, p4, p5, p6, big };
}

/** The same measurement written out by hand from the layout of {@link buildImage} (PGL §5.1). */
function expectedDigest(m: FakeRam, img: ReturnType<typeof buildImage>, entry: bigint, nonce: bigint): Uint8Array {
  const va2 = ROOT_VA + (2n << 30n);
  const va4 = ROOT_VA + (4n << 30n);
  return sm3(
    u64le(entry),
    u64le(va2),
    Uint8Array.of(0),
    m.page(img.p4), // l1[0]
    m.page(img.p5), // l1[1]: contents only
    u64le(va2 + 3n * 4096n),
    Uint8Array.of(0x40),
    m.page(img.p6), // l1[3] after a gap
    u64le(va2 + (1n << 21n)),
    Uint8Array.of(0x22),
    m.page(img.big, MiB2), // l2[1], flag 1 after l1's tail
    m.page(img.p4), // l1b[0]: flag 0 inherited
    u64le(ROOT_VA + (3n << 30n)),
    Uint8Array.of(0x11), // 1 GiB leaf: VA and byte 7, no contents
    u64le(va4 + 4096n),
    Uint8Array.of(0),
    m.page(img.p5), // l1c[1] after the level-0 return
    u64le(nonce),
  );
}

describe("measureEnclave (PGL §5.1)", () => {
  const entry = 0x1000n;

  it("equals the walk written out by hand (VA base, flag, byte 7, 4 KiB / 2 MiB / 1 GiB leaves)", () => {
    const m = new FakeRam(8 * MiB2);
    const img = buildImage(m, RAM);
    for (const nonce of [0n, 5n, 0xffff_ffff_ffff_ffffn]) {
      expect(measureEnclave(m, img.root, entry, nonce)).toEqual(expectedDigest(m, img, entry, nonce));
    }
  });

  it("is equal for identical images at different physical addresses", () => {
    const m = new FakeRam(8 * MiB2);
    const a = buildImage(m, RAM);
    const b = buildImage(m, RAM + BigInt(4 * MiB2));
    expect(measureEnclave(m, b.root, entry, 0n)).toEqual(measureEnclave(m, a.root, entry, 0n));
  });

  it("changes when one byte of a mapped 4 KiB or 2 MiB page changes, or the entry point", () => {
    const m = new FakeRam(8 * MiB2);
    const img = buildImage(m, RAM);
    const before = measureEnclave(m, img.root, entry, 0n);
    expect(measureEnclave(m, img.root, entry + 4n, 0n)).not.toEqual(before);
    m.page(img.p6)[100] ^= 1;
    const afterSmall = measureEnclave(m, img.root, entry, 0n);
    expect(afterSmall).not.toEqual(before);
    m.page(img.big, MiB2)[MiB2 - 1] ^= 0x80;
    expect(measureEnclave(m, img.root, entry, 0n)).not.toEqual(afterSmall);
  });

  it("changes when byte 7 of an absorbed leaf changes; not for a leaf that follows a leaf (exact §5.1)", () => {
    const m = new FakeRam(8 * MiB2);
    const img = buildImage(m, RAM);
    const before = measureEnclave(m, img.root, entry, 0n);
    setPte(m, img.l1, 3, pte(img.p6, V | R, 0x41n));
    const changed = measureEnclave(m, img.root, entry, 0n);
    expect(changed).not.toEqual(before);
    setPte(m, img.l1, 1, pte(img.p5, V | R | W, 0x99n)); // l1[1] follows l1[0]: byte 7 not absorbed
    expect(measureEnclave(m, img.root, entry, 0n)).toEqual(changed);
  });

  it("with pteByte 0 (sPMP flavour) measures the permission bits", () => {
    const m = new FakeRam(8 * MiB2);
    const img = buildImage(m, RAM);
    const before = measureEnclave(m, img.root, entry, 0n, { pteByte: 0 });
    expect(before).not.toEqual(measureEnclave(m, img.root, entry, 0n));
    setPte(m, img.l1, 3, pte(img.p6, V | R | W, 0x40n)); // add W to a first-of-run leaf
    expect(measureEnclave(m, img.root, entry, 0n, { pteByte: 0 })).not.toEqual(before);
  });

  it("with pteByte 0 measures the permissions of every leaf (AT-1), not the A/D bits the hardware sets", () => {
    const m = new FakeRam(8 * MiB2);
    const img = buildImage(m, RAM);
    const before = measureEnclave(m, img.root, entry, 0n, { pteByte: 0 });
    // l1 entry 1 follows a leaf: not the start of a run
    setPte(m, img.l1, 1, pte(img.p5, V | R | W | 0xc0n, 0x33n)); // + A and D
    expect(measureEnclave(m, img.root, entry, 0n, { pteByte: 0 })).toEqual(before);
    setPte(m, img.l1, 1, pte(img.p5, V | R, 0x33n)); // W dropped
    expect(measureEnclave(m, img.root, entry, 0n, { pteByte: 0 })).not.toEqual(before);
  });

  it("refuses a table or leaf outside memory with a MeasurementError, never another exception", () => {
    const m = new FakeRam(8 * MiB2);
    const img = buildImage(m, RAM);
    setPte(m, img.l1, 5, pte(0x7000_0000n, V | R | W));
    const run = () => measureEnclave(m, img.root, entry, 0n);
    expect(run).toThrow(MeasurementError);
    try {
      run();
    } catch (e) {
      expect((e as MeasurementError).pa).toBe(0x7000_0000n);
      expect((e as MeasurementError).code).toBe("INVALID_ARGUMENT");
    }
    expect(() => measureEnclave(m, 0x1_0000_0000n, entry, 0n)).toThrow(MeasurementError); // root outside
  });

  it("refuses a walk over its byte budget (aliased huge pages)", () => {
    const m = new FakeRam(8 * MiB2);
    const img = buildImage(m, RAM);
    expect(() => measureEnclave(m, img.root, entry, 0n, { maxBytes: MiB2 })).toThrow(MeasurementError);
    expect(measureEnclave(m, img.root, entry, 0n, { maxBytes: MiB2 + 5 * KiB4 })).toEqual(expectedDigest(m, img, entry, 0n));
  });

  it("accepts the emulator's PhysicalMemory as its reader", () => {
    const mem = new PhysicalMemory(8 * MiB2);
    const fake = new FakeRam(8 * MiB2);
    const img = buildImage(fake, RAM);
    mem.write(RAM, fake.bytes);
    expect(measureEnclave(mem, img.root, entry, 3n)).toEqual(expectedDigest(fake, img, entry, 3n));
    setPte(fake, img.l1, 9, pte(RAM + BigInt(8 * MiB2), V | R));
    mem.write(RAM, fake.bytes);
    expect(() => measureEnclave(mem, img.root, entry, 3n)).toThrow(MeasurementError);
  });

  it("property: a random 4 KiB image equals a straightforward enumeration, at any base", () => {
    const slots = fc.uniqueArray(fc.integer({ min: 0, max: 511 }), { minLength: 0, maxLength: 12 });
    fc.assert(
      fc.property(
        slots,
        fc.integer({ min: 1, max: 1000 }),
        fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
        fc.integer({ min: 1, max: 3 }),
        (idx, salt, nonce, basePage) => {
          const m = new FakeRam(64 * KiB4 + 16 * KiB4);
          const base = RAM + BigInt(basePage * 16 * KiB4); // tables at +0..+2, data from +3
          const root = base,
            l2 = base + 4096n,
            l1 = base + 8192n;
          setPte(m, root, 0, pte(l2, V));
          setPte(m, l2, 0, pte(l1, V));
          const sorted = [...idx].sort((a, b) => a - b);
          // data pages are placed from page 3 of the image on, in slot order
          sorted.forEach((slot, k) => {
            const pa = base + BigInt((3 + k) * KiB4);
            fill(m.page(pa), salt + slot);
            setPte(m, l1, slot, pte(pa, V | R, BigInt(slot & 0xff)));
          });
          // straightforward: a leaf absorbs its VA and byte 7 iff its slot is 0 or the slot before is empty
          const h = createHash("sm3").update(u64le(7n));
          sorted.forEach((slot, k) => {
            if (slot === 0 || !sorted.includes(slot - 1)) {
              h.update(u64le(ROOT_VA + BigInt(slot) * 4096n)).update(Uint8Array.of(slot & 0xff));
            }
            h.update(m.page(base + BigInt((3 + k) * KiB4)));
          });
          h.update(u64le(nonce));
          expect(measureEnclave(m, root, 7n, nonce)).toEqual(new Uint8Array(h.digest()));
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe("measureEnclave, measured again", () => {
  it("an image measured again — other nonces, after a change of one byte and back — gives what a fresh SM3 gives", () => {
    const m = new FakeRam(16 * KiB4);
    const [root, l2, l1, data] = [0n, 1n, 2n, 3n].map((i) => RAM + i * 4096n) as [bigint, bigint, bigint, bigint];
    setPte(m, root, 0, pte(l2, V));
    setPte(m, l2, 0, pte(l1, V));
    setPte(m, l1, 0, pte(data, V | R | W));
    fill(m.page(data), 5);
    const expected = (nonce: bigint): Uint8Array =>
      new Uint8Array(
        createHash("sm3")
          .update(u64le(7n))
          .update(u64le(ROOT_VA))
          .update(Uint8Array.of(0))
          .update(m.page(data))
          .update(u64le(nonce))
          .digest(),
      );
    for (const nonce of [0n, 1n, 0n, 0xffff_ffff_ffff_ffffn]) expect(measureEnclave(m, root, 7n, nonce)).toEqual(expected(nonce));
    m.page(data)[17] ^= 4;
    expect(measureEnclave(m, root, 7n, 0n)).toEqual(expected(0n));
    m.page(data)[17] ^= 4;
    expect(measureEnclave(m, root, 7n, 3n)).toEqual(expected(3n));
  });
});

describe("updateHash (PGL §5.2, AT-2)", () => {
  it("is SM3(stored ‖ nonce LE) in a new buffer", () => {
    const stored = sm3(new TextEncoder().encode("enclave"));
    expect(updateHash(stored, 0x0102n)).toEqual(sm3(concatBytes(stored, Uint8Array.of(2, 1, 0, 0, 0, 0, 0, 0))));
  });

  it("property: never mutates its input and never returns it", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
        (stored, nonce) => {
          const copy = stored.slice();
          const out = updateHash(stored, nonce);
          expect(stored).toEqual(copy);
          expect(out).not.toBe(stored);
          expect(out.buffer).not.toBe(stored.buffer);
          expect(updateHash(stored, nonce)).toEqual(out);
        },
      ),
    );
  });

  it("rejects a stored hash of the wrong length", () => {
    expect(() => updateHash(new Uint8Array(31), 0n)).toThrow(RangeError);
  });
});
