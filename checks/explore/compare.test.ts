import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ownerSchema } from "../../model/state.ts";
import { violatedInvariants } from "../../spec/invariants/stateInvariants.ts";
import { mcConfig } from "../mc/config.ts";
import { reachableSample } from "../mc/sample.ts";
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
  // checkedRun.ts evaluates the implementation's state invariants only when compareStates finds a
  // difference: this is the claim that makes it sound
  it("states it finds equal get the same verdict from every state invariant, broken or not", () => {
    const sample = reachableSample(mcConfig({ maxDepth: 4, spec: { enclaves: 3, pages: 8 } }), 400);
    fc.assert(
      fc.property(
        fc.nat(sample.length - 1),
        fc.array(fc.tuple(fc.nat(63), fc.constantFrom(...ownerSchema.options), fc.integer({ min: -1, max: 3 })), {
          maxLength: 2,
        }),
        fc.array(fc.tuple(fc.nat(63), fc.nat(2), fc.integer({ min: -1, max: 3 })), { maxLength: 2 }),
        fc.nat(255),
        (k, pageEdits, linkEdits, zeroFlips) => {
          // a reachable state, perhaps broken (page owners, call and parent links changed)
          const spec = structuredClone(sample[k]!);
          for (const [p, owner, id] of pageEdits)
            spec.pages[p % spec.pages.length] = { ...spec.pages[p % spec.pages.length]!, owner, id };
          for (const [e, field, to] of linkEdits) {
            const en = spec.enclaves[e % spec.enclaves.length]!;
            en[(["parent", "caller", "callee"] as const)[field]!] = to;
          }
          // what the comparison leaves out: `zeroed`, and the names of measurements (a bijection)
          const impl = structuredClone(spec);
          impl.pages.forEach((pg, p) => (pg.zeroed = ((zeroFlips >> (p % 8)) & 1) === 1 ? !pg.zeroed : pg.zeroed));
          impl.enclaves.forEach((en) => (en.measurement = en.measurement === "" ? "" : `digest of ${en.measurement}`));
          expect(compareStates(spec, spec, impl, new Measurements(), false)).toEqual([]);
          expect(violatedInvariants(impl)).toEqual(violatedInvariants(spec));
        },
      ),
      { numRuns: 400 },
    );
  });

  it("compares status, code and value", () => {
    expect(compareResults(ok("SUCCESS", 3), ok("SUCCESS", 3))).toEqual([]);
    expect(compareResults(ok("SUCCESS", 3), ok("SUCCESS", 4)).map((x) => x.path)).toEqual(["result.value"]);
    expect(compareResults(ok("SUCCESS"), err("INVALID_ARGUMENT")).length).toBeGreaterThan(0);
  });
});
