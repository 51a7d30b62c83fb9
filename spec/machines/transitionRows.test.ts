import { describe, expect, it } from "vitest";
import { shadowTable } from "../tables/tables.ts";
import { EnclaveFact } from "./enclaveOps.ts";
import { shadowEnclave } from "./shadowEnclave.machine.ts";
import { coverageGaps, parseRows } from "./transitionRows.ts";

describe("transition rows (test support)", () => {
  const full = [
    "free CREATE - -> PAGES_NOT_AVAILABLE", "free CREATE regionIsPublic -> ready", "free RUN - -> NO_SUCH_ENCLAVE",
    "ready FORK_FROM - -> NOT_CREATOR", "ready FORK_FROM isCreator -> ready", "ready ATTEST - -> NOT_CREATOR",
    "ready ATTEST isCreator -> ready", "ready DESTROY - -> NOT_CREATOR", "ready DESTROY isCreator -> SHADOW_HAS_INSTANCES",
    "ready DESTROY isCreator,hasNoInstances -> free", "ready RUN isCreator -> SHADOW_NOT_RUNNABLE",
    "ready STOP isCreator -> SHADOW_NOT_RUNNABLE", "ready RESUME isCreator -> SHADOW_NOT_RUNNABLE", "ready RUN - -> NOT_CREATOR",
    "ready STOP - -> NOT_CREATOR", "ready RESUME - -> NOT_CREATOR", "ready EXIT - -> BAD_STATE",
  ];
  it("report no gap for complete rows", () => {
    expect(coverageGaps(shadowEnclave, shadowTable, parseRows(full, EnclaveFact))).toEqual([]);
  });
  it("report a missing guard outcome, a missing wildcard and a missing default", () => {
    const rows = full.filter((r) => !r.includes("SHADOW_HAS_INSTANCES") && !r.includes("NO_SUCH_ENCLAVE") && !r.includes("BAD_STATE"));
    expect(coverageGaps(shadowEnclave, shadowTable, parseRows(rows, EnclaveFact)).sort()).toEqual(
      ["default *", "free * (wildcard)", "ready DESTROY SHADOW_HAS_INSTANCES"]);
  });
  it("reject malformed rows and unknown facts", () => {
    expect(() => parseRows(["free CREATE"], EnclaveFact)).toThrow();
    expect(() => parseRows(["free CREATE nosuch -> ready"], EnclaveFact)).toThrow();
  });
});
