import type { EventOf, EventType } from "../../model/events.ts";
import { err, type Result } from "../../model/result.ts";
import type { CodeName } from "../../model/codes.ts";
import type { System } from "../../model/state.ts";

/** What `step` returns: the next state and the event's result. */
export interface StepOutput {
  state: System;
  result: Result;
}

/** The handler of events tagged `T`: pure, may assume the hart and domain were checked. */
export type Handler<T extends EventType> = (s: System, ev: EventOf<T>) => StepOutput;

/** One handler per event tag. */
export type Handlers<T extends EventType> = { [K in T]: Handler<K> };

/** A refused event: the state itself (LC-6) and the refusal `code`. */
export function unchanged(s: System, code: CodeName): StepOutput {
  return { state: s, result: err(code) };
}
