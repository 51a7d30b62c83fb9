/** Host page runs the family generators hand to calls that take a region (shared by the family files). */
import type { System } from "../../../model/state.ts";

/** Start pages of aligned runs of `n` free host pages (within the window, after monitor and page-table pages). */
export function alignedHostRuns(s: System, n: number): number[] {
  const first = s.config.monitorPages + s.config.ptaPages;
  const out: number[] = [];
  for (let p = first; p + n <= s.pages.length; p += n) {
    let free = true;
    for (let i = p; i < p + n && free; i++) free = s.pages[i]!.owner === "host";
    if (free) out.push(p);
  }
  return out;
}

/** Start pages of aligned runs of `n` pages of which some are private (a malicious region). */
export function alignedTakenRuns(s: System, n: number): number[] {
  const first = s.config.monitorPages + s.config.ptaPages;
  const out: number[] = [];
  for (let p = first; p + n <= s.pages.length; p += n) {
    let taken = false;
    for (let i = p; i < p + n && !taken; i++) taken = s.pages[i]!.secure;
    if (taken) out.push(p);
  }
  return out;
}

/** Starts of runs of `n` consecutive free host pages (anywhere). */
export function hostRuns(s: System, n: number): number[] {
  const out: number[] = [];
  // a sliding window: how many of pages [p, p + n) are not the host's
  let busy = 0;
  for (let i = 0; i < Math.min(n, s.pages.length); i++) if (s.pages[i]!.owner !== "host") busy++;
  for (let p = 0; p + n <= s.pages.length; p++) {
    if (p > 0) {
      if (s.pages[p - 1]!.owner !== "host") busy--;
      if (s.pages[p + n - 1]!.owner !== "host") busy++;
    }
    if (busy === 0) out.push(p);
  }
  return out;
}

/** Free host pages outside `except`. */
export function hostPages(s: System, except: readonly number[] = []): number[] {
  const out: number[] = [];
  for (let p = 0; p < s.pages.length; p++) if (s.pages[p]!.owner === "host" && !except.includes(p)) out.push(p);
  return out;
}

/** Indexes of the elements of `xs` that satisfy `f`, in order (a loop: flatMap allocated an array per element). */
export function indexesWhere<T>(xs: readonly T[], f: (x: T, i: number) => boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < xs.length; i++) if (f(xs[i]!, i)) out.push(i);
  return out;
}

/** [from, from + 1, …, from + n − 1]. */
export function range(from: number, n: number): number[] {
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) out[i] = from + i;
  return out;
}

/** Live eids whose state is one of `states`. */
export function eidsIn(s: System, states: readonly string[], kind?: string): number[] {
  const out: number[] = [];
  s.enclaves.forEach((e, i) => states.includes(e.state) && (kind === undefined || e.kind === kind) && out.push(i));
  return out;
}
