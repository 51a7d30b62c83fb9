import { ok } from "../../model/result.ts";
import { NONE, freeRelay, freeShm, type System } from "../../model/state.ts";
import { Change } from "./change.ts";
import { movePage } from "./effects.ts";
import { checkPageList, inRange, pagesRefusal } from "./queries.ts";
import { unchanged, type Handlers, type StepOutput } from "./types.ts";


/** Host memory handed around: shm segments (PGL §4.10), Schrödinger regions (PGL §4.7), monitor pool donations (PGL §4.6). */
export const sharedMemoryCalls: Handlers<
  | "host.memoryExtend" | "host.shmget" | "host.shmat" | "host.shmdt" | "host.shmctl"
  | "host.schrodingerGet" | "host.schrodingerAt" | "host.schrodingerDt" | "host.schrodingerCtl"
> = {
  // fid 92: pages become the monitor's for good (the pool is never reclaimed, PGL §4.6)
  "host.memoryExtend"(s, ev) {
    const bad = checkPageList(s, ev.pages) ?? (ev.pages.length === 0 ? "INVALID_ARGUMENT" : undefined);
    if (bad) return unchanged(s, bad);
    const refused = pagesRefusal(s, ev.pages, "DONATE", NONE);
    if (refused) return unchanged(s, refused);
    const c = new Change(s);
    for (const p of ev.pages) movePage(c, p, "DONATE", false, { id: NONE });
    return { state: c.done(), result: ok() };
  },
  "host.shmget"(s, ev) {
    const bad = checkPageList(s, ev.pages) ?? (ev.pages.length === 0 ? "INVALID_ARGUMENT" : undefined);
    if (bad) return unchanged(s, bad);
    const k = s.shms.findIndex((x) => !x.live);
    if (k === NONE) return unchanged(s, "NO_FREE_ID");
    const refused = pagesRefusal(s, ev.pages, "SHM_GET", NONE);
    if (refused) return unchanged(s, refused);
    const c = new Change(s);
    for (const p of ev.pages) movePage(c, p, "SHM_GET", false, { id: k });
    c.setShm(k, { ...freeShm, live: true, creator: ev.host, pages: ev.pages.slice() });
    return { state: c.done(), result: ok("SUCCESS", k) };
  },
  "host.shmat"(s, ev) {
    return setShmAttached(s, ev.shm, ev.host, true);
  },
  "host.shmdt"(s, ev) {
    return setShmAttached(s, ev.shm, ev.host, false);
  },
  // revoking a segment still attached to an enclave is refused (IPC-5)
  "host.shmctl"(s, ev) {
    const bad = ownShm(s, ev.shm, ev.host);
    if (bad) return unchanged(s, bad);
    const k = s.shms[ev.shm]!;
    if (k.enclaves.length > 0) return unchanged(s, "SHM_IN_USE");
    const c = new Change(s);
    for (const p of k.pages) movePage(c, p, "SHM_FREE", false, { id: NONE });
    c.setShm(ev.shm, freeShm);
    return { state: c.done(), result: ok() };
  },

  "host.schrodingerGet"(s, ev) {
    const bad = checkPageList(s, ev.pages) ?? (ev.pages.length === 0 ? "INVALID_ARGUMENT" : undefined);
    if (bad) return unchanged(s, bad);
    const r = s.relays.findIndex((x) => !x.live);
    if (r === NONE) return unchanged(s, "NO_FREE_ID");
    const refused = pagesRefusal(s, ev.pages, "SCHRODINGER_GET", NONE);
    if (refused) return unchanged(s, refused);
    const c = new Change(s);
    for (const p of ev.pages) movePage(c, p, "SCHRODINGER_GET", false, { id: r });
    c.setRelay(r, { ...freeRelay, live: true, creator: ev.host, pages: ev.pages.slice(), holder: "host" });
    return { state: c.done(), result: ok("SUCCESS", r) };
  },
  "host.schrodingerAt"(s, ev) {
    return setRelayMapped(s, ev.relay, ev.host, true);
  },
  "host.schrodingerDt"(s, ev) {
    return setRelayMapped(s, ev.relay, ev.host, false);
  },
  // only while the host holds it: an enclave's relay pages are never freed under it (OW-6)
  "host.schrodingerCtl"(s, ev) {
    const bad = ownRelay(s, ev.relay, ev.host);
    if (bad) return unchanged(s, bad);
    const r = s.relays[ev.relay]!;
    const refused = pagesRefusal(s, r.pages, "SCHRODINGER_FREE", NONE);
    if (refused) return unchanged(s, "RELAY_UNAVAILABLE");
    const c = new Change(s);
    for (const p of r.pages) movePage(c, p, "SCHRODINGER_FREE", false, { id: NONE });
    c.setRelay(ev.relay, freeRelay);
    return { state: c.done(), result: ok() };
  },
};

function ownShm(s: System, k: number, host: number) {
  if (!inRange(k, s.shms.length)) return "INVALID_ID" as const;
  const shm = s.shms[k]!;
  return shm.live && shm.creator === host ? undefined : ("NO_SUCH_SHM" as const);
}

function ownRelay(s: System, r: number, host: number) {
  if (!inRange(r, s.relays.length)) return "INVALID_ID" as const;
  const relay = s.relays[r]!;
  return relay.live && relay.creator === host ? undefined : ("NO_SUCH_RELAY" as const);
}

function setShmAttached(s: System, k: number, host: number, attached: boolean): StepOutput {
  const bad = ownShm(s, k, host);
  if (bad) return unchanged(s, bad);
  if (s.shms[k]!.hostAttached === attached) return unchanged(s, "BAD_STATE");
  const c = new Change(s);
  c.setShm(k, { ...s.shms[k]!, hostAttached: attached });
  return { state: c.done(), result: ok() };
}

// PGL §4.7: a Schrödinger region is mapped by the host only while the host holds it
function setRelayMapped(s: System, r: number, host: number, mapped: boolean): StepOutput {
  const bad = ownRelay(s, r, host);
  if (bad) return unchanged(s, bad);
  const relay = s.relays[r]!;
  // the host may map the region only while its pages are host-accessible (pageOwnership)
  if (pagesRefusal(s, relay.pages, "HOST_LOAD", NONE)) return unchanged(s, "RELAY_UNAVAILABLE");
  if (relay.hostMapped === mapped) return unchanged(s, "BAD_STATE");
  const c = new Change(s);
  c.setRelay(r, { ...relay, hostMapped: mapped });
  return { state: c.done(), result: ok() };
}
