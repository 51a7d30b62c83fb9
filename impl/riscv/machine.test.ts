import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { createHash } from "node:crypto";
import { Machine } from "./machine.ts";
import { CSR } from "./csrNumbers.ts";
import * as E from "./asm/encode.ts";

const RAM = 0x8000_0000n;
const words = (ws: number[]): Uint8Array => {
  const b = new Uint8Array(ws.length * 4);
  const v = new DataView(b.buffer);
  ws.forEach((w, i) => v.setUint32(i * 4, w >>> 0, true));
  return b;
};

function fingerprint(m: Machine): string {
  const h = createHash("sha256");
  for (const hart of m.harts) {
    h.update(hart.regs);
    h.update(hart.pc.toString());
    h.update(String(hart.priv));
  }
  h.update(m.mem.read(RAM, 1 << 16));
  return h.digest("hex");
}

describe("Machine", () => {
  it("never throws whatever the guest does: random code, random privileged state (§ no JS exceptions)", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 4096, maxLength: 4096 }),
        fc.constantFrom(0, 1, 3),
        fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
        fc.array(
          fc.tuple(
            fc.integer({ min: 0, max: 15 }),
            fc.integer({ min: 0, max: 255 }),
            fc.bigInt({ min: 0n, max: (1n << 54n) - 1n }),
          ),
          { maxLength: 4 },
        ),
        fc.integer({ min: 0, max: 0x7fffff }),
        fc.integer({ min: 1, max: 3 }),
        (code, priv, satp, pmps, mstatus, harts) => {
          const m = new Machine({ harts, ramSize: 1 << 20, seed: 7 });
          m.mem.write(RAM, code);
          m.mem.write(RAM + 0x1000n, code); // also garbage "page tables"
          m.reset(RAM);
          for (const h of m.harts) {
            h.csrWrite(CSR.mtvec, RAM + 0x40n);
            h.csrWrite(CSR.stvec, RAM + 0x80n);
            h.csrWrite(CSR.medeleg, 0xffffn);
            h.csrWrite(CSR.mstatus, BigInt(mstatus));
            h.csrWrite(CSR.satp, (8n << 60n) | (satp & ((1n << 44n) - 1n)) | ((RAM + 0x1000n) >> 12n));
            for (const [i, cfg, addr] of pmps) {
              h.csrWrite(CSR.pmpaddr0 + i, addr);
              h.csrWrite(CSR.pmpcfg0 + (i >= 8 ? 2 : 0), BigInt(cfg) << BigInt(8 * (i % 8)));
            }
            h.setPriv(priv);
          }
          m.run(3000);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("replays exactly from its seed (deterministic interleaving of harts)", () => {
    // each hart increments a shared counter with a racy load/add/store: the interleaving decides the result
    const prog = words([
      E.auipc(5, 0x1), // t0 = shared counter page
      E.addi(6, 0, 200), // t1 = iterations
      E.ld(7, 5, 0), // loop: t2 = *t0
      E.addi(7, 7, 1),
      E.sd(7, 5, 0),
      E.addi(6, 6, -1),
      E.bne(6, 0, -16),
      E.jal(0, 0), // spin
    ]);
    const runOnce = (seed: number): string => {
      const m = new Machine({ harts: 3, ramSize: 1 << 20, seed, quantum: 7 });
      m.mem.write(RAM, prog);
      m.reset(RAM);
      m.run(5000);
      return fingerprint(m);
    };
    expect(runOnce(42)).toBe(runOnce(42));
    const distinct = new Set([1, 2, 3, 4, 5, 6].map(runOnce));
    expect(distinct.size).toBeGreaterThan(1); // the seed really drives the interleaving
  });

  it("hands every trap into M to the registered firmware and returns through MRET", () => {
    const m = new Machine({ harts: 1, ramSize: 1 << 20 });
    // U-mode code at RAM: a0 = 5; ecall; a1 = a0 + 1; spin
    m.mem.write(RAM, words([E.addi(10, 0, 5), 0x00000073, E.addi(11, 10, 1), E.jal(0, 0)]));
    m.reset(RAM);
    const h = m.harts[0];
    // PMP: let U-mode reach all memory (TOR up to 2^56)
    h.csrWrite(CSR.pmpaddr0, (1n << 54n) - 1n);
    h.csrWrite(CSR.pmpcfg0, 0x0fn);
    h.setPriv(0);
    const seen: bigint[] = [];
    m.setFirmware((hart) => {
      seen.push(hart.csrRead(CSR.mcause));
      expect(hart.priv).toBe(3);
      hart.setX(10, hart.x(10) * 10n);
      hart.csrWrite(CSR.mepc, hart.csrRead(CSR.mepc) + 4n);
    });
    m.run(10);
    expect(seen).toEqual([8n]); // ecall from U
    expect(h.priv).toBe(0); // MRET went back to U (MPP)
    expect(h.x(11)).toBe(51n);
  });

  it("takes the CLINT timer interrupt exactly when mtime reaches mtimecmp", () => {
    const m = new Machine({ harts: 1, ramSize: 1 << 20, instructionsPerTick: 10 });
    m.mem.write(RAM, words([E.addi(5, 5, 1), E.jal(0, -4)]));
    m.mem.write(RAM + 0x100n, words([E.jal(0, 0)]));
    m.reset(RAM);
    const h = m.harts[0];
    h.csrWrite(CSR.mtvec, RAM + 0x100n);
    h.csrWrite(CSR.mie, 1n << 7n);
    h.csrWrite(CSR.mstatus, 1n << 3n);
    m.clint.store(0x4000, 8, 50n); // mtimecmp[0] = 50 ticks = 500 instructions
    m.run(500); // mtime reaches 50 as the 500th instruction completes
    expect(h.csrRead(CSR.mcause)).toBe(0n);
    expect(h.x(5)).toBe(250n);
    m.run(1); // taken before the 501st instruction
    expect(h.csrRead(CSR.mcause)).toBe((1n << 63n) | 7n);
    expect(h.csrRead(CSR.mepc)).toBe(RAM); // the next instruction not yet executed
    expect(h.pc).toBe(RAM + 0x100n);
  });
});
