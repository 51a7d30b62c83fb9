import { z } from "zod";
import { PLATFORM_SBI_EXTENSIONS } from "./abi.ts";

// Every event names the hart it happens on. Ids are unconstrained integers here: an
// out-of-range id is a legal *event* (an adversary may send it) that the spec answers
// with INVALID_ID (SP-3).
const id = z.number().int();
const pageList = z.array(id);
const hostCall = { hart: id, host: id };
const enclaveCall = { hart: id };

/** Host SDK calls (PGL §1.3, SDK §2), issued by host process `host` on hart `hart`. */
export const hostEventSchemas = [
  /** PLenclave_create: normal, server or shadow enclave over host pages `pages`; the first `textPages` are read-only text. */
  z.object({
    type: z.literal("host.create"),
    ...hostCall,
    kind: z.enum(["normal", "server", "shadow"]),
    name: z.string(),
    /** Opaque digest of the loaded image; becomes the measurement (AT-1). */
    image: z.string(),
    pages: pageList,
    textPages: id,
    /** Host shm segment to attach (PLenclave_set_shm), or −1. */
    shm: id,
    /** Public host page lent as the kbuffer window (print buffer, PGL §4.6), or −1. */
    kbuffer: id,
  }),
  /** PLenclave_run of a shadow eid (fid 87): fork an instance over fresh host `pages` and run it on `hart`. */
  z.object({ type: z.literal("host.fork"), ...hostCall, shadow: id, name: z.string(), pages: pageList, kbuffer: id }),
  /** PLenclave_run (fid 97); `inherit` = take the relay regions pending for the enclave's name (mm_arg 0xFFFF). */
  z.object({ type: z.literal("host.run"), ...hostCall, eid: id, inherit: z.boolean() }),
  /** PLenclave_stop (fid 96). */
  z.object({ type: z.literal("host.stop"), ...hostCall, eid: id }),
  /** PLenclave_resume (fid 95): `timer` resumes a preempted/yielded enclave, `stop` wakes a stopped one. */
  z.object({ type: z.literal("host.resume"), ...hostCall, eid: id, reason: z.enum(["timer", "stop"]) }),
  /** Run loop finishing an ocall (fid 95, RESUME_FROM_OCALL); `pages` answer mmap/sbrk. */
  z.object({ type: z.literal("host.ocallReturn"), ...hostCall, eid: id, pages: pageList }),
  /** Re-run after OCALL_RETURN_RELAY_PAGE (PLenclave_set_rerun_arg + PLenclave_run). */
  z.object({ type: z.literal("host.rerun"), ...hostCall, eid: id }),
  /**
   * PLenclave_attest (fid 98 / 80). `report`: the page the host asks the report to be written to
   * (absent or NONE: the driver's own buffer); it must be public host memory (PGL §4.8, SP-2).
   */
  z.object({ type: z.literal("host.attest"), ...hostCall, eid: id, nonce: id, report: id.optional() }),
  /** PLenclave_destroy (fid 94 / 89 / 79). */
  z.object({ type: z.literal("host.destroy"), ...hostCall, eid: id }),
  /** PLenclave_shmget over host `pages`. */
  z.object({ type: z.literal("host.shmget"), ...hostCall, pages: pageList }),
  /** PLenclave_shmat. */
  z.object({ type: z.literal("host.shmat"), ...hostCall, shm: id }),
  /** PLenclave_shmdt. */
  z.object({ type: z.literal("host.shmdt"), ...hostCall, shm: id }),
  /** PLenclave_shmctl: revoke the segment. */
  z.object({ type: z.literal("host.shmctl"), ...hostCall, shm: id }),
  /** PLenclave_schrodinger_get over host `pages`. */
  z.object({ type: z.literal("host.schrodingerGet"), ...hostCall, pages: pageList }),
  /** PLenclave_schrodinger_at. */
  z.object({ type: z.literal("host.schrodingerAt"), ...hostCall, relay: id }),
  /** PLenclave_schrodinger_dt. */
  z.object({ type: z.literal("host.schrodingerDt"), ...hostCall, relay: id }),
  /** PLenclave_schrodinger_ctl: revoke the region. */
  z.object({ type: z.literal("host.schrodingerCtl"), ...hostCall, relay: id }),
  /** PLenclave_set_mem_arg: bind relay region `relay` to enclave `eid`. */
  z.object({ type: z.literal("host.setMemArg"), ...hostCall, eid: id, relay: id }),
  /** SBI_MEMORY_EXTEND (fid 92): donate host `pages` to the monitor's metadata pool (never returned). */
  z.object({ type: z.literal("host.memoryExtend"), ...hostCall, pages: pageList }),
] as const;

