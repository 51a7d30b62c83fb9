// Minimal programs from differential mismatches (repro.ts): QEMU and the emulator must report the
// same first trap cause. Part of `npm run test:qemu`.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runBareMetal } from "../baremetal.ts";
import { runQemuFile } from "./qemu.ts";
import { nonLeafReservedBits, pmpPartialMatchM } from "./repro.ts";

async function causes(elf: Uint8Array): Promise<{ qemu: number | null; emulator: number }> {
  const dir = mkdtempSync(join(tmpdir(), "rvrepro-"));
  try {
    writeFileSync(join(dir, "p.elf"), elf);
    const q = await runQemuFile(join(dir, "p.elf"));
    const e = runBareMetal(elf, { maxInstructions: 100_000 });
    return { qemu: q.status, emulator: e.exitCode };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("differential regressions", () => {
  it("non-leaf PTE with V only: the walk goes through (ecall from S, 9)", async () => {
    expect(await causes(nonLeafReservedBits(0x01n))).toEqual({ qemu: 9, emulator: 9 });
  });
  for (const [name, f] of [["U", 0x11n], ["A", 0x41n], ["D", 0x81n]] as const) {
    it(`non-leaf PTE with ${name} set: load page fault (13)`, async () => {
      expect(await causes(nonLeafReservedBits(f))).toEqual({ qemu: 13, emulator: 13 });
    });
  }
  it("M-mode store partially matching an unlocked PMP entry: store access fault (7)", async () => {
    expect(await causes(pmpPartialMatchM())).toEqual({ qemu: 7, emulator: 7 });
  });
});
