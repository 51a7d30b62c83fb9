import { z } from "zod";
import { eventSchema } from "./events.ts";
import { resultSchema, ok, type Result } from "./result.ts";
import { systemSchema, type System } from "./state.ts";
import type { Event } from "./events.ts";

// ITF, the Informal Trace Format of Apalache ADR-015 (checking-stack.md §4.3).

/** Any ITF expression: string, integer, boolean, #bigint, list, record, #tup, #set, #map. */
export type ItfExpr =
  | string
  | number
  | boolean
  | { "#bigint": string }
  | ItfExpr[]
  | { "#tup": ItfExpr[] }
  | { "#set": ItfExpr[] }
  | { "#map": [ItfExpr, ItfExpr][] }
  | { [field: string]: ItfExpr };

/** zod schema of an untyped ITF expression. */
export const itfExprSchema: z.ZodType<ItfExpr> = z.lazy(() =>
  z.union([
    z.string(),
    z.number().int(),
    z.boolean(),
    z.strictObject({ "#bigint": z.string().regex(/^-?[0-9]+$/) }),
    z.array(itfExprSchema),
    z.strictObject({ "#tup": z.array(itfExprSchema) }),
    z.strictObject({ "#set": z.array(itfExprSchema) }),
    z.strictObject({ "#map": z.array(z.tuple([itfExprSchema, itfExprSchema])) }),
    // record: field names never start with # (except #meta)
    z.record(z.string().regex(/^(#meta$|[^#])/), itfExprSchema),
  ]),
);

/** The pseudo-event recorded with the first state of a trace. */
export const initEventSchema = z.object({ type: z.literal("init") });

/** An event as recorded in a trace: a model event, or `init` for state 0. */
export const traceEventSchema = z.discriminatedUnion("type", [initEventSchema, ...eventSchema.options]);
export type TraceEvent = z.infer<typeof traceEventSchema>;

/** The variables of every state of our traces. */
export const ITF_VARS = ["system", "event", "result"] as const;

/** One ITF state: the system after `event`, and the event's `result`. */
export const itfStateSchema = z.object({
  "#meta": z.object({ index: z.number().int().min(0) }),
  system: systemSchema,
  event: traceEventSchema,
  result: resultSchema,
});
export type ItfState = z.infer<typeof itfStateSchema>;

/** An ITF trace of the spec (what `npm run diagrams`' sibling `model/trace.schema.json` describes). */
export const itfTraceSchema = z.object({
  "#meta": z.object({
    format: z.literal("ITF"),
    "format-description": z.string(),
    source: z.string(),
    description: z.string(),
  }),
  vars: z.tuple([z.literal("system"), z.literal("event"), z.literal("result")]),
  states: z.array(itfStateSchema).min(1),
});
export type ItfTrace = z.infer<typeof itfTraceSchema>;

/** One step of a run: the event, its result and the state it led to. */
export interface RunStep {
  event: Event;
  result: Result;
  system: System;
}

/** Builds the ITF trace of a run that started in `initial`. */
export function toItf(initial: System, steps: readonly RunStep[], description = ""): ItfTrace {
  const states: ItfState[] = [{ "#meta": { index: 0 }, system: initial, event: { type: "init" }, result: ok() }];
  steps.forEach((s, i) => states.push({ "#meta": { index: i + 1 }, system: s.system, event: s.event, result: s.result }));
  return {
    "#meta": {
      format: "ITF",
      "format-description": "https://apalache-mc.org/docs/adr/015adr-trace.html",
      source: "spec/step.ts",
      description,
    },
    vars: [...ITF_VARS],
    states,
  };
}

/** Replaces every `{"#bigint": "n"}` by the number n (Quint writes all integers that way). */
export function normalizeBigints(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalizeBigints);
  if (value !== null && typeof value === "object") {
    const o = value as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 1 && keys[0] === "#bigint" && typeof o["#bigint"] === "string") {
      const n = Number(o["#bigint"]);
      if (!Number.isSafeInteger(n)) throw new Error(`ITF integer out of range: ${o["#bigint"]}`);
      return n;
    }
    const out: Record<string, unknown> = {};
    for (const k of keys) out[k] = normalizeBigints(o[k]);
    return out;
  }
  return value;
}

/**
 * Parses ITF JSON text (plain or `#bigint` integers) into a typed trace; throws on a malformed trace.
 * The typed schema is stricter than `itfExprSchema` (integers only, no nulls), so it alone decides.
 */
export function fromItf(text: string): ItfTrace {
  return itfTraceSchema.parse(normalizeBigints(JSON.parse(text)));
}

/** Serialises a trace as ITF JSON text. */
export function itfToText(trace: ItfTrace): string {
  return JSON.stringify(trace);
}