/** Enclave calls (PGL §2.2, §2.3), made by the enclave running on `hart`. */
export const enclaveEventSchemas = [
  /** EAPP_RETURN (fid 99). */
  z.object({ type: z.literal("enclave.exit"), ...enclaveCall, retval: id }),
  /** eapp_print → OCALL_SYS_WRITE. */
  z.object({ type: z.literal("enclave.print"), ...enclaveCall }),
  /** eapp_mmap → OCALL_MMAP of `count` pages. */
  z.object({ type: z.literal("enclave.mmap"), ...enclaveCall, count: id }),
  /** eapp_unmap → OCALL_UNMAP of its own `pages`. */
  z.object({ type: z.literal("enclave.unmap"), ...enclaveCall, pages: pageList }),
  /** sbrk → OCALL_SBRK: `delta` > 0 grows by delta pages, < 0 releases `pages`, 0 reads the top. */
  z.object({ type: z.literal("enclave.sbrk"), ...enclaveCall, delta: id, pages: pageList }),
  /** eapp_return_relay_page → OCALL_RETURN_RELAY_PAGE. */
  z.object({ type: z.literal("enclave.returnRelay"), ...enclaveCall }),
  /** acquire_enclave(name) (fid 97). */
  z.object({ type: z.literal("enclave.acquireServer"), ...enclaveCall, name: z.string() }),
  /** call_enclave(handle, arg) (fid 96): lends `reqPages` and relay `reqRelay` (or −1) to the server. */
  z.object({
    type: z.literal("enclave.callServer"),
    ...enclaveCall,
    server: id,
    reqPages: pageList,
    reqRelay: id,
  }),
  /** SERVER_RETURN(arg) (fid 95): gives its own `respPages` to the caller. */
  z.object({ type: z.literal("enclave.serverReturn"), ...enclaveCall, respPages: pageList, value: id }),
  /** get_report(name, report, nonce) (fid 94); name "" = itself. */
  z.object({ type: z.literal("enclave.getReport"), ...enclaveCall, name: z.string(), nonce: id }),
  /** asyn_enclave_call(name, arg) (fid 93): hand relay region `relay` to the enclave named `name`. */
  z.object({ type: z.literal("enclave.asyncCall"), ...enclaveCall, name: z.string(), relay: id }),
  /** split_mem_region (fid 92): split relay region `relay` before its page index `at`. */
  z.object({ type: z.literal("enclave.splitRelay"), ...enclaveCall, relay: id, at: id }),
  /** get_enclave_id (fid 90). */
  z.object({ type: z.literal("enclave.getEnclaveId"), ...enclaveCall }),
  /** get_caller_id (fid 91). */
  z.object({ type: z.literal("enclave.getCallerId"), ...enclaveCall }),
  /** EAPP_YIELD (fid 89). */
  z.object({ type: z.literal("enclave.yield"), ...enclaveCall }),
  /** OCALL_GETRANDOM (ocall 8): `size` random bytes, answered without leaving the enclave. */
  z.object({ type: z.literal("enclave.getRandom"), ...enclaveCall, size: id }),
  /** get_key(type, key, size) (fid 88). */
  z.object({ type: z.literal("enclave.getKey"), ...enclaveCall, keyType: id }),
  /** OCALL_SHM_GET (ocall 9): a new secure shm segment `key` of `count` pages, donated by the host. */
  z.object({ type: z.literal("enclave.shmGet"), ...enclaveCall, key: id, count: id }),
  /** Owner of secure shm `key` allows enclave `eid` to attach (the access control the original lacks). */
  z.object({ type: z.literal("enclave.shmAllow"), ...enclaveCall, key: id, eid: id }),
  /** SBI_SHM_ATTACH (fid 84). */
  z.object({ type: z.literal("enclave.shmAttach"), ...enclaveCall, key: id }),
  /** OCALL_SHM_DETACH (ocall 10), answered without leaving. */
  z.object({ type: z.literal("enclave.shmDetach"), ...enclaveCall, key: id }),
  /** OCALL_SHM_DESTROY (ocall 11) by the owner, answered without leaving. */
  z.object({ type: z.literal("enclave.shmDestroy"), ...enclaveCall, key: id }),
  /** SBI_SHM_STAT (fid 83): the reference count. */
  z.object({ type: z.literal("enclave.shmStat"), ...enclaveCall, key: id }),
  /** A load (`write` false) or store by the enclave to physical page `page`. */
  z.object({ type: z.literal("enclave.access"), ...enclaveCall, page: id, write: z.boolean() }),
  /**
   * An ecall into a platform SBI extension (timer, IPI, remote fence, hart state, system reset, legacy
   * console), not Penglai's: the platform's services are the host's (SP-5, M25).
   */
  z.object({ type: z.literal("enclave.platformSbi"), ...enclaveCall, ext: z.enum(PLATFORM_SBI_EXTENSIONS) }),
] as const;

