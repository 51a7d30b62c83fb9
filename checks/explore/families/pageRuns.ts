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
  for (let p = first; p + n <= s.pages.length; p += n) if (s.pages.slice(p, p + n).some((x) => x.secure)) out.push(p);
  return out;
}

/** Starts of runs of `n` consecutive free host pages (anywhere). */
export function hostRuns(s: System, n: number): number[] {
  const out: number[] = [];
  for (let p = 0; p + n <= s.pages.length; p++) if (s.pages.slice(p, p + n).every((x) => x.owner === "host")) out.push(p);
  return out;
}

/** Free host pages outside `except`. */
export function hostPages(s: System, except: readonly number[] = []): number[] {
  const out: number[] = [];
  for (let p = 0; p < s.pages.length; p++) if (s.pages[p]!.owner === "host" && !except.includes(p)) out.push(p);
  return out;
}

export const range = (from: number, n: number): number[] => Array.from({ length: n }, (_, i) => from + i);

/** Live eids whose state is one of `states`. */
export function eidsIn(s: System, states: readonly string[], kind?: string): number[] {
  const out: number[] = [];
  s.enclaves.forEach((e, i) => states.includes(e.state) && (kind === undefined || e.kind === kind) && out.push(i));
  return out;
}
