import type { Event, EventType } from "../model/events.ts";
import { HOST, type System } from "../model/state.ts";
import { adversaryAndEnvironment } from "./step/adversary.ts";
import { enclaveCalls } from "./step/enclaveCalls.ts";
import { callerDomain, type CallerDomain } from "./step/domain.ts";
import { hostCalls } from "./step/hostCalls.ts";
import { inRange } from "./step/queries.ts";
import { secureShmCalls } from "./step/secureShm.ts";
import { serverCalls } from "./step/serverCalls.ts";
import { sharedMemoryCalls } from "./step/sharedMemory.ts";
import { unchanged, type Handler, type Handlers, type StepOutput } from "./step/types.ts";

export type { StepOutput } from "./step/types.ts";

const handlers: Handlers<EventType> = {
  ...hostCalls,
  ...sharedMemoryCalls,
  ...enclaveCalls,
  ...serverCalls,
  ...secureShmCalls,
  ...adversaryAndEnvironment,
};

/** `step` for events of one type: the dispatch and the domain are looked up once, not per event. */
export type TypedStep = (s: System, ev: Event) => StepOutput;

/** The step of events handled by `handler`, issued from `domain`. */
function typedStep(handler: Handler<EventType>, domain: CallerDomain): TypedStep {
  return (s, ev) => {
    if (!inRange(ev.hart, s.config.harts)) return unchanged(s, "INVALID_HART");
    if (domain === "host") {
      // LC-3: host-only calls from a hart that runs the host, by a known host process
      if (s.harts[ev.hart] !== HOST) return unchanged(s, "WRONG_DOMAIN");
      if (!inRange((ev as { host: number }).host, s.config.hosts)) return unchanged(s, "INVALID_ID");
    } else if (domain === "enclave" && s.harts[ev.hart] === HOST) {
      return unchanged(s, "WRONG_DOMAIN"); // LC-3: enclave-only calls from an enclave
    }
    return handler(s, ev);
  };
}

/** Each event tag's step. */
const dispatch = new Map<string, TypedStep>(
  (Object.keys(handlers) as EventType[]).map((type) => [type, typedStep(handlers[type] as Handler<EventType>, callerDomain(type))]),
);

/**
 * The specification's transition function. Given a state and an event, returns the next state
 * and the event's result; a pure, deterministic function that never mutates `s`. A refused event
 * (`result.status === "error"`) returns `s` itself (LC-6). Which lifecycle and ownership moves are
 * legal is decided by the machines' tables (spec/tables), never here.
 */
export function step(s: System, ev: Event): StepOutput {
  return dispatch.get(ev.type)!(s, ev);
}

/**
 * The handler of events of type `type`: `step` without its hart and domain checks. It equals
 * `stepOf(type)` on an event whose hart exists and runs the type's issuing domain (LC-3) and whose
 * host is in range — what the model checker's enumerator knows of every event before its domain and
 * range probes (checks/mc/enumerate.test.ts checks both the claim and this equality).
 */
export function handlerOf(type: EventType): TypedStep {
  return handlers[type] as TypedStep;
}

/**
 * `step` for events of type `type` (`stepOf(ev.type)(s, ev)` is `step(s, ev)`): a caller that steps
 * runs of events of one type (the model checker) looks the type up once per run.
 */
export function stepOf(type: EventType): TypedStep {
  return dispatch.get(type)!;
}
