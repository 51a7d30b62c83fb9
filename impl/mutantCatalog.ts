/**
 * The bug classes of invariants.md §7 that are not planted as mutants (impl/mutants.ts), each with
 * the reason it does not apply to this system or cannot be reached by the checker's events. Every
 * other entry of M01–M41 is planted and killed (`npm run mutants`). `mutants --list` prints both.
 */
export const notPlanted: Readonly<Record<string, string>> = {
  M10: "integer overflow of base+size: the monitor computes addresses in BigInt and checks every range against RAM before use; the event vocabulary names pages, so no event can carry a wrapping address (malformed raw SBI arguments are fuzzed by hostCalls.liveFuzz.test.ts)",
  M18: "enclave page table mapping its own table pages: the checker's host only lays out well-formed images; a host-forged layout is not an event of the model (layoutCheck.ts has unit tests for it)",
  M23: "TOCTOU on host-shared memory: the monitor runs each trap to completion while every other hart stands still, so no host store can fall between a check and a use",
  M26: "SM region mis-protected by PMP: the host's page tables never map the SM region and SET_PTE refuses leaves to it, so PMP is a second line no event reaches (planted once: it survived 60 s of exploration)",
  M28: "scrub after unprotect: same as M23 — securing, scrubbing and releasing happen within one trap, no other hart runs in between",
  M31: "mideleg/mip not restored on the switch back: the checker's host takes no S-mode interrupts (every preemption is an explicit timer event), so a lost delegation has no observable effect",
  M34: "content added after finalisation: Penglai has no MAP_SECURE-style call after create; an enclave's measured image is fixed at create (AT-2 is checked on every step)",
  M36: "attestation data length: Penglai's report carries no caller-sized data field (the nonce is a fixed 64-bit value)",
  M41: "check-then-act race across harts: as M23, each SBI call is atomic in the emulated machine (harts interleave between instructions, the monitor's TypeScript runs to completion)",
};
