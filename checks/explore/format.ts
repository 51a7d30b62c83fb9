/**
 * A failing run as a readable table: step, event, the spec's result, the implementation's, and what
 * the step changed in the spec state — then, for the failing step, what differs and why.
 */
import type { Result } from "../../model/result.ts";
import { diff, showEvent } from "../mc/format.ts";
import type { Failure, RunReport } from "./checkedRun.ts";

const showResult = (r: Result | undefined): string => (r ? `${r.status} ${r.code}${r.value ? ` ${r.value}` : ""}` : "—");

export function formatFailure(r: RunReport & { failure: Failure }): string {
  const f = r.failure;
  const rows: string[][] = [["step", "event", "spec result", "impl result", "what changed (spec)"]];
  let prev = r.initial;
  r.steps.forEach((st, i) => {
    const failing = i + 1 === f.step;
    const changes = diff(prev, st.system);
    const shown = changes.length > 6 ? [...changes.slice(0, 6), `… ${changes.length - 6} more`] : changes;
    const impl = failing ? showResult(f.implResult) : showResult(st.result);
    rows.push([
      String(i + 1) + (failing ? " ✗" : ""),
      showEvent(st.event),
      showResult(st.result),
      impl,
      shown.join("; ") || "(nothing)",
    ]);
    prev = st.system;
  });
  const w = [0, 1, 2, 3].map((c) => Math.min(60, Math.max(...rows.map((x) => x[c]!.length))));
  const clip = (s: string, n: number) => (s.length > n ? s.slice(0, n - 1) + "…" : s);
  const line = (x: string[]) => x.map((c, i) => (i < 4 ? clip(c, w[i]!).padEnd(w[i]!) : c)).join(" │ ");
  const out = [line(rows[0]!), w.map((n) => "─".repeat(n)).join("─┼─") + "─┼─" + "─".repeat(20)];
  for (const x of rows.slice(1)) out.push(line(x));
  out.push(`✗ step ${f.step} (${f.kind}): ${f.message}`);
  for (const d of f.differences.slice(0, 20))
    out.push(`    ${d.path}: spec ${JSON.stringify(d.spec)} ≠ impl ${JSON.stringify(d.impl)}`);
  if (f.differences.length > 20) out.push(`    … ${f.differences.length - 20} more differences`);
  return out.join("\n");
}
