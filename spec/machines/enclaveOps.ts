import type { MachineEvent } from "./machineEvent.ts";

/**
 * Data preconditions the enclave machines' guards read, one bit each. `step` computes them from
 * the `System`; each machine reads only the ones it names in its guards.
 */
export const EnclaveFact = {
  /** The acting host created this enclave (design.md: every host op requires its creator; M08). */
  isCreator: 1,
  /** Every page handed over is public host memory (OW-5). */
  regionIsPublic: 2,
  /** The relay regions the run hands over are held by the host (PGL §4.7). */
  relayIsReady: 4,
  /** The enclave holds every page/region the call names, none of them lent to it (OW-6). */
  namedPagesAreOwned: 8,
  /** Pages supplied to finish the pending ocall are public and as many as asked (CS-2). */
  suppliedPagesFit: 16,
  /** No live server already has this name (PGL §3.3). */
  nameIsFree: 32,
  /** No live fork instance has this shadow as parent (IPC-6, M40). */
  hasNoInstances: 64,
} as const;

/** Number of fact bits of `EnclaveFact`. */
export const ENCLAVE_FACT_BITS = 7;

/** Abstract operations on an enclave slot; shared by the three enclave machines. */
export const enclaveOps = [
  "CREATE", // host.create (PGL §3.1, fid 99/90/86)
  "FORK", // host.fork: the instance slot is created running (PGL §3.4, fid 87)
  "FORK_FROM", // host.fork: the shadow it is forked from
  "BIND", // host.setMemArg
  "RUN", // host.run (fid 97)
  "TIMER", // env.timer on its hart (PGL §6.1)
  "YIELD", // enclave.yield (fid 89)
  "OCALL", // enclave.print / mmap / sbrk > 0 (PGL §2.3)
  "OCALL_RELEASE", // enclave.unmap / sbrk < 0: gives pages back first
  "RETURN_RELAY", // enclave.returnRelay (ocall 7)
  "RESUME", // host.resume reason timer (fid 95)
  "WAKE", // host.resume reason stop
  "RESUME_OCALL", // host.ocallReturn
  "RERUN", // host.rerun after RETURN_RELAY
  "STOP", // host.stop (fid 96)
  "ATTEST", // host.attest (fid 98/80)
  "DESTROY", // host.destroy (fid 94/89/79)
  "EXIT", // enclave.exit (fid 99)
  "FAULT", // unhandled trap: the monitor kills it (PGL §2.1)
  "SERVICE", // enclave calls that leave the lifecycle state alone (ids, report, key, access)
  "RELAY_OP", // enclave.asyncCall / splitRelay
  "CALL_OUT", // enclave.callServer: the caller blocks (PGL §3.3)
  "CALLED", // the callee of enclave.callServer
  "SERVER_RETURN", // enclave.serverReturn (fid 95)
  "CALL_RETURNED", // the caller, when its callee returns
  "CALLEE_FAULT", // a trap killed the enclave's callee chain
] as const;

/** An abstract enclave operation. */
export type EnclaveOp = (typeof enclaveOps)[number];

/** Host operations on a live enclave: each needs the acting host to be its creator (design.md; LC-3, M08). */
export const hostOps: ReadonlySet<string> = new Set<EnclaveOp>([
  "FORK_FROM", "BIND", "RUN", "RESUME", "WAKE", "RESUME_OCALL", "RERUN", "STOP", "ATTEST", "DESTROY",
]);

/**
 * Guard: a host operation by a host that did not create the enclave. It is refused NOT_CREATOR before
 * anything else is looked at, so one host process learns nothing of another's enclaves' states (the
 * monitor checks the caller's satp first, PGL §3.2 host_ptbr; found by the explorer's second host).
 */
export function isStranger({ event }: { event: { type: string; facts: number } }): boolean {
  return hostOps.has(event.type) && (event.facts & EnclaveFact.isCreator) === 0;
}
/** What an enclave machine receives. */
export type EnclaveEvent = MachineEvent<EnclaveOp>;
