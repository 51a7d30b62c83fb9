import { createActor } from "xstate";
import { describe, expect, it } from "vitest";
import { outcomeOf } from "./deriveTable.ts";
import { machines } from "./tables.ts";

describe("transition tables derived from the machines", () => {
  for (const { name, machine, table, events } of machines) {
    const masks = 1 << table.factBits;
    it(`${name}: equal xstate transition() for every state, operation and fact set`, () => {
      let n = 0;
      for (const s of table.states)
        for (const e of events)
          for (let f = 0; f < masks; f++) {
            expect(table.lookup(s, e, f), `${s} ${e} ${f}`).toEqual(outcomeOf(machine, s, e, f));
            n++;
          }
      expect(n).toBe(table.states.length * events.length * masks);
    });
    it(`${name}: agree with a live actor for every taken transition`, () => {
      for (const s of table.states)
        for (const e of events)
          for (let f = 0; f < masks; f++) {
            const o = table.lookup(s, e, f);
            const actor = createActor(machine, { snapshot: machine.resolveState({ value: s, context: {} }) });
            actor.start();
            actor.send({ type: e, facts: f });
            expect(actor.getSnapshot().value).toBe(o.ok ? o.target : s);
            actor.stop();
          }
    });
    it(`${name}: list every state of the machine and refuse unknown keys`, () => {
      expect(table.states).toEqual(Object.keys(machine.root.states));
      expect(() => table.lookup("nowhere" as never, events[0]!, 0)).toThrow();
      expect(() => table.lookup(table.states[0]!, events[0]!, masks)).toThrow();
    });
  }
});
