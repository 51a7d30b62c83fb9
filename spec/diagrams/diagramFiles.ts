import { machines } from "../tables/tables.ts";
import { machineGraph } from "./machineGraph.ts";
import { toDot } from "./toDot.ts";
import { toMermaid } from "./toMermaid.ts";

/** Directory of the committed diagrams, relative to the repository root. */
export const DIAGRAM_DIR = "docs/spec";

/** Every diagram file (Mermaid and DOT per machine) with its path and text. */
export function diagramFiles(): { path: string; text: string }[] {
  return machines.flatMap(({ name, machine }) => {
    const source = `spec/machines/${name}.machine.ts`;
    const g = machineGraph(machine);
    return [
      { path: `${DIAGRAM_DIR}/${name}.mmd`, text: toMermaid(g, source) },
      { path: `${DIAGRAM_DIR}/${name}.dot`, text: toDot(g, source) },
    ];
  });
}
