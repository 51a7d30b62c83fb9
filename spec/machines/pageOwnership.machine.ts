import { not, setup } from "xstate";
import { factGuard, reject, rejectAction, type MachineEvent } from "./machineEvent.ts";

/** Data preconditions read by the guards of `pageOwnership`, one bit each. */
export const PageFact = {
  /** The acting enclave owns the page, holds its relay region, has its (secure) shm attached, or is an instance of its shadow. */
  belongsToActor: 1,
} as const;

/** Abstract operations on one physical page. */
export const pageEvents = [
  "ASSIGN", // host page becomes private to an enclave (create, mmap, sbrk, fork copy)
  "SHARE_RO", // host page becomes a shadow's read-only page (PGL §3.4)
  "RELEASE", // enclave page scrubbed and returned to the host (PGL §3.5, CS-1)
  "TRANSFER", // enclave page lent/returned between enclaves (server call, PGL §3.3)
  "SCHRODINGER_GET", // host page joins a Schrödinger region (PGL §4.7)
  "SCHRODINGER_FREE",
  "RELAY_SECURE", // the region is handed to an enclave: private, unmapped from the host
  "RELAY_RETURN", // back to the host, not scrubbed (it carries the output)
  "RELAY_MOVE", // held region moves between enclaves or is tagged for a name
  "SHM_GET", // host page joins a host shm segment (PGL §4.10)
  "SHM_FREE",
  "SECURE_SHM_GET", // host page donated to a secure shm segment between enclaves (PGL §4.9)
  "SECURE_SHM_FREE", // scrubbed and returned when the last enclave detached (CS-1)
  "SHARE_WINDOW", // host page lent as an enclave's kbuffer window: stays public, cannot be secured meanwhile
  "UNSHARE_WINDOW", // the enclave died; the page is plain host memory again (not scrubbed: host data)
  "DONATE", // host page given to the monitor's metadata pool for good (PGL §1.3 fid 92)
  "HOST_LOAD",
  "HOST_STORE",
  "ENCLAVE_LOAD",
  "ENCLAVE_STORE",
  "PTE_DEST", // SET_PTE writes into this page
  "PTE_LEAF", // a valid SET_PTE leaf maps this page
  "SATP_ROOT", // satp points at this page
] as const;
export type PageEvent = MachineEvent<(typeof pageEvents)[number]>;

const F = PageFact;

/**
 * Ownership of one physical page (OW-1…OW-6, PT-3): every page has exactly one owner class,
 * and ownership moves only along the transitions below (OW-5).
 */
