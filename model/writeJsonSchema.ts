// Regenerates model/trace.schema.json: `npx tsx model/writeJsonSchema.ts`.
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { traceJsonSchemaText } from "./jsonSchema.ts";

const out = fileURLToPath(new URL("./trace.schema.json", import.meta.url));
writeFileSync(out, traceJsonSchemaText());
console.log(`wrote ${out}`);
