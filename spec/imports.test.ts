import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const rel = join(dir, name);
    if (statSync(join(root, rel)).isDirectory()) return sourceFiles(rel);
    return rel.endsWith(".ts") ? [rel] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), "utf8");
  return [...text.matchAll(/(?:import|export)[^"']*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1] ?? m[2]!);
}

/** Where a relative import of `file` lands, as a top-level directory name. */
function topDirOf(file: string, spec: string): string {
  if (!spec.startsWith(".")) return `package:${spec}`;
  return join(file, "..", spec).split(/[\\/]/)[0]!;
}

describe("layering", () => {
  it("spec/ imports nothing from impl/ or checks/", () => {
    const files = sourceFiles("spec");
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) for (const i of importsOf(f)) expect(["impl", "checks"], `${f} imports ${i}`).not.toContain(topDirOf(f, i));
  });
  it("model/ imports nothing from spec/, impl/ or checks/", () => {
    for (const f of sourceFiles("model"))
      for (const i of importsOf(f)) expect(["spec", "impl", "checks"], `${f} imports ${i}`).not.toContain(topDirOf(f, i));
  });
  it("the import scanner sees relative imports (so the checks above can fail)", () => {
    expect(importsOf("spec/step.ts").map((i) => topDirOf("spec/step.ts", i))).toContain("model");
  });
});
