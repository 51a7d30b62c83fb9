import { describe, expect, it } from "vitest";
import { initialSystem, type System } from "../../model/state.ts";
import { defaultConfig } from "../../model/config.ts";
import { ok, err } from "../../model/result.ts";
import { compareResults, compareStates, Measurements } from "./compare.ts";

const base = initialSystem(defaultConfig);
const withEnclave = (s: System, measurement: string, name = ""): System => ({
  ...s,
  enclaves: s.enclaves.map((e, i) => (i === 0 ? { ...e, kind: "normal", state: "fresh", measurement, name } : e)),
});

describe("compareStates", () => {
  it("finds nothing between equal states, whatever objects hold them", () => {
    expect(compareStates(base, base, structuredClone(base), new Measurements())).toEqual([]);
  });

  it("names the path of each differing field, in enclaves, pages and the other tables", () => {
    const spec = withEnclave(base, "agent", "a");
    const impl = withEnclave(structuredClone(base), "d1", "b");
    impl.pages[5] = { ...impl.pages[5]!, owner: "enclave", id: 0 };
    impl.harts = [0, ...impl.harts.slice(1)];
    const d = compareStates(base, spec, impl, new Measurements());
    expect(d.map((x) => x.path).sort()).toEqual(["enclaves[0].name", "harts[0]", "pages[5]"]);
    expect(d.find((x) => x.path === "enclaves[0].name")).toEqual({ path: "enclaves[0].name", spec: "a", impl: "b" });
  });

  it("learns one digest per image name and holds both to it", () => {
    const m = new Measurements();
    expect(compareStates(base, withEnclave(base, "agent"), withEnclave(base, "d1"), m)).toEqual([]);
    expect(compareStates(base, withEnclave(base, "agent"), withEnclave(base, "d2"), m).map((x) => x.path)).toEqual([
      "enclaves[0].measurement",
    ]);
    expect(compareStates(base, withEnclave(base, "other"), withEnclave(base, "d1"), m)).toHaveLength(1);
  });

  it("holds the implementation to a zero page only where the step moved it into or out of private memory", () => {
    const p = defaultConfig.monitorPages + defaultConfig.ptaPages + 1;
    const before = { ...base, pages: base.pages.map((pg, i) => (i === p ? { ...pg, secure: true, zeroed: false } : pg)) };
    const spec = { ...base, pages: base.pages.map((pg, i) => (i === p ? { ...pg, zeroed: true } : pg)) };
    const impl = { ...base, pages: base.pages.map((pg, i) => (i === p ? { ...pg, zeroed: false } : pg)) };
    expect(compareStates(before, spec, impl, new Measurements()).map((x) => x.path)).toEqual([`pages[${p}].zeroed`]);
    expect(compareStates(spec, spec, impl, new Measurements())).toEqual([]); // not moved by this step
  });
});

describe("compareResults", () => {
  it("compares status, code and value", () => {
    expect(compareResults(ok("SUCCESS", 3), ok("SUCCESS", 3))).toEqual([]);
    expect(compareResults(ok("SUCCESS", 3), ok("SUCCESS", 4)).map((x) => x.path)).toEqual(["result.value"]);
    expect(compareResults(ok("SUCCESS"), err("INVALID_ARGUMENT")).length).toBeGreaterThan(0);
  });
});
