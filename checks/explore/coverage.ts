/**
 * Spec coverage of a run: which states, transitions and guard outcomes of the four XState machines
 * the spec's step exercised, and which it never did. Counted in the machines' transition tables
 * (spec/tables), through which every legal-move decision of `step` goes: a guard outcome is
 * (state, operation, outcome) — the target state, or the refusal code — over all fact combinations.
 */
import { machines } from "../../spec/tables/tables.ts";
import type { Outcome } from "../../spec/tables/deriveTable.ts";

export interface Counted {
  key: string;
  hits: number;
}

export interface MachineCoverage {
  machine: string;
  states: Counted[];
  transitions: Counted[];
  guardOutcomes: Counted[];
}

export type Coverage = MachineCoverage[];

/** Start counting (resets the counts). */
export function startCoverage(): void {
  for (const m of machines) m.table.hits = new Uint32Array(m.table.outcomes.length);
}

/** Stop counting; the counts so far. */
export function stopCoverage(): Coverage {
  const out = coverageSoFar();
  for (const m of machines) m.table.hits = null;
  return out;
}

const label = (o: Outcome): string => (o.ok ? `→ ${o.target}` : `✗ ${o.code}`);

function add(map: Map<string, number>, key: string, n: number): void {
  map.set(key, (map.get(key) ?? 0) + n);
}

/** The counts so far, grouped per machine. */
export function coverageSoFar(): Coverage {
  return machines.map((m) => {
    const t = m.table;
    const masks = 1 << t.factBits;
    const nE = t.events.length;
    const states = new Map<string, number>(t.states.map((s) => [s, 0]));
    const transitions = new Map<string, number>();
    const guards = new Map<string, number>();
    t.outcomes.forEach((o, i) => {
      const from = t.states[Math.floor(i / (nE * masks))]!;
      const op = t.events[Math.floor(i / masks) % nE]!;
      const n = t.hits?.[i] ?? 0;
      add(guards, `${from} ${op} ${label(o)}`, n);
      if (o.ok) {
        add(transitions, `${from} —${op}→ ${o.target}`, n);
        if (n) {
          add(states, from, n);
          add(states, o.target, n);
        }
      }
    });
    const list = (x: Map<string, number>): Counted[] => [...x].map(([key, hits]) => ({ key, hits }));
    return { machine: m.name, states: list(states), transitions: list(transitions), guardOutcomes: list(guards) };
  });
}

/** Sums coverages (from several workers). */
export function mergeCoverage(a: Coverage, b: Coverage): Coverage {
  const sum = (x: Counted[], y: Counted[]): Counted[] => x.map((c, i) => ({ key: c.key, hits: c.hits + (y[i]?.hits ?? 0) }));
  return a.map((m, i) => ({
    machine: m.machine,
    states: sum(m.states, b[i]!.states),
    transitions: sum(m.transitions, b[i]!.transitions),
    guardOutcomes: sum(m.guardOutcomes, b[i]!.guardOutcomes),
  }));
}

/** The summary table, then what was never exercised (at most `maxListed` per kind and machine). */
export function formatCoverage(c: Coverage, maxListed = 12): string {
  const frac = (xs: Counted[]) => `${xs.filter((x) => x.hits > 0).length}/${xs.length}`;
  const lines = [
    `${"machine".padEnd(18)} ${"states".padStart(8)} ${"transitions".padStart(12)} ${"guard outcomes".padStart(15)}`,
  ];
  for (const m of c)
    lines.push(
      `${m.machine.padEnd(18)} ${frac(m.states).padStart(8)} ${frac(m.transitions).padStart(12)} ${frac(m.guardOutcomes).padStart(15)}`,
    );
  for (const m of c) {
    for (const [kind, xs] of [
      ["states", m.states],
      ["transitions", m.transitions],
      ["guard outcomes", m.guardOutcomes],
    ] as const) {
      const never = xs.filter((x) => x.hits === 0);
      if (!never.length) continue;
      const shown = never.slice(0, maxListed).map((x) => x.key);
      lines.push(
        `  ${m.machine} ${kind} never exercised (${never.length}): ${shown.join("; ")}${never.length > maxListed ? "; …" : ""}`,
      );
    }
  }
  return lines.join("\n");
}
