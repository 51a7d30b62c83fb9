import { initialSystem, type System } from "../../model/state.ts";
import type { McConfig } from "./config.ts";
import { Expander, type Found, type SearchOptions } from "./expander.ts";
import type { StateTable } from "./fingerprint.ts";
import { GrowingFingerprintSet } from "./growingSet.ts";

/** Live figures of a running search (TLC's progress line). */
export interface Progress {
  /** Successor states computed, plus the initial state. */
  generated: number;
  /** Events stepped (including refused ones). */
  transitions: number;
  distinct: number;
  /** States waiting to be expanded. */
  queue: number;
  /** Depth of the level being expanded. */
  depth: number;
  /** States of the current level expanded so far, and its size. */
  levelDone: number;
  levelSize: number;
  elapsedMs: number;
}

/** The outcome of a search. */
export interface SearchResult extends Progress {
  /** The queue emptied before the depth bound: every reachable state (up to symmetry) was checked. */
  complete: boolean;
  /** States left unexpanded at the depth bound. */
  atBound: number;
  /** Violations (the first only, unless continueAfterViolation). */
  found: Found[];
  /** Number of deadlocked states (with `deadlock`). */
  deadlocks: number;
  table: StateTable;
  workers: number;
}

/** Options of `search`: search options plus a progress callback. */
export interface RunOptions extends SearchOptions {
  onProgress?: (p: Progress) => void;
  /** Milliseconds between progress callbacks (default 1000). */
  progressMs?: number;
}

/** Breadth-first search on this thread from `initialSystem(mc.spec)`. */
export function search(mc: McConfig, opts: RunOptions = {}): SearchResult {
  const table = new GrowingFingerprintSet(opts.tableBits);
  const x = new Expander(mc, opts, table);
  const found: Found[] = [];
  let deadlocks = 0;
  let stop = false;
  const onFound = (f: Found) => {
    if (f.kind === "deadlock") {
      deadlocks++;
      if (deadlocks > 1) return;
    }
    found.push(f);
    if (!opts.continueAfterViolation) stop = true;
  };
  const t0 = performance.now();
  const s0 = initialSystem(mc.spec);
  const slot0 = x.initial(s0, onFound);
  let level: System[] = found.length ? [] : [s0];
  let slots: number[] = [slot0];
  let depth = 0;
  let nextT = t0 + (opts.progressMs ?? 1000);
  const progress = (done: number, size: number, queue: number): Progress => ({
    generated: x.generated + 1,
    transitions: x.transitions,
    distinct: table.size,
    queue,
    depth,
    levelDone: done,
    levelSize: size,
    elapsedMs: performance.now() - t0,
  });
  let size = level.length; // states of the level (those at the depth bound are counted, not kept)
  while (size && depth < mc.maxDepth && !stop) {
    const next: System[] = [];
    const nextSlots: number[] = [];
    let nextSize = 0;
    // states at the depth bound are never expanded: count them only
    const push =
      depth + 1 < mc.maxDepth
        ? (t: System, at: number) => {
            next.push(t);
            nextSlots.push(at);
            nextSize++;
          }
        : () => {
            nextSize++;
          };
    for (let i = 0; i < level.length && !stop; i++) {
      x.expand(level[i]!, slots[i]!, depth, push, onFound);
      if (opts.onProgress && (i & 63) === 0 && performance.now() >= nextT) {
        opts.onProgress(progress(i + 1, level.length, level.length - i - 1 + nextSize));
        nextT = performance.now() + (opts.progressMs ?? 1000);
      }
    }
    level = next;
    slots = nextSlots;
    size = nextSize;
    depth++;
  }
  const atBound = stop ? 0 : size;
  // the progress record completed in place: spreading it into a new literal deoptimized `search` at every return
  return Object.assign(progress(0, 0, stop ? size : 0), {
    depth,
    complete: !stop && size === 0,
    atBound,
    found,
    deadlocks,
    table,
    workers: 1,
  });
}
