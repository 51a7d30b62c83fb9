import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { machines } from "../tables/tables.ts";
import { diagramFiles } from "./diagramFiles.ts";
import { machineGraph } from "./machineGraph.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));

describe("docs/spec diagrams", () => {
  const files = diagramFiles();
  it("exist as a Mermaid and a DOT file per machine", () => {
    expect(files.map((f) => f.path).sort()).toEqual(
      machines.flatMap((m) => [`docs/spec/${m.name}.dot`, `docs/spec/${m.name}.mmd`]).sort());
  });
  for (const f of files)
    it(`${f.path} is up to date (regenerate: npm run diagrams)`, () => {
      expect(readFileSync(join(root, f.path), "utf8")).toBe(f.text);
    });
  it("show every taken transition of the tables and every refusal code", () => {
    for (const { machine, table, events } of machines) {
      const g = machineGraph(machine);
      const text = files.find((f) => f.path.endsWith(`${machine.id}.mmd`))!.text;
      for (const s of table.states)
        for (const e of events)
          for (let f = 0; f < 1 << table.factBits; f++) {
            const o = table.lookup(s, e, f);
            if (o.ok) expect(g.edges.some((x) => x.source === s && x.target === o.target && x.event === e), `${s} ${e}`).toBe(true);
            else expect(text).toContain(o.code);
          }
    }
  });
});
