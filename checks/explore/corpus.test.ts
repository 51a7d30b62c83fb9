import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { fromItf, type ItfTrace } from "../../model/itf.ts";
import { setImplMutant, isImplMutant } from "../../impl/mutants.ts";
import { specMutants } from "../mc/specMutants.ts";
import { checkedRun, type StepFn } from "./checkedRun.ts";
import { platformOf, traceEvents } from "./replay.ts";

const root = fileURLToPath(new URL("../traces", import.meta.url));
const files = (dir: string): string[] =>
  existsSync(join(root, dir))
    ? readdirSync(join(root, dir))
        .filter((f) => f.endsWith(".itf.json"))
        .map((f) => join(dir, f))
    : [];

function replay(t: ItfTrace, step?: StepFn) {
  return checkedRun({ kind: "events", events: traceEvents(t) }, platformOf(t), step);
}

/** The mutant a counterexample file was found for: `M27.itf.json` or `spec_<name>.itf.json`. */
function mutantOf(file: string): { impl?: string; spec?: StepFn } {
  const id = file.replace(/^.*\//, "").replace(/\.itf\.json$/, "");
  if (isImplMutant(id)) return { impl: id };
  const spec = specMutants.find((m) => `spec_${m.id.replace(/[^A-Za-z0-9-]/g, "_")}` === id);
  return spec ? { spec: spec.step } : {};
}

describe("trace corpus (checks/traces): replayed on the implementation, re-validated against the spec", () => {
  const all = [...files("mutants"), ...files("passing")];

  it("has counterexamples of the mutants and passing runs", () => {
    expect(files("mutants").length).toBeGreaterThan(10);
    expect(files("passing").length).toBeGreaterThan(0);
  });

  it.each(all)("%s refines the spec on the real implementation, with the recorded results", (file) => {
    const t = fromItf(readFileSync(join(root, file), "utf8"));
    const r = replay(t);
    expect(r.failure, JSON.stringify(r.failure)).toBeUndefined();
    // a counterexample's last step is where it failed: a spec mutant recorded its own result there
    const n = file.startsWith("mutants") ? t.states.length - 2 : t.states.length - 1;
    expect(r.steps.slice(0, n).map((s) => s.result)).toEqual(t.states.slice(1, n + 1).map((s) => s.result));
  });

  it.each(files("mutants"))("%s still kills its mutant", (file) => {
    const t = fromItf(readFileSync(join(root, file), "utf8"));
    const m = mutantOf(file);
    expect(m.impl ?? m.spec, `no mutant named by ${file}`).toBeDefined();
    if (m.impl && isImplMutant(m.impl)) setImplMutant(m.impl);
    try {
      expect(replay(t, m.spec).failure).toBeDefined();
    } finally {
      setImplMutant(null);
    }
  });

  it("a corrupt trace is refused with zod's message", () => {
    const good = JSON.parse(readFileSync(join(root, all[0]!), "utf8"));
    good.states[1].event.type = "host.frobnicate";
    expect(() => fromItf(JSON.stringify(good))).toThrow(/invalid|Invalid/);
    expect(() => fromItf("{ not json")).toThrow(SyntaxError);
  });
});
