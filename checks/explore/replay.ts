/** What a recorded trace asks the checker to replay: the events of its states after the first. */
import type { Event } from "../../model/events.ts";
import type { ItfTrace } from "../../model/itf.ts";

export function traceEvents(trace: ItfTrace): Event[] {
  return trace.states.slice(1).map((s, i) => {
    if (s.event.type === "init") throw new Error(`state ${i + 1} of the trace has the init event`);
    return s.event;
  });
}
