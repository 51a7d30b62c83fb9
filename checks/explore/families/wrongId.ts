/** Ids for calls the generators mean to be refused (shared by generate.ts and the family generators). */
import type { System } from "../../../model/state.ts";
import { between, pick } from "../../../spec/gen/rng.ts";

/**
 * An enclave id: with probability `pLive` one of `live` (if any), up to `pSlot` any slot, else one of
 * `outOfRange` (SP-3).
 */
export function wrongEid(
  s: System,
  rand: () => number,
  live: number[],
  outOfRange: number[],
  pLive: number,
  pSlot: number,
): number {
  const q = rand();
  return q < pLive && live.length
    ? pick(rand, live)
    : q < pSlot
      ? between(rand, 0, s.config.enclaves - 1)
      : pick(rand, outOfRange);
}
