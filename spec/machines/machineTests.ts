import { expect, it } from "vitest";
import type { AnyStateMachine } from "xstate";
import type { TransitionTable } from "../tables/deriveTable.ts";
import { outcomeOf } from "../tables/deriveTable.ts";
import { coverageGaps, parseRows } from "./transitionRows.ts";

/** Registers the tests of one machine: each row against the table and `transition()`, and full coverage. */
export function testMachineRows(
  machine: AnyStateMachine,
  table: TransitionTable,
  facts: Readonly<Record<string, number>>,
  rowTexts: readonly string[],
): void {
  const rows = parseRows(rowTexts, facts);
  for (const r of rows)
    it(r.text, () => {
      expect(table.lookup(r.state, r.event, r.facts)).toEqual(r.expected);
      expect(outcomeOf(machine, r.state, r.event, r.facts)).toEqual(r.expected);
    });
  it("rows cover every transition, every guard outcome and every default", () => {
    expect(coverageGaps(machine, table, rows)).toEqual([]);
  });
}
