import { describe, expect, it } from "vitest";
import { Machine } from "./machine.ts";
import { CSR } from "./csrNumbers.ts";
import * as E from "./asm/encode.ts";

const RAM = 0x8000_0000n;
const INT = 1n << 63n;
const words = (ws: number[]): Uint8Array => {
  const b = new Uint8Array(ws.length * 4);
  ws.forEach((w, i) => new DataView(b.buffer).setUint32(i * 4, w >>> 0, true));
  return b;
};

/** A hart spinning at RAM in `priv`, handlers (also spinning) at RAM+0x100 (M) and RAM+0x200 (S). */
function setup(priv: number) {
  const m = new Machine({ harts: 1, ramSize: 1 << 20 });
  m.mem.write(RAM, words([E.jal(0, 0)]));
  m.mem.write(RAM + 0x100n, words([E.jal(0, 0)]));
  m.mem.write(RAM + 0x200n, words([E.jal(0, 0)]));
  m.reset(RAM);
  const h = m.harts[0];
  h.csrWrite(CSR.mtvec, RAM + 0x100n);
  h.csrWrite(CSR.stvec, RAM + 0x200n);
  h.csrWrite(CSR.pmpaddr0, (1n << 54n) - 1n);
  h.csrWrite(CSR.pmpcfg0, 0x0fn);
  h.setPriv(priv);
  return { m, h };
}

describe("interrupts (riscv.md §6.2)", () => {
  it("takes pending interrupts in the order MEI > MSI > MTI > SEI > SSI > STI", () => {
    const { m, h } = setup(0);
    h.csrWrite(CSR.mie, 0xaaan);
    h.csrWrite(CSR.mip, (1n << 1n) | (1n << 5n) | (1n << 9n)); // SSIP, STIP, SEIP (writable by M)
    m.clint.store(0, 4, 1n); // MSIP
    m.clint.store(0x4000, 8, 0n); // MTIP: mtime ≥ 0
    h.externalInterrupt = true; // MEIP
    const order: bigint[] = [];
    const clear: Record<string, () => void> = {
      "11": () => (h.externalInterrupt = false),
      "3": () => m.clint.store(0, 4, 0n),
      "7": () => m.clint.store(0x4000, 8, (1n << 64n) - 1n),
    };
    for (let i = 0; i < 6; i++) {
      m.run(1);
      const cause = h.csrRead(CSR.mcause) & ~INT;
      order.push(cause);
      // acknowledge the source, return to U (mret) and go on
      if (clear[String(cause)]) clear[String(cause)]();
      else h.csrWrite(CSR.mip, h.csrRead(CSR.mip) & ~(1n << cause));
      h.csrWrite(CSR.mstatus, 0n); // MPP = U
      h.pc = RAM;
      h.setPriv(0);
    }
    expect(order).toEqual([11n, 3n, 7n, 9n, 1n, 5n]);
  });

  it("masks M interrupts in M unless MIE, and never takes delegated ones in M", () => {
    const { m, h } = setup(3);
    h.csrWrite(CSR.mie, 0xaaan);
    h.csrWrite(CSR.mideleg, 1n << 5n);
    h.csrWrite(CSR.mip, 1n << 5n); // STIP, delegated
    m.run(3);
    expect(h.csrRead(CSR.mcause)).toBe(0n);
    h.csrWrite(CSR.mstatus, 1n << 3n); // MIE: still not taken (delegated)
    m.run(3);
    expect(h.csrRead(CSR.mcause)).toBe(0n);
    m.clint.store(0, 4, 1n); // MSIP: M-level, MIE set → taken
    m.run(1);
    expect(h.csrRead(CSR.mcause)).toBe(INT | 3n);
  });

  it("delivers a delegated interrupt to S from U even with SIE clear, with S's vector and stack", () => {
    const { m, h } = setup(0);
    h.csrWrite(CSR.stvec, (RAM + 0x200n) | 1n); // vectored
    h.csrWrite(CSR.mideleg, 1n << 1n);
    h.csrWrite(CSR.mie, 1n << 1n);
    h.csrWrite(CSR.sip, 0n);
    h.csrWrite(CSR.mip, 1n << 1n); // SSIP
    m.mem.write(RAM + 0x204n, words([E.jal(0, 0)]));
    m.run(1);
    expect(h.csrRead(CSR.scause)).toBe(INT | 1n);
    expect(h.priv).toBe(1);
    expect(h.pc).toBe(RAM + 0x204n); // BASE + 4 × cause
    expect(h.csrRead(CSR.sepc)).toBe(RAM);
    expect(h.csrRead(CSR.mcause)).toBe(0n); // M untouched
  });
});
