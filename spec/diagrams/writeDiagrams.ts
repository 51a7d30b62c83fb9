// npm run diagrams — writes a Mermaid and a DOT file per machine under docs/spec/.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { diagramFiles } from "./diagramFiles.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));
for (const { path, text } of diagramFiles()) {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
  console.log(`wrote ${path}`);
}
