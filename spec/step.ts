import type { Event, EventType } from "../model/events.ts";
import { err } from "../model/result.ts";
import { HOST, type System } from "../model/state.ts";
import { adversaryAndEnvironment } from "./step/adversary.ts";
import { enclaveCalls } from "./step/enclaveCalls.ts";
import { callerDomain, type CallerDomain } from "./step/domain.ts";
import { hostCalls } from "./step/hostCalls.ts";
import { inRange } from "./step/queries.ts";
import { secureShmCalls } from "./step/secureShm.ts";
import { serverCalls } from "./step/serverCalls.ts";
import { sharedMemoryCalls } from "./step/sharedMemory.ts";
import type { Handler, Handlers, StepOutput } from "./step/types.ts";

export type { StepOutput } from "./step/types.ts";

const handlers: Handlers<EventType> = {
  ...hostCalls,
  ...sharedMemoryCalls,
  ...enclaveCalls,
  ...serverCalls,
  ...secureShmCalls,
  ...adversaryAndEnvironment,
};

/** Each event tag's handler and issuing domain, looked up once per step. */
const dispatch = new Map<string, { handler: Handler<EventType>; domain: CallerDomain }>(
  (Object.keys(handlers) as EventType[]).map((type) => [type, { handler: handlers[type] as Handler<EventType>, domain: callerDomain(type) }]),
);

/**
 * The specification's transition function. Given a state and an event, returns the next state
 * and the event's result; a pure, deterministic function that never mutates `s`. A refused event
 * (`result.status === "error"`) returns `s` itself (LC-6). Which lifecycle and ownership moves are
 * legal is decided by the machines' tables (spec/tables), never here.
 */
export function step(s: System, ev: Event): StepOutput {
  if (!inRange(ev.hart, s.config.harts)) return { state: s, result: err("INVALID_HART") };
  const { handler, domain } = dispatch.get(ev.type)!;
  if (domain === "host") {
    // LC-3: host-only calls from a hart that runs the host, by a known host process
    if (s.harts[ev.hart] !== HOST) return { state: s, result: err("WRONG_DOMAIN") };
    if (!inRange((ev as { host: number }).host, s.config.hosts)) return { state: s, result: err("INVALID_ID") };
  } else if (domain === "enclave" && s.harts[ev.hart] === HOST) {
    return { state: s, result: err("WRONG_DOMAIN") }; // LC-3: enclave-only calls from an enclave
  }
  return handler(s, ev);
}
