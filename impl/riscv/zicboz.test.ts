import { describe, expect, it } from "vitest";
import { Machine } from "./machine.ts";
import { CSR } from "./csrNumbers.ts";
import * as E from "./asm/encode.ts";
import { ENVCFG_CBZE } from "./zicboz.ts";

const RAM = 0x8000_0000n;
const DATA = RAM + 0x4000n;
const words = (ws: number[]): Uint8Array => {
  const b = new Uint8Array(ws.length * 4);
  ws.forEach((w, i) => new DataView(b.buffer).setUint32(i * 4, w >>> 0, true));
  return b;
};

/**
 * One hart at `priv` running `cbo.zero (a0)` then spinning; M trap handler (spinning) at RAM+0x100.
 * PMP: RWX everywhere, or with `dataReadOnly` RWX below DATA and read-only from DATA on.
 */
function setup(priv: number, a0: bigint, menvcfg = 0n, senvcfg = 0n, dataReadOnly = false) {
  const m = new Machine({ harts: 1, ramSize: 1 << 20 });
  m.mem.write(RAM, words([E.cboZero(10), E.jal(0, 0)]));
  m.mem.write(RAM + 0x100n, words([E.jal(0, 0)]));
  m.mem.write(DATA, new Uint8Array(0x200).fill(0xab));
  m.reset(RAM);
  const h = m.harts[0]!;
  h.csrWrite(CSR.mtvec, RAM + 0x100n);
  if (dataReadOnly) {
    h.csrWrite(CSR.pmpaddr0, DATA >> 2n);
    h.csrWrite(CSR.pmpaddr0 + 1, (1n << 54n) - 1n);
    h.csrWrite(CSR.pmpcfg0, 0x0fn | (0x09n << 8n)); // TOR RWX, then TOR R
  } else {
    h.csrWrite(CSR.pmpaddr0, (1n << 54n) - 1n);
    h.csrWrite(CSR.pmpcfg0, 0x0fn); // TOR over everything, RWX
  }
  h.csrWrite(CSR.menvcfg, menvcfg);
  h.csrWrite(CSR.senvcfg, senvcfg);
  h.setX(10, a0);
  h.setPriv(priv);
  m.run(2);
  return { m, h };
}

const zeroed = (m: Machine): number[] => {
  const b = m.mem.read(DATA, 0x200);
  return [...b].flatMap((x, i) => (x === 0 ? [i] : []));
};
const range = (lo: number, n: number): number[] => Array.from({ length: n }, (_, i) => lo + i);

describe("Zicboz cbo.zero", () => {
  it("zeroes the naturally aligned 64-byte block holding the address, nothing else (M-mode)", () => {
    const { m, h } = setup(3, DATA + 0x47n);
    expect(zeroed(m)).toEqual(range(0x40, 64));
    expect(h.pc).toBe(RAM + 4n);
  });

  it("is illegal in S unless menvcfg.CBZE, and in U unless senvcfg.CBZE too", () => {
    for (const [priv, menv, senv, legal] of [
      [1, 0n, 0n, false],
      [1, ENVCFG_CBZE, 0n, true],
      [0, ENVCFG_CBZE, 0n, false],
      [0, 0n, ENVCFG_CBZE, false],
      [0, ENVCFG_CBZE, ENVCFG_CBZE, true],
    ] as const) {
      const { m, h } = setup(priv, DATA + 0x80n, menv, senv);
      const what = `priv ${priv} menvcfg ${menv} senvcfg ${senv}`;
      expect(zeroed(m), what).toEqual(legal ? range(0x80, 64) : []);
      if (!legal) {
        expect(h.csrRead(CSR.mcause), what).toBe(2n);
        expect(h.csrRead(CSR.mtval), what).toBe(BigInt(E.cboZero(10)));
      }
    }
  });

  it("keeps CBZE writable in menvcfg and senvcfg (with FIOM), nothing else", () => {
    const { h } = setup(3, DATA);
    h.csrWrite(CSR.menvcfg, -1n & ((1n << 64n) - 1n));
    h.csrWrite(CSR.senvcfg, -1n & ((1n << 64n) - 1n));
    expect(h.csrRead(CSR.menvcfg)).toBe(ENVCFG_CBZE | 1n);
    expect(h.csrRead(CSR.senvcfg)).toBe(ENVCFG_CBZE | 1n);
  });

  it("is a store for PMP: a block S may only read is a store access fault with the block's address", () => {
    const { m, h } = setup(1, DATA + 0x13n, ENVCFG_CBZE, 0n, true);
    expect(h.csrRead(CSR.mcause)).toBe(7n);
    expect(h.csrRead(CSR.mtval)).toBe(DATA);
    expect(zeroed(m)).toEqual([]);
  });

  it("keeps decoded code coherent: zeroed instructions are not executed afterwards", () => {
    const m = new Machine({ harts: 1, ramSize: 1 << 20 });
    // 0: cbo.zero (a0) where a0 = RAM + 0x40; 4: jal to 0x40; 0x40: addi a1, a1, 1 (zeroed before it runs → illegal)
    m.mem.write(RAM, words([E.cboZero(10), E.jal(0, 0x3c)]));
    m.mem.write(RAM + 0x40n, words([E.addi(11, 11, 1), E.jal(0, 0)]));
    m.mem.write(RAM + 0x100n, words([E.jal(0, 0)]));
    m.reset(RAM);
    const h = m.harts[0]!;
    h.csrWrite(CSR.mtvec, RAM + 0x100n);
    h.setX(10, RAM + 0x40n);
    m.run(1); // decode and run once so the page's code is cached, then zero it
    m.run(3);
    expect(h.csrRead(CSR.mcause)).toBe(2n);
    expect(h.x(11)).toBe(0n);
  });
});
