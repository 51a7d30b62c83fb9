import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { traceJsonSchemaText } from "./jsonSchema.ts";

describe("model/trace.schema.json", () => {
  it("is what z.toJSONSchema generates today (regenerate: npx tsx model/writeJsonSchema.ts)", () => {
    const committed = readFileSync(fileURLToPath(new URL("./trace.schema.json", import.meta.url)), "utf8");
    expect(committed).toBe(traceJsonSchemaText());
  });
  it("describes the ITF trace envelope", () => {
    const schema = JSON.parse(traceJsonSchemaText());
    expect(Object.keys(schema.properties)).toEqual(["#meta", "vars", "states"]);
  });
});
