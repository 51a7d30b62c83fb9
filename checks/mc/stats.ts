import type { Progress, SearchResult } from "./search.ts";

const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

/** Resident memory and heap, in MB. */
export function memoryMb(): { rss: number; heap: number } {
  const m = process.memoryUsage();
  return { rss: m.rss / 2 ** 20, heap: m.heapUsed / 2 ** 20 };
}

/** A TLC-style progress line (plain output). */
export function progressLine(p: Progress): string {
  const s = Math.max(p.elapsedMs / 1000, 1e-3);
  return `Progress(${p.depth}) at ${(p.elapsedMs / 1000).toFixed(1)}s: ${fmt(p.generated)} states generated (${fmt(p.generated / s)} s/s), ` +
    `${fmt(p.distinct)} distinct states found (${fmt(p.distinct / s)} ds/s), ${fmt(p.queue)} states left on queue. ` +
    `Memory ${fmt(memoryMb().rss)} MB.`;
}

/** A one-line progress bar for a TTY: the level being expanded, then the figures. */
export function progressBar(p: Progress, maxDepth: number, width = 24): string {
  const frac = p.levelSize ? p.levelDone / p.levelSize : 0;
  const full = Math.round(frac * width);
  const s = Math.max(p.elapsedMs / 1000, 1e-3);
  return `[${"#".repeat(full)}${".".repeat(width - full)}] depth ${p.depth}/${maxDepth} ${(frac * 100).toFixed(0).padStart(3)}% │ ` +
    `${fmt(p.distinct)} distinct (${fmt(p.distinct / s)}/s) │ ${fmt(p.generated)} generated │ queue ${fmt(p.queue)} │ ${fmt(memoryMb().rss)} MB`;
}

/** The closing statistics, TLC-style. */
export function finalStats(r: SearchResult, maxDepth: number): string[] {
  const s = Math.max(r.elapsedMs / 1000, 1e-3);
  const lines = [
    `${fmt(r.generated)} states generated, ${fmt(r.distinct)} distinct states found, ${fmt(r.queue)} states left on queue.`,
    r.complete
      ? `The depth of the complete state graph search is ${r.depth}.`
      : r.atBound
        ? `Depth bound ${maxDepth} reached: ${fmt(r.atBound)} states at depth ${r.depth} were not expanded (the search is not complete).`
        : `Search stopped at depth ${r.depth}.`,
    `${fmt(r.transitions)} transitions (events stepped, refusals included); ${r.workers} worker(s).`,
    `Finished in ${s.toFixed(2)}s: ${fmt(r.distinct / s)} distinct states/s, ${fmt(r.generated / s)} states generated/s.`,
    `Memory: ${fmt(memoryMb().rss)} MB resident, fingerprint table ${fmt(r.table.bytes / 2 ** 20)} MB (${fmt(r.table.capacity)} entries).`,
    `Fingerprint collision probability (optimistic, 64-bit): ${(r.distinct * r.generated / 2 ** 64).toExponential(1)}.`,
  ];
  return lines;
}
