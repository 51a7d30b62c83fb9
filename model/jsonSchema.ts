import { z } from "zod";
import { itfTraceSchema } from "./itf.ts";

/** Path of the committed JSON Schema of our ITF traces, relative to the repository root. */
export const TRACE_SCHEMA_PATH = "model/trace.schema.json";

/** The JSON Schema of an ITF trace, generated from the zod schema, as file text. */
export function traceJsonSchemaText(): string {
  const schema = z.toJSONSchema(itfTraceSchema, { target: "draft-2020-12" });
  return JSON.stringify(schema, null, 2) + "\n";
}
