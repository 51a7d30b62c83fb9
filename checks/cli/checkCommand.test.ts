import { describe, expect, it } from "vitest";
import { readFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fromItf } from "../../model/itf.ts";
import { parseCheckArgs, runCheck, UsageError } from "./checkCommand.ts";

describe("check command", () => {
  it("parses flags", () => {
    const a = parseCheckArgs(["--enclaves", "3", "--pages", "7", "--harts", "1", "--depth", "5", "--workers", "2", "--no-symmetry", "--deadlock", "--itf", "x.json"]);
    expect(a.mc.spec).toMatchObject({ enclaves: 3, pages: 7, harts: 1 });
    expect(a).toMatchObject({ workers: 2, symmetry: false, deadlock: true, itf: "x.json" });
    expect(a.mc.maxDepth).toBe(5);
    expect(a.tableBits).toBeUndefined(); // the search's default: a growing table on one thread
    expect(parseCheckArgs(["--table-bits", "26"]).tableBits).toBe(26);
  });

  it("rejects bad flags with a one-line usage error", () => {
    for (const bad of [["--bogus"], ["--depth"], ["--depth", "x"], ["--workers", "0"], ["--mutant", "nope"], ["--monitor-pages", "9"], ["--table-bits", "7"], ["--table-bits", "27"]]) {
      expect(() => parseCheckArgs(bad)).toThrow(UsageError);
    }
  });

  it("reports a mutant's violation, writes a valid ITF trace and exits 1; the spec exits 0", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mc-"));
    const itf = join(dir, "cx.itf.json");
    const lines: string[] = [];
    const code = await runCheck(parseCheckArgs(["--depth", "3", "--mutant", "M27-keep-owner-after-destroy", "--itf", itf, "--quiet"]), (l) => lines.push(l));
    expect(code).toBe(1);
    expect(lines.join("\n")).toMatch(/OW-2/);
    expect(lines.join("\n")).toMatch(/states generated, .* distinct states found/);
    expect(fromItf(readFileSync(itf, "utf8")).states.length).toBe(3);
    const ok: string[] = [];
    expect(await runCheck(parseCheckArgs(["--depth", "2", "--quiet"]), (l) => ok.push(l))).toBe(0);
    expect(ok.join("\n")).toMatch(/No error has been found/);
  });
});
