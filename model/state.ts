import { z } from "zod";
import { configSchema, type Config } from "./config.ts";

/** `cur[h]` value meaning "the host runs on this hart". */
export const HOST = -1;
/** Id value meaning "none" (no enclave, no relay, no shm, no host). */
export const NONE = -1;

/** Kind of an enclave slot (PGL §3.1, §3.3, §3.4). `none` = free slot. */
export const enclaveKindSchema = z.enum(["none", "normal", "server", "shadow", "instance"]);
export type EnclaveKind = z.infer<typeof enclaveKindSchema>;

/**
 * Lifecycle state of an enclave slot: the union of the state names of the enclaveLifecycle,
 * serverEnclave and shadowEnclave machines (spec/machines). `free` = INVALID slot.
 */
export const lifecycleStateSchema = z.enum([
  "free",
  "fresh",
  "running",
  "runnable",
  "stopped",
  "ocalling",
  "relayReturned",
  "blocked",
  "idle",
  "preempted",
  "ready",
]);
export type LifecycleState = z.infer<typeof lifecycleStateSchema>;

/** Ocall the monitor recorded when the enclave left for the host (design.md: never trust the host's id). */
export const pendingOcallSchema = z.enum(["none", "print", "mmap", "unmap", "sbrk", "returnRelay", "shmGet"]);
export type PendingOcall = z.infer<typeof pendingOcallSchema>;

/** One enclave slot, indexed by eid. */
export const enclaveSchema = z.object({
  kind: enclaveKindSchema,
  state: lifecycleStateSchema,
  name: z.string(),
  /** Host process that created it (NONE for a free slot). */
  creator: z.number().int(),
  /** Opaque measurement digest, fixed at creation (AT-2); "" for a free slot. */
  measurement: z.string(),
  /** Parent shadow of a fork instance (NONE otherwise) — IPC-6. */
  parent: z.number().int(),
  /** Enclave that called this server and waits for it (NONE otherwise) — IPC-1. */
  caller: z.number().int(),
  /** Server this enclave is blocked on (NONE otherwise) — IPC-1. */
  callee: z.number().int(),
  /** Relay regions held (mapped in this enclave), ascending ids — OW-6. */
  relays: z.array(z.number().int()),
  /** Host shm segment attached at creation (NONE otherwise) — IPC-5. */
  shm: z.number().int(),
  /** Relay region bound by PLenclave_set_mem_arg, handed over at run and re-run (NONE otherwise). */
  memArg: z.number().int(),
  /** Request pages lent by the caller for the current server call, in order (PGL §3.3). */
  callPages: z.array(z.number().int()),
  /** Request relay region lent by the caller for the current server call (NONE otherwise). */
  callRelay: z.number().int(),
  /** Recorded pending ocall while `ocalling`/`relayReturned`. */
  pending: pendingOcallSchema,
  /** Number of pages the pending mmap/sbrk/shmGet ocall asked for. */
  pendingPages: z.number().int(),
  /** Key of the pending OCALL_SHM_GET (0 otherwise). */
  pendingKey: z.number().int(),
  /** Value returned by EAPP_RETURN (or by the last server return). */
  retval: z.number().int(),
});
export type Enclave = z.infer<typeof enclaveSchema>;

/** Owner class of a physical page: the state of the pageOwnership machine. */
export const ownerSchema = z.enum([
  "host", // public host memory
  "monitor", // monitor code/data, PMP-protected
  "pta", // page-table area, read-only to S-mode
  "enclave", // private to enclave `id`
  "shadowRO", // read-only page of shadow `id`, shared with its instances
  "relayHost", // page of relay region `id` while the host holds it (public, Schrödinger)
  "relayEnclave", // page of relay region `id` while an enclave holds it or it is pending (private)
  "shm", // page of host shm segment `id` (public)
  "secureShm", // page of secure shm segment `id`, shared by the enclaves attached to it (private)
  "kbuffer", // public host page lent as enclave `id`'s kbuffer window (PGL §4.6); never securable meanwhile
]);
export type Owner = z.infer<typeof ownerSchema>;

/** One physical page of the managed range, indexed by page number. */
export const pageSchema = z.object({
  owner: ownerSchema,
  /** eid (enclave, shadowRO, kbuffer), relay id, shm id or secure shm id depending on `owner`; NONE for host/monitor/pta. */
  id: z.number().int(),
  /** The monitor's bitmap PRIVATE bit (PGL §4.5) — OW-1. */
  secure: z.boolean(),
  /** All bytes are zero. */
  zeroed: z.boolean(),
});
export type Page = z.infer<typeof pageSchema>;

