import { describe, expect, it } from "vitest";
import { SealingKeys } from "./keyBinding.ts";

describe("SealingKeys", () => {
  it("accepts the same key for the same measurement and type, and different keys otherwise", () => {
    const k = new SealingKeys();
    expect(k.observe("m1", 0, "aa")).toBeUndefined();
    expect(k.observe("m1", 0, "aa")).toBeUndefined();
    expect(k.observe("m1", 1, "bb")).toBeUndefined();
    expect(k.observe("m2", 0, "cc")).toBeUndefined();
  });

  it("reports a key that changed for one measurement", () => {
    const k = new SealingKeys();
    k.observe("m1", 0, "aa");
    expect(k.observe("m1", 0, "ab")).toMatch(/^AT-5: key type 0 of measurement m1 changed/);
  });

  it("reports two measurements (or two key types) sharing a key", () => {
    const k = new SealingKeys();
    k.observe("m1", 0, "aa");
    expect(k.observe("m2", 0, "aa")).toMatch(/^AT-5: measurements m1 and m2 got the same key/);
    expect(new SealingKeys().observe("m1", 0, "aa") ?? "").toBe("");
    const t = new SealingKeys();
    t.observe("m1", 0, "aa");
    expect(t.observe("m1", 1, "aa")).toMatch(/same key/);
  });
});
