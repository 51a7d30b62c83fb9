import { describe, expect, it, vi } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { UsageError } from "./checkCommand.ts";
import { readTrace, runExplore, runMutants, runReplay } from "./exploreCommand.ts";
import { mutantTargets } from "../explore/mutants.ts";

describe("explore / replay / mutants command lines", () => {
  it("refuse unknown flags, malformed values and stray arguments with a usage error", async () => {
    await expect(runExplore(["--bogus"])).rejects.toThrow(UsageError);
    await expect(runExplore(["--runs", "x"])).rejects.toThrow(/--runs must be an integer/);
    await expect(runExplore(["--harts", "3"])).rejects.toThrow(/--harts/);
    await expect(runExplore(["--seed"])).rejects.toThrow(/needs a value/);
    await expect(runExplore(["stray"])).rejects.toThrow(/unexpected argument/);
    await expect(runExplore(["--mutant", "M99"])).rejects.toThrow(/unknown mutant/);
    await expect(runExplore(["--workers", "0"])).rejects.toThrow(/--workers must be an integer/);
    expect(() => runMutants(["--only", "M99"])).toThrow(/unknown mutant/);
    expect(() => runReplay([])).toThrow(/exactly one trace/);
  });

  it("replay refuses a missing, non-JSON or foreign file with a clear message and runs nothing", () => {
    const dir = mkdtempSync(join(tmpdir(), "replay-"));
    expect(() => readTrace(join(dir, "none.itf.json"))).toThrow(/cannot read/);
    writeFileSync(join(dir, "a.json"), "{ nope");
    expect(() => readTrace(join(dir, "a.json"))).toThrow(/not JSON/);
    writeFileSync(join(dir, "b.json"), JSON.stringify({ "#meta": {}, vars: ["x"], states: [] }));
    expect(() => readTrace(join(dir, "b.json"))).toThrow(/not an ITF trace of this model:[\s\S]*✖/);
  });

  it("mutants --list names every mutant of both sides", () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    try {
      expect(runMutants(["--list"])).toBe(0);
      const out = log.mock.calls.map((c) => String(c[0])).join("\n");
      for (const t of mutantTargets) expect(out).toContain(t.id);
      expect(mutantTargets.filter((t) => t.side === "impl").length).toBeGreaterThanOrEqual(13);
      expect(mutantTargets.some((t) => t.side === "spec")).toBe(true);
    } finally {
      log.mockRestore();
    }
  });
});
