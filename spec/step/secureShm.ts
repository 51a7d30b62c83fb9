import { ok } from "../../model/result.ts";
import { HOST, NONE, type System } from "../../model/state.ts";
import { Change, insertSorted, without } from "./change.ts";
import { freeSecureShmIfUnused, moveEnclave } from "./effects.ts";
import { enclaveOutcome, inRange, secureShmByKey } from "./queries.ts";
import { unchanged, type Handlers } from "./types.ts";


/** The calling enclave may issue a call that leaves its lifecycle state alone (SERVICE). */
function serviceRefusal(s: System, e: number) {
  const o = enclaveOutcome(s, e, "SERVICE", 0);
  return o.ok ? undefined : o.code;
}

/**
 * Secure shared memory between enclaves (PGL §4.9) with the access control the original lacks:
 * only the owner and the enclaves it allows may attach (design.md, IPC-5, M40).
 */
export const secureShmCalls: Handlers<
  "enclave.shmGet" | "enclave.shmAllow" | "enclave.shmAttach" | "enclave.shmDetach" | "enclave.shmDestroy" | "enclave.shmStat"
> = {
  // ocall 9: the host donates the pages through host.ocallReturn; the monitor secures them
  "enclave.shmGet"(s, ev) {
    const e = s.harts[ev.hart]!;
    if (ev.count < 1 || ev.count > s.config.pages) return unchanged(s, "INVALID_ARGUMENT");
    if (secureShmByKey(s, ev.key) !== NONE) return unchanged(s, "SHM_KEY_TAKEN");
    if (!s.secureShms.some((k) => !k.live)) return unchanged(s, "NO_FREE_ID");
    const o = enclaveOutcome(s, e, "OCALL", 0);
    if (!o.ok) return unchanged(s, o.code);
    const c = new Change(s);
    moveEnclave(c, e, "OCALL", 0);
    c.setEnclave(e, { pending: "shmGet", pendingPages: ev.count, pendingKey: ev.key });
    c.setHart(ev.hart, HOST);
    return { state: c.done(), result: ok("OCALL", 9) };
  },
  "enclave.shmAllow"(s, ev) {
    const e = s.harts[ev.hart]!;
    const k = secureShmByKey(s, ev.key);
    if (k === NONE) return unchanged(s, "NO_SUCH_SHM");
    if (!inRange(ev.eid, s.enclaves.length)) return unchanged(s, "INVALID_ID");
    if (s.secureShms[k]!.owner !== e) return unchanged(s, "NOT_OWNER");
    if (s.enclaves[ev.eid]!.kind === "none") return unchanged(s, "NO_SUCH_ENCLAVE");
    const refused = serviceRefusal(s, e);
    if (refused) return unchanged(s, refused);
    const c = new Change(s);
    c.setSecureShm(k, { ...s.secureShms[k]!, allowed: insertSorted(s.secureShms[k]!.allowed, ev.eid) });
    return { state: c.done(), result: ok() };
  },
  // fid 84: no exit to the host
  "enclave.shmAttach"(s, ev) {
    const e = s.harts[ev.hart]!;
    const k = secureShmByKey(s, ev.key);
    if (k === NONE || s.secureShms[k]!.destroyPending) return unchanged(s, "NO_SUCH_SHM");
    const seg = s.secureShms[k]!;
    if (seg.attached.includes(e)) return unchanged(s, "ALREADY_ATTACHED");
    if (seg.owner !== e && !seg.allowed.includes(e)) return unchanged(s, "SHM_NOT_ALLOWED");
    const refused = serviceRefusal(s, e);
    if (refused) return unchanged(s, refused);
    const c = new Change(s);
    c.setSecureShm(k, { ...seg, attached: insertSorted(seg.attached, e) });
    return { state: c.done(), result: ok("SUCCESS", k) };
  },
  // ocall 10, answered without leaving: freed when the last enclave leaves a destroyed segment
  "enclave.shmDetach"(s, ev) {
    const e = s.harts[ev.hart]!;
    const k = secureShmByKey(s, ev.key);
    if (k === NONE) return unchanged(s, "NO_SUCH_SHM");
    if (!s.secureShms[k]!.attached.includes(e)) return unchanged(s, "NOT_ATTACHED");
    const refused = serviceRefusal(s, e);
    if (refused) return unchanged(s, refused);
    const c = new Change(s);
    c.setSecureShm(k, { ...s.secureShms[k]!, attached: without(s.secureShms[k]!.attached, e) });
    freeSecureShmIfUnused(c, k);
    return { state: c.done(), result: ok() };
  },
  // ocall 11 by the owner: marks the segment, freed now if nobody is attached
  "enclave.shmDestroy"(s, ev) {
    const e = s.harts[ev.hart]!;
    const k = secureShmByKey(s, ev.key);
    if (k === NONE || s.secureShms[k]!.destroyPending) return unchanged(s, "NO_SUCH_SHM");
    if (s.secureShms[k]!.owner !== e) return unchanged(s, "NOT_OWNER");
    const refused = serviceRefusal(s, e);
    if (refused) return unchanged(s, refused);
    const c = new Change(s);
    c.setSecureShm(k, { ...s.secureShms[k]!, destroyPending: true });
    freeSecureShmIfUnused(c, k);
    return { state: c.done(), result: ok() };
  },
  // fid 83: the reference count, for attached enclaves only
  "enclave.shmStat"(s, ev) {
    const e = s.harts[ev.hart]!;
    const k = secureShmByKey(s, ev.key);
    if (k === NONE) return unchanged(s, "NO_SUCH_SHM");
    if (!s.secureShms[k]!.attached.includes(e)) return unchanged(s, "NOT_ATTACHED");
    const refused = serviceRefusal(s, e);
    return refused ? unchanged(s, refused) : { state: s, result: ok("SUCCESS", s.secureShms[k]!.attached.length) };
  },
};
