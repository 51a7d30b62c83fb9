import type { Event } from "../../model/events.ts";
import type { Result } from "../../model/result.ts";
import type { Counterexample } from "./trace.ts";

/** `path: old → new` for every leaf that differs between `a` and `b` (arrays by index). */
export function diff(a: unknown, b: unknown, path = "", out: string[] = []): string[] {
  if (a === b) return out;
  const isObj = (x: unknown) => x !== null && typeof x === "object";
  if (isObj(a) && isObj(b) && Array.isArray(a) === Array.isArray(b)) {
    const ao = a as Record<string, unknown>, bo = b as Record<string, unknown>;
    if (Array.isArray(a) && (a.length !== (b as unknown[]).length || !a.every((x) => isObj(x)))) {
      if (JSON.stringify(a) !== JSON.stringify(b)) out.push(`${path}: ${JSON.stringify(a)} → ${JSON.stringify(b)}`);
      return out;
    }
    for (const k of new Set([...Object.keys(ao), ...Object.keys(bo)])) {
      if (k === "config") continue;
      diff(ao[k], bo[k], Array.isArray(a) ? `${path}[${k}]` : path ? `${path}.${k}` : k, out);
    }
    return out;
  }
  out.push(`${path}: ${JSON.stringify(a)} → ${JSON.stringify(b)}`);
  return out;
}

/** An event on one line: its type, then its fields. */
export function showEvent(ev: Event): string {
  const { type, ...rest } = ev as Event & Record<string, unknown>;
  const args = Object.entries(rest).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return `${type}(${args.join(" ")})`;
}

function showResult(r: Result): string {
  return `${r.status} ${r.code}${r.value ? ` ${r.value}` : ""}`;
}

/** The counterexample as a table: step, event, result, what changed. */
export function formatCounterexample(cx: Counterexample): string {
  const rows: [string, string, string, string][] = [["step", "event", "result", "what changed"]];
  let prev = cx.initial;
  cx.steps.forEach((st, i) => {
    const changes = diff(prev, st.system);
    const shown = changes.length > 8 ? [...changes.slice(0, 8), `… ${changes.length - 8} more`] : changes;
    rows.push([String(i + 1), showEvent(st.event), showResult(st.result), shown.join("; ") || "(nothing)"]);
    prev = st.system;
  });
  const w = [0, 1, 2].map((c) => Math.min(70, Math.max(...rows.map((r) => r[c]!.length))));
  const line = (r: string[]) => r.map((x, c) => (c < 3 ? x.padEnd(w[c]!) : x)).join(" │ ");
  const out = [line(rows[0]!), w.map((x) => "─".repeat(x)).join("─┼─") + "─┼─" + "─".repeat(12)];
  for (const r of rows.slice(1)) out.push(line(r));
  out.push(`violated (${cx.kind === "step" ? "step invariant" : cx.kind === "state" ? "state invariant" : "deadlock"}): ${cx.ids.join(", ")} after ${cx.steps.length} step(s)`);
  return out.join("\n");
}
