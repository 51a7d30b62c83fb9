import type { AnyStateMachine } from "xstate";
import { enclaveLifecycle, lifecycleFacts } from "../machines/enclaveLifecycle.machine.ts";
import { ENCLAVE_FACT_BITS, EnclaveFact, enclaveOps, type EnclaveOp } from "../machines/enclaveOps.ts";
import { pageEvents, PageFact, pageOwnership, type PageEvent } from "../machines/pageOwnership.machine.ts";
import { serverEnclave, serverFacts } from "../machines/serverEnclave.machine.ts";
import { shadowEnclave, shadowFacts } from "../machines/shadowEnclave.machine.ts";
import type { EnclaveKind, LifecycleState, Owner } from "../../model/state.ts";
import { deriveTable, type TransitionTable } from "./deriveTable.ts";

/** Transition table of `enclaveLifecycle` (normal enclaves and fork instances). */
export const lifecycleTable = deriveTable<LifecycleState, EnclaveOp>(
  enclaveLifecycle, enclaveOps, ENCLAVE_FACT_BITS, lifecycleFacts);
/** Transition table of `serverEnclave`. */
export const serverTable = deriveTable<LifecycleState, EnclaveOp>(
  serverEnclave, enclaveOps, ENCLAVE_FACT_BITS, serverFacts);
/** Transition table of `shadowEnclave`. */
export const shadowTable = deriveTable<LifecycleState, EnclaveOp>(
  shadowEnclave, enclaveOps, ENCLAVE_FACT_BITS, shadowFacts);
/** Transition table of `pageOwnership`. */
export const pageTable = deriveTable<Owner, PageEvent["type"]>(pageOwnership, pageEvents, 1);

/** The table that governs an enclave slot of kind `kind` (a free slot uses the lifecycle's `free`). */
export function tableForKind(kind: EnclaveKind): TransitionTable<LifecycleState, EnclaveOp> {
  return kind === "server" ? serverTable : kind === "shadow" ? shadowTable : lifecycleTable;
}

/** A machine with its table, operations and fact bits. */
export interface MachineEntry {
  name: string;
  machine: AnyStateMachine;
  table: TransitionTable;
  events: readonly string[];
  facts: Readonly<Record<string, number>>;
}

/** Every machine with its table, operations and fact bits (for tests and diagrams). */
export const machines: readonly MachineEntry[] = [
  { name: "enclaveLifecycle", machine: enclaveLifecycle, table: lifecycleTable, events: enclaveOps, facts: EnclaveFact },
  { name: "serverEnclave", machine: serverEnclave, table: serverTable, events: enclaveOps, facts: EnclaveFact },
  { name: "shadowEnclave", machine: shadowEnclave, table: shadowTable, events: enclaveOps, facts: EnclaveFact },
  { name: "pageOwnership", machine: pageOwnership, table: pageTable, events: pageEvents, facts: PageFact },
];
