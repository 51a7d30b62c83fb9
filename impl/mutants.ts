/**
 * Mutants: realistic bugs of the bug-class catalog (invariants.md §7) that the checker must catch,
 * planted at the place in `impl/` where such a bug would live and switched on by configuration —
 * never by editing files. At most one is active in a process (or worker); none by default.
 * `checks/explore/mutants.ts` runs the checker against each.
 */
export const implMutants = {
  M01: "an enclave's ecall to the host extension is dispatched as a host call (no caller-domain guard)",
  M02: "run accepts any live enclave, not only a FRESH one (lifecycle guard weakened)",
  M03: "resume after a timer accepts a FRESH (never entered) enclave",
  M04: "destroy of an enclave running on another hart neither refuses nor stops it by IPI",
  M05: "destroy of a free slot answers SUCCESS (no liveness check)",
  M06: "RESUME_FROM_OCALL drops the pending ocall before checking the host's pages (partial effect on the error path)",
  M07: "get_enclave_id answers the caller-supplied a0 instead of the monitor's record of who runs",
  M11: "the private-page range check leaves out the last page (off by one)",
  M12: "the timer exit path leaves the hart marked as running the enclave (per-hart state not updated)",
  M13: "securing pages skips the TLB shootdown of every hart",
  M14: "securing a range leaves the host's leaf of its last page",
  M17: "the kbuffer page is not checked to be public host memory",
  M19: "a region lent in a server call (or handed back) stays mapped in its sender: ownership moves but the mapping is not exclusive",
  M20: "an eid equal to the number of slots passes the range check",
  M22: "a range is judged public by its first page only",
  M27: "exit/destroy does not scrub the enclave's pages before giving them back",
  M29: "pages donated for mmap/sbrk are not zero-filled",
  M33: "the measurement includes the content of the shared windows (kbuffer, shm), which the host writes",
  M30: "a resume restores every enclave register but sp (x2), left as the host had it",
  M38: "a call to a server that is serving another call is not refused (no busy check)",
  M32: "host attestation overwrites the stored measurement with the nonce-bound hash",
  M08: "a host call on an enclave is not bound to the host process that created it (no host_ptbr comparison)",
  M09: "securing a range (create, donations) does not test it against enclaves' and the monitor's pages",
  M15: "releasing a range re-validates the host's PROT_NONE entries that point into it, not only the leaves securing removed",
  M16: "a donated block that is already some enclave's private memory is taken as if it had been secured",
  M21: "host attestation writes the report through the host's pointer without checking it is public host memory",
  M24: "getrandom's size is not bounded (the monitor fills whatever the enclave asks)",
  M25: "an enclave's ecall into a platform SBI extension (timer, IPI, reset…) is served as the host's would be, not refused by killing it",
  M40: "a shadow enclave can be destroyed while instances forked from it still share its pages (no child check)",
  M35: "a fork instance shares its shadow's writable pages instead of copying them (it writes the measured template)",
  M37: "sealing keys are derived from the root key alone, not bound to the enclave's measurement",
  M39: "destroy of a caller blocked in a server call is not refused (its memory is freed under the callee)",
} as const satisfies Record<string, string>;

export type ImplMutantId = keyof typeof implMutants;

let active: ImplMutantId | null = null;

/** Switch mutant `id` on (null: none). */
export function setImplMutant(id: ImplMutantId | null): void {
  active = id;
}

/** Is mutant `id` the active one? (Planted bugs ask this.) */
export function mutant(id: ImplMutantId): boolean {
  return active === id;
}

export function isImplMutant(id: string): id is ImplMutantId {
  return Object.hasOwn(implMutants, id);
}
