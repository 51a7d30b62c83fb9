/**
 * Runs every committed directed bare-metal fixture (impl/riscv/tests/bin/*.elf, built by the
 * Makefile from impl/riscv/tests/src) on the emulator and expects it to pass. Programs named
 * `mp<N>_*` need N harts. No cross toolchain is needed: the ELFs are committed.
 */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runBareMetal } from "./baremetal.ts";

const binDir = new URL("./tests/bin/", import.meta.url);
const fixtures = readdirSync(binDir)
  .filter((f) => f.endsWith(".elf"))
  .sort();

/** Harts a program needs, from its name (`mp2_ipi.elf` → 2). */
function hartsFor(name: string): number {
  const m = /^mp(\d+)_/.exec(name);
  return m ? Number(m[1]) : 1;
}

describe("directed bare-metal programs (impl/riscv/tests)", () => {
  it("finds the fixtures", () => {
    expect(fixtures.length).toBeGreaterThan(20);
  });

  // Multi-hart programs also run under several interleavings (riscv.md: deterministic per seed).
  const runs = fixtures.flatMap((file) =>
    hartsFor(file) > 1 ? [1, 2, 3, 42, 1234].map((seed) => [file, seed] as const) : [[file, 1] as const],
  );

  it.each(runs)("%s passes (seed %i)", (file, seed) => {
    const elf = new Uint8Array(readFileSync(new URL(file, binDir)));
    const r = runBareMetal(elf, { harts: hartsFor(file), maxInstructions: 20_000_000, seed });
    const what =
      r.status === "fail"
        ? `failed check ${r.exitCode} (tohost 0x${r.tohost.toString(16)}; see the program's CHECK ${r.exitCode})`
        : r.status === "timeout"
          ? `timed out after ${r.instructions} instructions`
          : "passed";
    expect(what).toBe("passed");
  });
});
