import { describe, expect, it } from "vitest";
import { implMutants } from "./mutants.ts";
import { notPlanted } from "./mutantCatalog.ts";

describe("the bug-class catalog (invariants.md §7, M01–M41)", () => {
  const catalog = Array.from({ length: 41 }, (_, i) => `M${String(i + 1).padStart(2, "0")}`);
  const planted = Object.keys(implMutants);

  it("names only catalog entries, each either planted or explained, never both", () => {
    for (const id of [...planted, ...Object.keys(notPlanted)]) expect(catalog).toContain(id);
    for (const id of planted) expect(notPlanted[id], `${id} is planted and listed as not planted`).toBeUndefined();
  });

  it("accounts for every entry of the catalog", () => {
    for (const id of catalog)
      expect(planted.includes(id) || notPlanted[id] !== undefined, `${id} is neither planted nor explained`).toBe(true);
  });

  it("plants at least 30 of them, and every one not planted says why", () => {
    expect(planted.length).toBeGreaterThanOrEqual(30);
    for (const why of Object.values(notPlanted)) expect(why.length).toBeGreaterThan(40);
  });
});
