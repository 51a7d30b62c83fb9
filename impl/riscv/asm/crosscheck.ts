/**
 * Cross-checking helpers: random valid operands for every table mnemonic, and assembling a
 * listing with GNU `as` to compare its bytes with our encoder (used by `encode.qemu.test.ts`
 * where the Debian cross toolchain is installed — toolchain.md "RISC-V toolchain").
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AMO_OPS, type AmoOp } from "./encode.ts";
import { Asm } from "./asm.ts";
import { I32, IC, type Name32, type NameC } from "./table.ts";

/** A tiny deterministic PRNG (xorshift32) so cross-checks are reproducible from a seed. */
export function rng(seed: number): (n: number) => number {
  let s = seed >>> 0 || 1;
  return (n: number) => {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    return s % n;
  };
}

/** Random valid operands for a 32-bit mnemonic. */
export function operands32(name: Name32, r: (n: number) => number): number[] {
  const reg = () => r(32);
  const s12 = () => r(4096) - 2048;
  switch (I32[name].fmt) {
    case "R": return [reg(), reg(), reg()];
    case "I": return [reg(), reg(), s12()];
    case "SH": return [reg(), reg(), r(name.endsWith("w") ? 32 : 64)];
    case "L": case "S": return [reg(), reg(), s12()];
    case "B": return [reg(), reg(), (r(4096) - 2048) * 2];
    case "U": return [reg(), r(1 << 20)];
    case "J": return [reg(), (r(1 << 20) - (1 << 19)) * 2];
    case "CSR": return [reg(), r(4096), reg()];
    case "CSRI": return [reg(), r(4096), r(32)];
    case "SFENCE": return [reg(), reg()];
    case "NONE": return [];
  }
}

/** Random valid operands for a compressed mnemonic. */
export function operandsC(name: NameC, r: (n: number) => number): number[] {
  const nz = () => 1 + r(31);
  const cr = () => 8 + r(8);
  const s6nz = () => { const v = r(63) - 32; return v >= 0 ? v + 1 : v; };
  switch (name) {
    case "c.nop": case "c.ebreak": return [];
    case "c.addi": return [nz(), s6nz()];
    case "c.addiw": case "c.li": return [nz(), r(64) - 32];
    case "c.lui": { let rd = nz(); if (rd === 2) rd = 3; return [rd, s6nz()]; }
    case "c.addi16sp": { const v = (r(63) - 32) * 16; return [v >= 0 ? v + 16 : v]; }
    case "c.addi4spn": return [cr(), 4 * (1 + r(255))];
    case "c.slli": return [nz(), 1 + r(63)];
    case "c.srli": case "c.srai": return [cr(), 1 + r(63)];
    case "c.andi": return [cr(), r(64) - 32];
    case "c.sub": case "c.xor": case "c.or": case "c.and": case "c.subw": case "c.addw": return [cr(), cr()];
    case "c.mv": case "c.add": return [nz(), nz()];
    case "c.jr": case "c.jalr": return [nz()];
    case "c.j": return [(r(2048) - 1024) * 2];
    case "c.beqz": case "c.bnez": return [cr(), (r(256) - 128) * 2];
    case "c.lw": case "c.sw": return [cr(), cr(), 4 * r(32)];
    case "c.ld": case "c.sd": return [cr(), cr(), 8 * r(32)];
    case "c.lwsp": return [nz(), 4 * r(64)];
    case "c.swsp": return [r(32), 4 * r(64)];
    case "c.ldsp": return [nz(), 8 * r(64)];
    case "c.sdsp": return [r(32), 8 * r(64)];
  }
}

/** Emit `perName` random instances of every mnemonic (32-bit, compressed, A-extension, fence). */
export function emitAll(a: Asm, seed: number, perName: number): void {
  const r = rng(seed);
  for (const name of Object.keys(I32) as Name32[]) for (let k = 0; k < perName; k++) a.i(name, ...operands32(name, r));
  for (const name of Object.keys(IC) as NameC[]) for (let k = 0; k < perName; k++) a.c(name, ...operandsC(name, r));
  for (const op of Object.keys(AMO_OPS) as AmoOp[]) {
    for (let k = 0; k < perName; k++) a.amo(op, r(2) ? "w" : "d", r(32), r(32), r(32), r(2) === 1, r(2) === 1);
  }
  for (let k = 0; k < perName; k++) a.fence(1 + r(15), 1 + r(15));
}

/**
 * Assemble listing lines with `riscv64-unknown-elf-as` (norvc, so only explicit `c.` mnemonics
 * are compressed) and return the raw .text bytes.
 */
export function gnuAssemble(lines: string[]): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), "rvasm-"));
  try {
    const src = join(dir, "t.S");
    const body = lines.map((l) => (l.startsWith("c.") ? `.option rvc\n  ${l}\n.option norvc` : `  ${l}`));
    writeFileSync(src, [".option norvc", ".text", ...body, ""].join("\n"));
    execFileSync("riscv64-unknown-elf-as", ["-march=rv64imac_zicsr_zifencei", "-o", join(dir, "t.o"), src], { stdio: "pipe" });
    execFileSync("riscv64-unknown-elf-objcopy", ["-O", "binary", "-j", ".text", join(dir, "t.o"), join(dir, "t.bin")]);
    return new Uint8Array(readFileSync(join(dir, "t.bin")));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
