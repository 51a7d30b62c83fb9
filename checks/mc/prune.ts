import type { EnclaveKind, LifecycleState, Owner } from "../../model/state.ts";
import { enclaveOps, type EnclaveOp } from "../../spec/machines/enclaveOps.ts";
import { pageEvents, PageFact, type PageEvent } from "../../spec/machines/pageOwnership.machine.ts";
import type { TransitionTable } from "../../spec/tables/deriveTable.ts";
import { pageTable, tableForKind } from "../../spec/tables/tables.ts";
import { KINDS, kindCode, ownerCode, OWNERS, STATES, stateCode } from "./vocab.ts";

/**
 * What the machines' tables say about an operation whatever the facts: the fact bits present in
 * every fact set under which the operation is a transition (−1 when it never is). An operation whose
 * required bits include a fact known to be false is refused by the table.
 */
function requiredFacts<S extends string, E extends string>(
  table: TransitionTable<S, E>,
  ops: readonly E[],
): Map<S, Map<E, number>> {
  const out = new Map<S, Map<E, number>>();
  for (const state of table.states) {
    const row = new Map<E, number>();
    for (const op of ops) {
      let req = -1;
      for (let f = 0; f < 1 << table.factBits; f++) if (table.lookup(state, op, f).ok) req &= f;
      let any = false;
      for (let f = 0; f < 1 << table.factBits && !any; f++) any = table.lookup(state, op, f).ok;
      row.set(op, any ? req : -1);
    }
    out.set(state, row);
  }
  return out;
}

const byKind = new Map<EnclaveKind, Map<LifecycleState, Map<EnclaveOp, number>>>(
  (["none", "normal", "server", "shadow", "instance"] as const).map((k) => [k, requiredFacts(tableForKind(k), enclaveOps)]),
);
const byOwner = requiredFacts(pageTable, pageEvents);

/** Index of each enclave operation in `enclaveOps` (the columns of a refusal row). */
export const OP = Object.fromEntries(enclaveOps.map((op, i) => [op, i])) as Readonly<Record<EnclaveOp, number>>;

/**
 * Per kind and state, at `kindCode(kind) * STATES.length + stateCode(state)`: the required facts of
 * every operation, by `OP` index (−1: never a transition). A pair no machine has gets a row refusing everything.
 */
const rows: Int32Array[] = KINDS.flatMap((kind) =>
  STATES.map((state) => {
    const ops = byKind.get(kind as EnclaveKind)?.get(state as LifecycleState);
    return Int32Array.from(enclaveOps, (op) => ops?.get(op) ?? -1);
  }),
);

/** The refusal row of an enclave machine of `kind` in `state` (for `rowRefuses`). */
export function refusalRow(kind: EnclaveKind, state: LifecycleState): Int32Array {
  return rows[kindCode(kind) * STATES.length + stateCode(state)]!;
}

/** `machineRefuses` on a refusal row: operation `op` (an `OP` index) is refused whatever the facts not in `knownFalse`. */
export function rowRefuses(row: Int32Array, op: number, knownFalse = 0): boolean {
  const req = row[op]!;
  return req === -1 || (req & knownFalse) !== 0;
}

/**
 * True iff the enclave machine of `kind` refuses `op` in `state` under every fact set that lacks
 * the bits `knownFalse` (EnclaveFact bits the caller knows to be false; 0 = whatever the facts).
 */
export function machineRefuses(kind: EnclaveKind, state: LifecycleState, op: EnclaveOp, knownFalse = 0): boolean {
  return rowRefuses(refusalRow(kind, state), OP[op], knownFalse);
}

/** True iff the pageOwnership machine refuses `op` on a page owned by `owner` under every fact set lacking `knownFalse`. */
export function pageRefuses(owner: Owner, op: PageEvent["type"], knownFalse = 0): boolean {
  const req = byOwner.get(owner)!.get(op)!;
  return req === -1 || (req & knownFalse) !== 0;
}

/** The page operations of host calls (no acting enclave: facts 0), one bit each. */
export const HostOp = {
  ASSIGN: 1,
  SHARE_WINDOW: 2,
  SHM_GET: 4,
  SCHRODINGER_GET: 8,
  DONATE: 16,
  HOST_LOAD: 32,
  HOST_STORE: 64,
  SATP_ROOT: 128,
  PTE_LEAF: 256,
  PTE_DEST: 512,
  SCHRODINGER_FREE: 1024,
  SECURE_SHM_GET: 2048,
} as const satisfies Partial<Record<PageEvent["type"], number>>;

/** By `ownerCode(owner)`: the HostOp bits refused on a page of that owner. */
const hostRefusals: Int32Array = Int32Array.from(OWNERS, (owner) => {
  let bits = 0;
  for (const [op, bit] of Object.entries(HostOp))
    if (pageRefuses(owner as Owner, op as PageEvent["type"], PageFact.belongsToActor)) bits |= bit;
  return bits;
});

/** The host page operations (HostOp bits) the pageOwnership machine refuses on a page owned by `owner`. */
export function hostOpsRefused(owner: Owner): number {
  return hostRefusals[ownerCode(owner)]!;
}
