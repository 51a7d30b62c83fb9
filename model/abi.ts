/**
 * Function ids of the two SBI extensions (PGL §1.3, §2.2) and the ocall sub-ids (PGL §2.3).
 * The spec only needs them to classify `adversary.sbi` calls; the implementation dispatches on them.
 */
export const HOST_EXTENSION = 0x100100;
export const ENCLAVE_EXTENSION = 0x100101;

/** Host function ids, extension 0x100100, in a6 (PGL §1.3). */
export const HostFid = {
  SM_INIT: 100,
  SET_PTE: 101,
  PT_AREA_SEPARATION: 83,
  MAP_PTE: 81,
  MEMORY_EXTEND: 92,
  CREATE_ENCLAVE: 99,
  ATTEST_ENCLAVE: 98,
  RUN_ENCLAVE: 97,
  STOP_ENCLAVE: 96,
  RESUME_ENCLAVE: 95,
  DESTROY_ENCLAVE: 94,
  CREATE_SERVER_ENCLAVE: 90,
  DESTROY_SERVER_ENCLAVE: 89,
  CREATE_SHADOW_ENCLAVE: 86,
  RUN_SHADOW_ENCLAVE: 87,
  ATTEST_SHADOW_ENCLAVE: 80,
  DESTROY_SHADOW_ENCLAVE: 79,
  SCHRODINGER_INIT: 85,
} as const;

/** Enclave function ids, extension 0x100101, in a7 (PGL §2.2). */
export const EnclaveFid = {
  EXIT_ENCLAVE: 99,
  ENCLAVE_OCALL: 98,
  ACQUIRE_SERVER: 97,
  CALL_ENCLAVE: 96,
  ENCLAVE_RETURN: 95,
  GET_REPORT: 94,
  ASYN_ENCLAVE_CALL: 93,
  SPLIT_MEM_REGION: 92,
  GET_CALLER_ID: 91,
  GET_ENCLAVE_ID: 90,
  YIELD: 89,
  GET_KEY: 88,
  /** Secure shared memory between enclaves (PGL §4.9): attach by key, stat. */
  SHM_ATTACH: 84,
  SHM_STAT: 83,
  /** The owner lists an enclave that may attach (our addition: the original had no access control). */
  SHM_ALLOW: 82,
} as const;

/** Platform SBI extensions (SBI v2.0 EIDs; `legacyConsole` is legacy putchar, EID 1) an enclave may try to call. */
export const PLATFORM_SBI_EXTENSIONS = ["time", "ipi", "rfence", "hsm", "srst", "legacyConsole"] as const;
export const PLATFORM_SBI_EID: Record<(typeof PLATFORM_SBI_EXTENSIONS)[number], number> = {
  time: 0x54494d45,
  ipi: 0x735049,
  rfence: 0x52464e43,
  hsm: 0x48534d,
  srst: 0x53525354,
  legacyConsole: 1,
};

/** Ocall sub-ids, a0 of ENCLAVE_OCALL (PGL §2.3). */
export const OcallId = {
  MMAP: 1,
  UNMAP: 2,
  SYS_WRITE: 3,
  SBRK: 4,
  RETURN_RELAY_PAGE: 7,
  /** Secure shared memory (PGL §4.9): create (the host donates the pages), detach, destroy. */
  SHM_GET: 9,
  SHM_DETACH: 10,
  SHM_DESTROY: 11,
} as const;

/** Key types of GET_KEY (PGL §5.4). */
export const KeyType = { ENCLAVE_KEY: 0, STORAGE_KEY: 1, ATTEST_KEY: 2 } as const;

/** Host functions that run once at boot; the spec's initial state is after boot (PGL §1.3, §4.3 (f)). */
export const ONE_SHOT_FIDS: readonly number[] = [HostFid.SM_INIT, HostFid.PT_AREA_SEPARATION];

/** Most random bytes one OCALL_GETRANDOM may ask for (SP-4: sizes bounded by constants). */
export const MAX_RANDOM_BYTES = 4096;

/** Most records one SET_PTE batch may carry (PGL §4.2: up to 512). */
export const MAX_PTE_BATCH = 512;

/** True iff `fid` is a host function the monitor dispatches. */
export function isHostFid(fid: number): boolean {
  return (Object.values(HostFid) as number[]).includes(fid);
}