/** A host shared-memory segment (PGL §4.10), indexed by shm id. */
export const shmSchema = z.object({
  live: z.boolean(),
  creator: z.number().int(),
  pages: z.array(z.number().int()),
  /** Mapped into its creator's address space (PLenclave_shmat). */
  hostAttached: z.boolean(),
  /** Enclaves it is attached to, ascending eids — IPC-5. */
  enclaves: z.array(z.number().int()),
});
export type Shm = z.infer<typeof shmSchema>;

/** A secure shared-memory segment between enclaves (PGL §4.9), indexed by secure shm id. */
export const secureShmSchema = z.object({
  live: z.boolean(),
  key: z.number().int(),
  /** Enclave that created it (NONE once it died). */
  owner: z.number().int(),
  pages: z.array(z.number().int()),
  /** Enclaves the owner allows to attach, ascending (the intended access control, design.md). */
  allowed: z.array(z.number().int()),
  /** Enclaves attached, ascending; its reference count is their number (IPC-5). */
  attached: z.array(z.number().int()),
  /** Destroy requested: freed when the last enclave detaches. */
  destroyPending: z.boolean(),
});
export type SecureShm = z.infer<typeof secureShmSchema>;

/** Who holds a relay (Schrödinger) region (PGL §4.7). */
export const relayHolderSchema = z.enum(["none", "host", "enclave", "pending"]);

/** A Schrödinger/relay region, indexed by relay id. */
export const relaySchema = z.object({
  live: z.boolean(),
  creator: z.number().int(),
  pages: z.array(z.number().int()),
  holder: relayHolderSchema,
  /** Holding enclave when holder = enclave, else NONE. */
  eid: z.number().int(),
  /** Target name when holder = pending (asyn_enclave_call), else "". */
  name: z.string(),
  /**
   * The creator mapped it into its address space (PLenclave_schrodinger_at). The host can reach the
   * pages only while it holds the region (owner `relayHost`); while an enclave holds it the monitor
   * has invalidated those host mappings (PGL §4.7).
   */
  hostMapped: z.boolean(),
});
export type Relay = z.infer<typeof relaySchema>;

/** One entry of the server name table (PGL §3.3). */
export const serverEntrySchema = z.object({ name: z.string(), eid: z.number().int() });

/** The abstract state of the whole system: plain, ordered, serialisable. */
export const systemSchema = z.object({
  config: configSchema,
  /** `cur[h]`: HOST (−1) or the eid running on hart h. */
  harts: z.array(z.number().int()),
  enclaves: z.array(enclaveSchema),
  pages: z.array(pageSchema),
  shms: z.array(shmSchema),
  secureShms: z.array(secureShmSchema),
  relays: z.array(relaySchema),
  /** Server name table, sorted by name. */
  servers: z.array(serverEntrySchema),
});
export type System = z.infer<typeof systemSchema>;

/** The free enclave slot. */
export const freeEnclave: Enclave = {
  kind: "none",
  state: "free",
  name: "",
  creator: NONE,
  measurement: "",
  parent: NONE,
  caller: NONE,
  callee: NONE,
  relays: [],
  shm: NONE,
  memArg: NONE,
  callPages: [],
  callRelay: NONE,
  pending: "none",
  pendingPages: 0,
  pendingKey: 0,
  retval: 0,
};

/** A free shm id. */
export const freeShm: Shm = { live: false, creator: NONE, pages: [], hostAttached: false, enclaves: [] };

/** A free secure shm id. */
export const freeSecureShm: SecureShm = {
  live: false, key: 0, owner: NONE, pages: [], allowed: [], attached: [], destroyPending: false,
};

/** A free relay id. */
export const freeRelay: Relay = {
  live: false,
  creator: NONE,
  pages: [],
  holder: "none",
  eid: NONE,
  name: "",
  hostMapped: false,
};

/** The state after boot: every hart runs the host, monitor and page-table-area pages set apart. */
export function initialSystem(config: Config): System {
  const pages: Page[] = [];
  for (let p = 0; p < config.pages; p++) {
    if (p < config.monitorPages) pages.push({ owner: "monitor", id: NONE, secure: true, zeroed: false });
    else if (p < config.monitorPages + config.ptaPages)
      pages.push({ owner: "pta", id: NONE, secure: false, zeroed: false });
    else pages.push({ owner: "host", id: NONE, secure: false, zeroed: false });
  }
  return {
    config,
    harts: Array.from({ length: config.harts }, () => HOST),
    enclaves: Array.from({ length: config.enclaves }, () => freeEnclave),
    pages,
    shms: Array.from({ length: config.shms }, () => freeShm),
    secureShms: Array.from({ length: config.secureShms }, () => freeSecureShm),
    relays: Array.from({ length: config.relays }, () => freeRelay),
    servers: [],
  };
}