export const pageOwnership = setup({
  types: { events: {} as PageEvent },
  guards: { belongsToActor: factGuard(F.belongsToActor) },
  actions: { reject: rejectAction },
}).createMachine({
  id: "pageOwnership",
  initial: "host",
  // defaults for operations a state does not handle
  on: {
    HOST_LOAD: reject("ACCESS_FAULT"), // MI-4
    HOST_STORE: reject("ACCESS_FAULT"),
    ENCLAVE_LOAD: reject("ACCESS_FAULT"), // MI-5
    ENCLAVE_STORE: reject("ACCESS_FAULT"),
    PTE_DEST: reject("PTE_DEST_NOT_PTA"), // PT-2, PT-3
    PTE_LEAF: reject("PTE_TARGET_PRIVATE"), // PT-3, PT-4
    SATP_ROOT: reject("ILLEGAL_SATP"), // PT-1
    TRANSFER: reject("NOT_OWNER"),
    RELAY_MOVE: reject("NOT_OWNER"),
    RELEASE: reject("NOT_OWNER"),
    "*": reject("PAGES_NOT_AVAILABLE"),
  },
  states: {
    // public host memory
    host: {
      on: {
        ASSIGN: { target: "enclave" },
        SHARE_RO: { target: "shadowRO" },
        SCHRODINGER_GET: { target: "relayHost" },
        SHM_GET: { target: "shm" },
        DONATE: { target: "monitor" },
        SECURE_SHM_GET: { target: "secureShm" },
        SHARE_WINDOW: { target: "kbuffer" },
        HOST_LOAD: { target: "host" },
        HOST_STORE: { target: "host" },
        PTE_LEAF: { target: "host" },
      },
    },
    monitor: {},
    // page-table area: read-only to S-mode, written only through SET_PTE (PT-2)
    pta: {
      on: {
        HOST_LOAD: { target: "pta" },
        HOST_STORE: reject("PTA_READ_ONLY"),
        PTE_DEST: { target: "pta" },
        PTE_LEAF: { target: "pta" },
        SATP_ROOT: { target: "pta" },
      },
    },
    enclave: {
      on: {
        RELEASE: [{ guard: not("belongsToActor"), ...reject("NOT_OWNER") }, { target: "host" }],
        TRANSFER: [{ guard: not("belongsToActor"), ...reject("NOT_OWNER") }, { target: "enclave" }],
        ENCLAVE_LOAD: [{ guard: not("belongsToActor"), ...reject("ACCESS_FAULT") }, { target: "enclave" }],
        ENCLAVE_STORE: [{ guard: not("belongsToActor"), ...reject("ACCESS_FAULT") }, { target: "enclave" }],
      },
    },
    // read-only, shared by a shadow with its instances (IPC-6)
    shadowRO: {
      on: {
        RELEASE: [{ guard: not("belongsToActor"), ...reject("NOT_OWNER") }, { target: "host" }],
        ENCLAVE_LOAD: [{ guard: not("belongsToActor"), ...reject("ACCESS_FAULT") }, { target: "shadowRO" }],
      },
    },
    relayHost: {
      on: {
        SCHRODINGER_FREE: { target: "host" },
        RELAY_SECURE: { target: "relayEnclave" },
        HOST_LOAD: { target: "relayHost" },
        HOST_STORE: { target: "relayHost" },
        PTE_LEAF: { target: "relayHost" },
      },
    },
    relayEnclave: {
      on: {
        RELAY_RETURN: { target: "relayHost" },
        RELAY_MOVE: [{ guard: not("belongsToActor"), ...reject("NOT_OWNER") }, { target: "relayEnclave" }],
        ENCLAVE_LOAD: [{ guard: not("belongsToActor"), ...reject("ACCESS_FAULT") }, { target: "relayEnclave" }],
        ENCLAVE_STORE: [{ guard: not("belongsToActor"), ...reject("ACCESS_FAULT") }, { target: "relayEnclave" }],
      },
    },
    // public host page mapped into one enclave as its kbuffer (M17: never a private page)
    kbuffer: {
      on: {
        UNSHARE_WINDOW: { target: "host" },
        HOST_LOAD: { target: "kbuffer" },
        HOST_STORE: { target: "kbuffer" },
        PTE_LEAF: { target: "kbuffer" },
        ENCLAVE_LOAD: [{ guard: not("belongsToActor"), ...reject("ACCESS_FAULT") }, { target: "kbuffer" }],
        ENCLAVE_STORE: [{ guard: not("belongsToActor"), ...reject("ACCESS_FAULT") }, { target: "kbuffer" }],
      },
    },
    // private, shared by the enclaves attached to the segment (IPC-5)
    secureShm: {
      on: {
        SECURE_SHM_FREE: { target: "host" },
        ENCLAVE_LOAD: [{ guard: not("belongsToActor"), ...reject("ACCESS_FAULT") }, { target: "secureShm" }],
        ENCLAVE_STORE: [{ guard: not("belongsToActor"), ...reject("ACCESS_FAULT") }, { target: "secureShm" }],
      },
    },
    shm: {
      on: {
        SHM_FREE: { target: "host" },
        HOST_LOAD: { target: "shm" },
        HOST_STORE: { target: "shm" },
        PTE_LEAF: { target: "shm" },
        ENCLAVE_LOAD: [{ guard: not("belongsToActor"), ...reject("ACCESS_FAULT") }, { target: "shm" }],
        ENCLAVE_STORE: [{ guard: not("belongsToActor"), ...reject("ACCESS_FAULT") }, { target: "shm" }],
      },
    },
  },
});
