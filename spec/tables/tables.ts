import { enclaveLifecycle, LifecycleFact, lifecycleEvents } from "../machines/enclaveLifecycle.machine.ts";
import { pageEvents, PageFact, pageOwnership } from "../machines/pageOwnership.machine.ts";
import { serverEnclave, ServerFact, serverEvents } from "../machines/serverEnclave.machine.ts";
import { shadowEnclave, ShadowFact, shadowEvents } from "../machines/shadowEnclave.machine.ts";
import { deriveTable } from "./deriveTable.ts";

const bits = (facts: Record<string, number>) => Object.keys(facts).length;

/** Transition table of `enclaveLifecycle` (normal enclaves and fork instances). */
export const lifecycleTable = deriveTable(enclaveLifecycle, lifecycleEvents, bits(LifecycleFact));
/** Transition table of `serverEnclave`. */
export const serverTable = deriveTable(serverEnclave, serverEvents, bits(ServerFact));
/** Transition table of `shadowEnclave`. */
export const shadowTable = deriveTable(shadowEnclave, shadowEvents, bits(ShadowFact));
/** Transition table of `pageOwnership`. */
export const pageTable = deriveTable(pageOwnership, pageEvents, bits(PageFact));

/** Every machine with its table, operations and fact bits (for tests and diagrams). */
export const machines = [
  { name: "enclaveLifecycle", machine: enclaveLifecycle, table: lifecycleTable, events: lifecycleEvents, facts: LifecycleFact },
  { name: "serverEnclave", machine: serverEnclave, table: serverTable, events: serverEvents, facts: ServerFact },
  { name: "shadowEnclave", machine: shadowEnclave, table: shadowTable, events: shadowEvents, facts: ShadowFact },
  { name: "pageOwnership", machine: pageOwnership, table: pageTable, events: pageEvents, facts: PageFact },
] as const;
