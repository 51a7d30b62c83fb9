import { describe } from "vitest";
import { shadowTable } from "../tables/tables.ts";
import { EnclaveFact } from "./enclaveOps.ts";
import { testMachineRows } from "./machineTests.ts";
import { shadowEnclave } from "./shadowEnclave.machine.ts";

describe("shadowEnclave (PGL §3.4)", () => {
  testMachineRows(shadowEnclave, shadowTable, EnclaveFact, [
    "free CREATE - -> PAGES_NOT_AVAILABLE",
    "free CREATE regionIsPublic -> ready",
    "free FORK_FROM isCreator -> NO_SUCH_ENCLAVE",
    "ready FORK_FROM - -> NOT_CREATOR",
    "ready FORK_FROM isCreator -> ready",
    "ready ATTEST - -> NOT_CREATOR",
    "ready ATTEST isCreator -> ready",
    "ready DESTROY - -> NOT_CREATOR",
    "ready DESTROY isCreator -> SHADOW_HAS_INSTANCES",
    "ready DESTROY isCreator,hasNoInstances -> free",
    "ready RUN isCreator -> SHADOW_NOT_RUNNABLE",
    "ready STOP isCreator -> SHADOW_NOT_RUNNABLE",
    "ready RESUME isCreator -> SHADOW_NOT_RUNNABLE",
    "ready EXIT - -> BAD_STATE",
    // a host that did not create it is told so before anything else (isStranger; the monitor's satp check)
    "ready RUN - -> NOT_CREATOR",
    "ready STOP - -> NOT_CREATOR",
    "ready RESUME - -> NOT_CREATOR",
    "ready WAKE - -> NOT_CREATOR",
    "ready WAKE isCreator -> BAD_STATE",
  ]);
});
