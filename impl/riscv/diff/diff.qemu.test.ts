// Differential testing against QEMU (riscv.md §2; issue 3 "How it is tested"): random programs with
// privileged sequences run on qemu-system-riscv64 -machine spike and on our emulator; the final
// architectural state dumps must agree. DIFF_PROGRAMS (default 1000) and DIFF_SEED (default 1)
// choose the programs; program k is generated from seed DIFF_SEED + k (reproduce one with
// `programForSeed`). Part of `npm run test:qemu` only.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { programArb } from "./arb.ts";
import { formatMismatch, runDifferential } from "./differential.ts";
import { parseDump } from "./dump.ts";
import { assemble } from "./program.ts";
import { runQemuBatch } from "./qemu.ts";

const COUNT = Number(process.env.DIFF_PROGRAMS ?? 1000);
const SEED = Number(process.env.DIFF_SEED ?? 1);

describe("generated programs on QEMU", () => {
  it("run to completion, dump a well-formed state, and are deterministic", async () => {
    const elfs = fc.sample(programArb, { seed: 7, numRuns: 24 }).map((p) => assemble(p).elf);
    const [a, b] = [await runQemuBatch(elfs), await runQemuBatch(elfs)];
    for (let i = 0; i < elfs.length; i++) {
      expect(a[i].timedOut).toBe(false);
      expect(a[i].status).toBe(0);
      const d = parseDump(a[i].stdout);
      expect(d.ok ? "ok" : d.error).toBe("ok");
      expect(b[i].stdout).toBe(a[i].stdout);
    }
  });
});

describe(`QEMU vs emulator on ${COUNT} random programs (seeds ${SEED}..${SEED + COUNT - 1})`, () => {
  it("agree on x1..x31, the dumped CSRs, the memory signature and the trap log", async () => {
    const r = await runDifferential({ count: COUNT, seed: SEED, maxShrink: 3 });
    console.log(
      `differential: ${r.programs} programs, ${r.agreed} agreed, ${r.mismatches.length} mismatches, ` +
        `${r.qemuTimeouts} QEMU timeouts, ${(r.ms / 1000).toFixed(1)} s; allowances used: ${JSON.stringify(r.allowances)}`,
    );
    expect(r.mismatches.map(formatMismatch)).toEqual([]);
  });
});