/** Actions of the untrusted host beyond the SDK (adversary). */
export const adversaryEventSchemas = [
  /**
   * SBI_SET_PTE (fid 101) in any of its modes, writing into page `dest`: `one` writes one entry,
   * `memset` / `batchZero` write zeros, `memcpy` / `batchSet` write `entries`; a valid leaf entry
   * maps page `target`, a valid non-leaf entry points at page-table page `target`.
   */
  z.object({
    type: z.literal("adversary.setPte"),
    ...hostCall,
    mode: z.enum(["one", "memset", "memcpy", "batchZero", "batchSet"]),
    dest: id,
    entries: z.array(z.object({ target: id, valid: z.boolean(), leaf: z.boolean() })),
  }),
  /** SBI_SM_MAP_PTE (fid 81): split the 2 MiB leaf in page-table page `pmd` into page-table page `pte`. */
  z.object({ type: z.literal("adversary.mapPte"), ...hostCall, pmd: id, pte: id }),
  /** csrw satp with root page `root` (trapped by TVM, PGL §4.4). */
  z.object({ type: z.literal("adversary.writeSatp"), ...hostCall, root: id }),
  /** A host load or store to physical page `page`. */
  z.object({ type: z.literal("adversary.touch"), ...hostCall, page: id, write: z.boolean() }),
  /** Any host SBI function `fid` with malformed arguments. */
  z.object({ type: z.literal("adversary.sbi"), ...hostCall, fid: id, args: z.array(id) }),
] as const;

/** The environment: timer interrupt and inter-processor interrupt on a hart (PGL §6.1). */
export const environmentEventSchemas = [
  z.object({ type: z.literal("env.timer"), hart: id }),
  z.object({ type: z.literal("env.ipi"), hart: id }),
] as const;

/** zod schema of every event, one discriminated union on `type`. */
export const eventSchema = z.discriminatedUnion("type", [
  ...hostEventSchemas,
  ...enclaveEventSchemas,
  ...adversaryEventSchemas,
  ...environmentEventSchemas,
]);

/** Any event: host SDK call, enclave call, adversary action, timer/IPI. */
export type Event = z.infer<typeof eventSchema>;
/** The `type` tag of an event. */
export type EventType = Event["type"];
/** The event with tag `T`. */
export type EventOf<T extends EventType> = Extract<Event, { type: T }>;

/** All event tags, in declaration order. */
export const eventTypes: EventType[] = eventSchema.options.map((o) => o.shape.type.value);
