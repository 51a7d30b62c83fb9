import { describe, expect, it } from "vitest";
import { defaultConfig } from "./config.ts";
import { HOST, initialSystem, systemSchema } from "./state.ts";

describe("initialSystem", () => {
  const s = initialSystem(defaultConfig);
  it("has one entry per hart, enclave slot, page, shm id and relay id", () => {
    expect(s.harts).toHaveLength(2);
    expect(s.enclaves).toHaveLength(4);
    expect(s.pages).toHaveLength(32);
    expect(s.shms).toHaveLength(defaultConfig.shms);
    expect(s.relays).toHaveLength(defaultConfig.relays);
    expect(s.secureShms).toHaveLength(defaultConfig.secureShms);
  });
  it("runs the host on every hart and sets the monitor and page-table area apart", () => {
    expect(s.harts.every((h) => h === HOST)).toBe(true);
    expect(s.pages.filter((p) => p.owner === "monitor")).toHaveLength(defaultConfig.monitorPages);
    expect(s.pages.filter((p) => p.owner === "pta")).toHaveLength(defaultConfig.ptaPages);
  });
  it("round-trips through zod and JSON unchanged", () => {
    expect(systemSchema.parse(s)).toEqual(s);
    expect(systemSchema.parse(JSON.parse(JSON.stringify(s)))).toEqual(s);
  });
  it("rejects a malformed state", () => {
    const bad = { ...s, pages: [{ ...s.pages[0], owner: "nobody" }] };
    expect(systemSchema.safeParse(bad).success).toBe(false);
  });
});
