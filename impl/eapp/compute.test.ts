import { describe, expect, it } from "vitest";
import { EcallRecorder, demoElf } from "./testing/ecallRecorder.ts";

/** The checksum of demos/compute/compute.c, recomputed here (same constants, 64-bit wrap-around). */
function reference(): bigint {
  const WORDS = 8192;
  const ROUNDS = 1 << 20;
  const M = (1n << 64n) - 1n;
  const table = new BigUint64Array(WORDS);
  let x = 0x9e3779b97f4a7c15n;
  let sum = 0n;
  for (let i = 0; i < ROUNDS; i++) {
    x = (x * 6364136223846793005n + 1442695040888963407n) & M;
    const j = Number((x >> 33n) & BigInt(WORDS - 1));
    table[j] ^= x;
    sum = (((sum << 7n) | (sum >> 57n)) & M) ^ table[j];
  }
  return sum;
}

describe("compute demo: a long loop preempted by the timer (PGL §6.1)", async () => {
  const elf = await demoElf("compute");
  const expected = reference();

  it("returns the reference checksum and prints it, with and without timer interrupts", () => {
    const quiet = new EcallRecorder(elf);
    expect(quiet.run(100_000_000)).toEqual({ kind: "exit", value: expected });
    const preempted = new EcallRecorder(elf, { timerTicks: 997 });
    expect(preempted.run(100_000_000)).toEqual({ kind: "exit", value: expected });
    expect(preempted.timerInterrupts).toBeGreaterThan(100);
    expect(preempted.prints()).toEqual([`compute: checksum 0x${expected.toString(16)} after ${1 << 20} rounds\n`]);
  });
});
