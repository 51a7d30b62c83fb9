import { z } from "zod";

/**
 * Return codes of the specification (PGL §1.2). The non-negative codes are Penglai's own
 * (what the host run loop sees); the negative ones give every failure cause its own code,
 * where the original overloads −2 (design.md, "one code per cause").
 */
export const ReturnCode = {
  // PGL §1.2, unchanged
  SUCCESS: 0,
  TIMER_IRQ: 1,
  OCALL: 2,
  YIELD: 3,
  RETURN_USER_MODE: 4, // relay pages handed back to the host (OCALL_RETURN_RELAY_PAGE)
  RETURN_MONITOR_MODE: 5,
  ERROR: -1, // the enclave was killed by an unhandled trap (PGL §2.1)
  NO_MEM: -2, // no free enclave slot in the monitor's metadata pool
  ATTESTATION: -3,
  // one code per cause (design.md)
  NOT_SUPPORTED: -4, // unknown function id (PGL §1.1 answers −2)
  SERVER_BUSY: -5, // callee server already serving a call (PGL §3.3 answers −2)
  WRONG_DOMAIN: -6, // host call from a hart running an enclave, or the reverse (LC-3)
  INVALID_HART: -7,
  INVALID_ID: -8, // eid, shm id, relay id, host id or page number out of range (SP-3)
  NO_SUCH_ENCLAVE: -9,
  NOT_CREATOR: -10, // host operation by a host that did not create the enclave (M08)
  BAD_STATE: -11, // the lifecycle state does not allow the operation (LC-1)
  NO_FREE_ID: -12, // shm or relay table full
  INVALID_ARGUMENT: -13,
  PAGES_NOT_AVAILABLE: -14, // a page handed to the monitor is not public host memory (OW-5)
  SERVER_NAME_TAKEN: -15,
  NO_SUCH_SERVER: -16,
  SERVER_NOT_RUNNABLE: -17, // servers are never run by the host (PGL §3.3)
  SERVER_CANNOT_EXIT: -18,
  SERVER_IN_CALL: -19,
  CALLER_BLOCKED: -20, // enclave waits in a server call (IPC-2)
  SHADOW_HAS_INSTANCES: -21, // IPC-6
  SHADOW_NOT_RUNNABLE: -22,
  NOT_OWNER: -23, // the caller does not hold the pages or region it names (OW-6)
  RELAY_UNAVAILABLE: -24,
  OCALL_PAGES_INVALID: -25, // pages supplied to finish an ocall are wrong in number or not public
  SHM_IN_USE: -26,
  NO_SUCH_SHM: -27,
  NO_SUCH_RELAY: -28,
  NOT_A_SHADOW: -29,
  NOT_A_SERVER: -30,
  ACCESS_FAULT: -31, // a load/store to a page the domain may not access (MI-1)
  PTE_DEST_NOT_PTA: -32, // SET_PTE destination outside the page-table area (PT-3)
  PTE_TARGET_PRIVATE: -33, // SET_PTE leaf to a private page (PT-3)
  ILLEGAL_SATP: -34, // satp root outside the page-table area (PT-1)
  NO_CALLER: -35,
  INVALID_KEY_TYPE: -36,
  PTA_READ_ONLY: -37, // S-mode store to the page-table area (PT-2)
  ALREADY_INITIALISED: -38, // SM_INIT / PT_AREA_SEPARATION are one-shot (PGL §4.3 (f))
  SHM_NOT_ALLOWED: -39, // secure shm: the owner did not list this enclave (PGL §4.9, intended ACL)
  SHM_KEY_TAKEN: -40,
  ALREADY_ATTACHED: -41,
  NOT_ATTACHED: -42,
} as const;

/** Name of a return code. */
export type CodeName = keyof typeof ReturnCode;

/** All code names, in declaration order. */
export const codeNames = Object.keys(ReturnCode) as [CodeName, ...CodeName[]];

/** zod schema of a code name. */
export const codeNameSchema = z.enum(codeNames);

/** The Penglai numeric value of a code. */
export function codeValue(name: CodeName): number {
  return ReturnCode[name];
}
