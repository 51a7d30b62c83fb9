/**
 * Generator of the host's page-table writes through the monitor (SBI_SET_PTE, PGL §4.3): leaves —
 * valid ones, and invalid PROT_NONE-style ones that keep their target (Linux keeps the PFN of a
 * PROT_NONE page) — into a page-table page or, now and then, into a page that is not one (PT-3),
 * mapping a public page or, now and then, a private one (PT-4).
 *
 * Only leaves: the spec does not model the area's PGD/PMD/PTE sub-areas, which decide where a
 * pointer entry may point (setPte.ts checkEntry) and which page may be a satp root — so pointer
 * entries, MAP_PTE and satp writes would differ on rules the spec cannot state yet (OPEN).
 */
import { MAX_PTE_BATCH } from "../../../model/abi.ts";
import type { Event, EventOf } from "../../../model/events.ts";
import type { System } from "../../../model/state.ts";
import { between, pick } from "../../../spec/gen/rng.ts";

type Rand = () => number;
type Entry = EventOf<"adversary.setPte">["entries"][number];

function pagesOwnedBy(s: System, owners: readonly string[]): number[] {
  const out: number[] = [];
  for (let p = 0; p < s.pages.length; p++) if (owners.includes(s.pages[p]!.owner)) out.push(p);
  return out;
}

function entry(s: System, rand: Rand): Entry {
  const r = rand();
  const from = r < 0.65 ? ["host"] : r < 0.85 ? ["enclave", "monitor", "secureShm", "shadowRO", "relayEnclave"] : ["pta"];
  const candidates = pagesOwnedBy(s, from);
  const target = candidates.length ? pick(rand, candidates) : between(rand, 0, s.config.pages - 1);
  return { target, valid: rand() < 0.7, leaf: true };
}

/** One SET_PTE by the host on `hart`. */
export function pageTableEvent(s: System, rand: Rand, hart: number): Event {
  const pta = pagesOwnedBy(s, ["pta"]);
  const dest = pta.length && rand() < 0.85 ? pick(rand, pta) : between(rand, 0, s.config.pages - 1);
  const r = rand();
  const base = { type: "adversary.setPte" as const, hart, host: 0, dest };
  if (r < 0.5) return { ...base, mode: "one", entries: [entry(s, rand)] };
  if (r < 0.75) {
    // a batch of 1..4 records, rarely none (refused: INVALID_ARGUMENT)
    const n = rand() < 0.05 ? 0 : between(rand, 1, Math.min(4, MAX_PTE_BATCH));
    return { ...base, mode: "batchSet", entries: Array.from({ length: n }, () => entry(s, rand)) };
  }
  if (r < 0.9) return { ...base, mode: "memset", entries: rand() < 0.1 ? [entry(s, rand)] : [] };
  return { ...base, mode: "batchZero", entries: [] };
}
