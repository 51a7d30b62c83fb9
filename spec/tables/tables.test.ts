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
    it(`${name}: canMove(from, to) iff some operation under some facts takes from to to`, () => {
      let moves = 0;
      for (const from of table.states)
        for (const to of table.states) {
          let some = false;
          for (const e of events)
            for (let f = 0; f < masks; f++) {
              const o = table.lookup(from, e, f);
              some ||= o.ok && o.target === to;
            }
          expect(table.canMove(from, to), `${from} → ${to}`).toBe(some);
          if (some) moves++;
        }
      expect(moves).toBeGreaterThan(table.states.length - 1); // every state is reachable or left
      expect(table.canMove("nowhere" as never, table.states[0]!)).toBe(false);
      expect(table.canMove(table.states[0]!, "nowhere" as never)).toBe(false);
    });
    it(`${name}: list every state of the machine and refuse unknown keys`, () => {
      expect(table.states).toEqual(Object.keys(machine.root.states));
      expect(() => table.lookup("nowhere" as never, events[0]!, 0)).toThrow();
      expect(() => table.lookup(table.states[0]!, events[0]!, masks)).toThrow();
    });
  }
});
