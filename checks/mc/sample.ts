import { initialSystem, type System } from "../../model/state.ts";
import { step } from "../../spec/step.ts";
import { Canonicalizer } from "./canonical.ts";
import type { McConfig } from "./config.ts";
import { enumerateEvents, EXTRA_STRINGS } from "./enumerate.ts";

/**
 * The first `limit` states of a breadth-first search of `mc` up to its depth bound, one per orbit
 * (symmetric fingerprints, reduced enumeration, pruned with `prune`): a sample of reachable states
 * for tests (prune.test.ts) and cost measurements (costs.ts).
 */
export function reachableSample(mc: McConfig, limit: number, prune = false): System[] {
  const canon = new Canonicalizer(mc, true, EXTRA_STRINGS);
  const seen = new Set<string>();
  const out: System[] = [];
  const s0 = initialSystem(mc.spec);
  canon.fingerprint(s0);
  seen.add(`${canon.hi}:${canon.lo}`);
  let level = [s0];
  for (let d = 0; d <= mc.maxDepth && level.length && out.length < limit; d++) {
    const next: System[] = [];
    for (const s of level) {
      if (out.length >= limit) break;
      out.push(s);
      for (const ev of enumerateEvents(s, mc, true, prune)) {
        const t = step(s, ev).state;
        canon.fingerprint(t);
        const k = `${canon.hi}:${canon.lo}`;
        if (!seen.has(k)) {
          seen.add(k);
          next.push(t);
        }
      }
    }
    level = next;
  }
  return out;
}
