/**
 * The host SBI return convention of PGL §1.1: for a result r (as unsigned 64-bit) when the hart is
 * back in the host, 0 ≤ r ≤ 100 (SBI_LEGAL_MAX) is returned as a0 = 0, a1 = r; anything else
 * (negative codes) as a0 = r. The Linux wrapper reads a1 if a0 = 0 else a0.
 */
import type { Hart } from "../riscv/hart.ts";

export const SBI_LEGAL_MAX = 100n;

export function setHostResult(hart: Hart, r: bigint): void {
  const u = BigInt.asUintN(64, r);
  if (u <= SBI_LEGAL_MAX) {
    hart.setX(10, 0n);
    hart.setX(11, u);
  } else hart.setX(10, u);
}
