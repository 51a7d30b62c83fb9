import type { AnyStateMachine } from "xstate";
import type { Outcome, TransitionTable } from "../tables/deriveTable.ts";

/**
 * Test support: expected behaviour of a machine written as rows
 * `"<state> <OPERATION> <fact,fact|-> -> <targetState|ERROR_CODE>"`, and a check that the rows
 * cover every transition and every guard outcome the machine defines.
 */
export interface Row {
  text: string;
  state: string;
  event: string;
  facts: number;
  expected: Outcome;
}

/** Parses rows; fact names are looked up in `factBits`. */
export function parseRows(rows: readonly string[], factBits: Readonly<Record<string, number>>): Row[] {
  return rows.map((text) => {
    const m = /^(\S+) (\S+) (\S+) -> (\S+)$/.exec(text);
    if (!m) throw new Error(`bad row: ${text}`);
    const [, state, event, facts, out] = m as unknown as [string, string, string, string, string];
    let bits = 0;
    if (facts !== "-")
      for (const f of facts.split(",")) {
        if (!(f in factBits)) throw new Error(`unknown fact ${f} in ${text}`);
        bits |= factBits[f]!;
      }
    const expected: Outcome = /^[A-Z_]+$/.test(out) ? { ok: false, code: out as never } : { ok: true, target: out };
    return { text, state, event, facts: bits, expected };
  });
}

const key = (o: Outcome) => (o.ok ? `→${o.target}` : o.code);

/**
 * What the rows miss: for every state and every operation it handles, each distinct outcome
 * (one per guard branch) must appear in a row; each wildcard and machine-wide default must too.
 */
export function coverageGaps(machine: AnyStateMachine, table: TransitionTable, rows: readonly Row[]): string[] {
  const gaps: string[] = [];
  const rootKeys = [...(machine.root.transitions as Map<string, unknown>).keys()];
  const masks = 1 << table.factBits;
  for (const s of table.states) {
    const keys = [...(machine.root.states[s]!.transitions as Map<string, unknown>).keys()];
    for (const k of keys) {
      if (k === "*") {
        if (!rows.some((r) => r.state === s && !keys.includes(r.event))) gaps.push(`${s} * (wildcard)`);
        continue;
      }
      const outcomes = new Set<string>();
      for (let f = 0; f < masks; f++) outcomes.add(key(table.lookup(s, k, f)));
      const seen = new Set(rows.filter((r) => r.state === s && r.event === k).map((r) => key(r.expected)));
      for (const o of outcomes) if (!seen.has(o)) gaps.push(`${s} ${k} ${o}`);
    }
  }
  for (const k of rootKeys) {
    const handledBy = (s: string) => [...(machine.root.states[s]!.transitions as Map<string, unknown>).keys()];
    const covered = rows.some((r) => {
      const keys = handledBy(r.state);
      if (keys.includes("*") || keys.includes(r.event)) return false;
      return k === "*" ? !rootKeys.includes(r.event) : r.event === k;
    });
    if (!covered) gaps.push(`default ${k}`);
  }
  return gaps;
}
