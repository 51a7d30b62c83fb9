import type { AnyStateMachine } from "xstate";

/** A transition a state takes: `event [guards]` to `target`. */
export interface GraphEdge {
  source: string;
  target: string;
  event: string;
  guards: string[];
}

/** An operation a state refuses, with the guards under which it refuses and the code. */
export interface GraphRefusal {
  state: string; // "" for the machine-wide defaults
  event: string;
  guards: string[];
  code: string;
}

/** The transitions and refusals of a flat machine, in document order. */
export interface MachineGraph {
  id: string;
  initial: string;
  states: string[];
  edges: GraphEdge[];
  refusals: GraphRefusal[];
}

interface TransitionDef {
  guard?: unknown;
  target?: ReadonlyArray<{ key: string }>;
  actions: ReadonlyArray<{ type?: string; params?: { code?: string } } | unknown>;
}

function describeGuard(g: unknown): string | undefined {
  if (g === undefined) return undefined;
  if (typeof g === "string") return g;
  if (typeof g === "function" && g.name === "not" && Array.isArray((g as { guards?: unknown[] }).guards))
    return `!${describeGuard((g as unknown as { guards: unknown[] }).guards[0])}`;
  if (typeof g === "object" && g !== null && "type" in g) return String((g as { type: unknown }).type);
  return "guard";
}

const negate = (g: string) => (g.startsWith("!") ? g.slice(1) : `!${g}`);

function walk(state: string, transitions: Map<string, TransitionDef[]>, graph: MachineGraph): void {
  for (const [event, defs] of transitions) {
    const holds: string[] = []; // negations of the refusals tried before
    for (const def of defs) {
      const g = describeGuard(def.guard);
      const reject = def.actions.find((a) => (a as { type?: string }).type === "reject") as { params?: { code?: string } } | undefined;
      if (reject) {
        graph.refusals.push({ state, event, guards: [...holds, ...(g ? [g] : [])], code: reject.params?.code ?? "?" });
        if (!g) break;
        holds.push(negate(g));
      } else {
        graph.edges.push({ source: state, target: def.target?.[0]?.key ?? state, event, guards: [...holds, ...(g ? [g] : [])] });
        if (!g) break;
      }
    }
  }
}

/** Reads the graph of a flat machine from its state nodes (no XState internals beyond `transitions`). */
export function machineGraph(machine: AnyStateMachine): MachineGraph {
  const states = Object.keys(machine.root.states);
  const graph: MachineGraph = { id: machine.id, initial: String(machine.root.initial?.target?.[0]?.key ?? states[0]), states, edges: [], refusals: [] };
  walk("", machine.root.transitions as Map<string, TransitionDef[]>, graph);
  for (const s of states) walk(s, machine.root.states[s]!.transitions as Map<string, TransitionDef[]>, graph);
  return graph;
}

/** `EVENT [g1 ∧ g2]` */
export function label(event: string, guards: readonly string[]): string {
  return guards.length ? `${event} [${guards.join(" ∧ ")}]` : event;
}
