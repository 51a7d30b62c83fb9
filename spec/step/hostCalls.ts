import { ok } from "../../model/result.ts";
import { NONE, freeEnclave, freeSecureShm, type System } from "../../model/state.ts";
import { EnclaveFact as F } from "../machines/enclaveOps.ts";
import { tableForKind } from "../tables/tables.ts";
import { Change, insertSorted } from "./change.ts";
import { giveRelayToEnclave, movePage, moveEnclave, releaseEnclave } from "./effects.ts";
import {
  checkPageList, creatorFact, enclaveOutcome, freeSlot, inRange, innermost, instanceCount, nameFits, pageOutcome,
  pagesRefusal, secureShmByKey, topCaller,
} from "./queries.ts";
import { unchanged, type Handlers } from "./types.ts";

/** Pages of a fork instance beyond the copies of the shadow's writable pages: a fresh stack (PGL §3.4). */
export const STACK_PAGES = 1;


/** The relays `host.run`/`host.rerun` hand to `e`, or undefined if one is not held by the host (PGL §4.7). */
function relaysForRun(s: System, e: number, inherit: boolean): number[] | undefined {
  const en = s.enclaves[e]!;
  if (inherit) {
    const out: number[] = [];
    s.relays.forEach((r, i) => r.live && r.holder === "pending" && r.name === en.name && out.push(i));
    return out;
  }
  if (en.memArg === NONE) return [];
  const r = s.relays[en.memArg]!;
  // the region must still be the enclave's host's: a freed id reused by another host's region is not
  // handed over through the stale binding (found by the model checker; OW-6)
  return r.live && r.creator === en.creator && !pagesRefusal(s, r.pages, "RELAY_SECURE", NONE) ? [en.memArg] : undefined;
}

/** Checks a kbuffer argument: none, or a page in range that is not also one of the enclave's own pages. */
function checkWindow(s: System, kbuffer: number, pages: readonly number[]) {
  if (kbuffer === NONE) return undefined;
  if (!inRange(kbuffer, s.config.pages)) return "INVALID_ID" as const;
  return pages.includes(kbuffer) ? ("INVALID_ARGUMENT" as const) : undefined;
}

/** Host SDK calls on enclaves (PGL §1.3, §3). */
export const hostCalls: Handlers<
  | "host.create" | "host.fork" | "host.run" | "host.stop" | "host.resume" | "host.ocallReturn"
  | "host.rerun" | "host.attest" | "host.destroy" | "host.setMemArg"
> = {
  // PGL §3.1, §3.3, §3.4 — fid 99 / 90 / 86
  "host.create"(s, ev) {
    const bad = checkPageList(s, ev.pages);
    if (bad) return unchanged(s, bad);
    if (ev.pages.length === 0 || !inRange(ev.textPages, ev.pages.length + 1) || !nameFits(ev.name))
      return unchanged(s, "INVALID_ARGUMENT");
    if (ev.kind === "server" && ev.name === "") return unchanged(s, "INVALID_ARGUMENT");
    // a shadow maps no shared window; a server gets its caller's kbuffer, never its own (PGL §3.3, §3.4)
    if ((ev.kind === "shadow" && ev.shm !== NONE) || (ev.kind !== "normal" && ev.kbuffer !== NONE))
      return unchanged(s, "INVALID_ARGUMENT");
    if (ev.shm !== NONE) {
      if (!inRange(ev.shm, s.shms.length)) return unchanged(s, "INVALID_ID");
      const k = s.shms[ev.shm]!;
      if (!k.live || k.creator !== ev.host) return unchanged(s, "NO_SUCH_SHM");
    }
    const kbad = checkWindow(s, ev.kbuffer, ev.pages);
    if (kbad) return unchanged(s, kbad);
    const e = freeSlot(s);
    if (e === NONE) return unchanged(s, "NO_MEM");
    const ro = ev.kind === "shadow" ? ev.pages.slice(0, ev.textPages) : [];
    const rw = ev.kind === "shadow" ? ev.pages.slice(ev.textPages) : ev.pages;
    const window = ev.kbuffer === NONE ? [] : [ev.kbuffer];
    const publicFact = pagesRefusal(s, ro, "SHARE_RO", NONE) || pagesRefusal(s, rw, "ASSIGN", NONE) ||
      pagesRefusal(s, window, "SHARE_WINDOW", NONE) ? 0 : F.regionIsPublic;
    const nameFact = s.servers.some((x) => x.name === ev.name) ? 0 : F.nameIsFree;
    const o = tableForKind(ev.kind).lookup("free", "CREATE", publicFact | nameFact);
    if (!o.ok) return unchanged(s, o.code);
    const c = new Change(s);
    c.replaceEnclave(e, {
      ...freeEnclave, kind: ev.kind, state: o.target, name: ev.name, creator: ev.host, measurement: ev.image, shm: ev.shm,
    });
    for (const p of ro) movePage(c, p, "SHARE_RO", false, { id: e });
    for (const p of rw) movePage(c, p, "ASSIGN", false, { id: e }); // content measured (CS-2)
    for (const p of window) movePage(c, p, "SHARE_WINDOW", false, { id: e }); // M17: public host memory only
    if (ev.shm !== NONE) {
      const k = c.shm(ev.shm);
      c.setShm(ev.shm, { ...k, enclaves: insertSorted(k.enclaves, e) });
    }
    if (ev.kind === "server")
      c.setServers([...s.servers, { name: ev.name, eid: e }].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)));
    return { state: c.done(), result: ok("SUCCESS", e) };
  },

  // PGL §3.4 — fid 87: fork an instance and run it on this hart
  "host.fork"(s, ev) {
    if (!inRange(ev.shadow, s.enclaves.length)) return unchanged(s, "INVALID_ID");
    const sh = s.enclaves[ev.shadow]!;
    // a host that did not create it learns nothing of it, not even its kind (isStranger; the monitor's satp check)
    if (sh.kind !== "none" && sh.creator !== ev.host) return unchanged(s, "NOT_CREATOR");
    if (sh.kind !== "shadow" && sh.kind !== "none") return unchanged(s, "NOT_A_SHADOW");
    const shadowOk = enclaveOutcome(s, ev.shadow, "FORK_FROM", creatorFact(s, ev.shadow, ev.host));
    if (!shadowOk.ok) return unchanged(s, shadowOk.code);
    const bad = checkPageList(s, ev.pages);
    if (bad) return unchanged(s, bad);
    const copies: number[] = [];
    s.pages.forEach((p, i) => p.owner === "enclave" && p.id === ev.shadow && copies.push(i));
    // the host hands a whole region (PGL §3.4: the driver allocates 2 MiB); it must hold at least a copy of
    // every writable page and a stack — how the monitor lays copies, tables and stack out in it is its own
    if (ev.pages.length < copies.length + STACK_PAGES || !nameFits(ev.name)) return unchanged(s, "INVALID_ARGUMENT");
    const kbad = checkWindow(s, ev.kbuffer, ev.pages);
    if (kbad) return unchanged(s, kbad);
    const e = freeSlot(s);
    if (e === NONE) return unchanged(s, "NO_MEM");
    const window = ev.kbuffer === NONE ? [] : [ev.kbuffer];
    const publicOk = !pagesRefusal(s, ev.pages, "ASSIGN", NONE) && !pagesRefusal(s, window, "SHARE_WINDOW", NONE);
    const o = enclaveOutcome(s, e, "FORK", publicOk ? F.regionIsPublic : 0);
    if (!o.ok) return unchanged(s, o.code);
    const c = new Change(s);
    c.replaceEnclave(e, {
      ...freeEnclave, kind: "instance", state: o.target, name: ev.name, creator: ev.host,
      measurement: sh.measurement, parent: ev.shadow, // AT-6: image equals the shadow's
    });
    // writable pages copied eagerly, tables rebuilt, a zeroed stack (AT-6, CS-2): which page holds what is
    // the monitor's layout, so the spec claims no page zero (CS-2 holds: the slot was free, measured image)
    for (const p of ev.pages) movePage(c, p, "ASSIGN", false, { id: e, zeroed: false });
    for (const p of window) movePage(c, p, "SHARE_WINDOW", false, { id: e });
    c.setHart(ev.hart, e);
    return { state: c.done(), result: ok("SUCCESS", e) };
  },

  // PGL §3.2 — fid 97
  "host.run"(s, ev) {
    if (!inRange(ev.eid, s.enclaves.length)) return unchanged(s, "INVALID_ID");
    const relays = relaysForRun(s, ev.eid, ev.inherit);
    const facts = creatorFact(s, ev.eid, ev.host) | (relays ? F.relayIsReady : 0);
    const o = enclaveOutcome(s, ev.eid, "RUN", facts);
    if (!o.ok) return unchanged(s, o.code);
    const c = new Change(s);
    moveEnclave(c, ev.eid, "RUN", facts);
    for (const r of relays!) giveRelayToEnclave(c, r, ev.eid);
    c.setHart(ev.hart, ev.eid);
    return { state: c.done(), result: ok() };
  },

  // PGL §3.2 — fid 96; a running enclave is stopped on its hart by IPI before the call returns
  "host.stop"(s, ev) {
    if (!inRange(ev.eid, s.enclaves.length)) return unchanged(s, "INVALID_ID");
    const facts = creatorFact(s, ev.eid, ev.host);
    const o = enclaveOutcome(s, ev.eid, "STOP", facts);
    if (!o.ok) return unchanged(s, o.code);
    const c = new Change(s);
    moveEnclave(c, ev.eid, "STOP", facts);
    c.unscheduleEverywhere(ev.eid);
    return { state: c.done(), result: ok() };
  },

  // PGL §3.2 — fid 95; resumes go to the innermost callee of a call chain (PGL §3.3)
  "host.resume"(s, ev) {
    if (!inRange(ev.eid, s.enclaves.length)) return unchanged(s, "INVALID_ID");
    const target = ev.reason === "timer" ? innermost(s, ev.eid) : ev.eid;
    const op = ev.reason === "timer" ? "RESUME" : "WAKE";
    const facts = creatorFact(s, topCaller(s, ev.eid), ev.host); // the chain runs on its top caller's host
    const o = enclaveOutcome(s, target, op, facts);
    if (!o.ok) return unchanged(s, o.code);
    const c = new Change(s);
    moveEnclave(c, target, op, facts);
    if (op === "RESUME") c.setHart(ev.hart, target);
    return { state: c.done(), result: ok() };
  },

  // PGL §6.2 — fid 95 RESUME_FROM_OCALL; the monitor recorded which ocall is pending (design.md)
  "host.ocallReturn"(s, ev) {
    if (!inRange(ev.eid, s.enclaves.length)) return unchanged(s, "INVALID_ID");
    const target = innermost(s, ev.eid);
    const en = s.enclaves[target]!;
    const wants = en.pending === "mmap" || en.pending === "sbrk" || en.pending === "shmGet" ? en.pendingPages : 0;
    const op = en.pending === "shmGet" ? "SECURE_SHM_GET" : "ASSIGN";
    const fit = ev.pages.length === wants && !checkPageList(s, ev.pages) && !pagesRefusal(s, ev.pages, op, NONE);
    const facts = creatorFact(s, topCaller(s, ev.eid), ev.host) | (fit ? F.suppliedPagesFit : 0);
    const o = enclaveOutcome(s, target, "RESUME_OCALL", facts);
    if (!o.ok) return unchanged(s, o.code);
    const k = s.secureShms.findIndex((x) => !x.live);
    if (en.pending === "shmGet") {
      if (secureShmByKey(s, en.pendingKey) !== NONE) return unchanged(s, "SHM_KEY_TAKEN"); // taken meanwhile
      if (k === NONE) return unchanged(s, "NO_FREE_ID");
    }
    const c = new Change(s);
    moveEnclave(c, target, "RESUME_OCALL", facts);
    // the monitor zeroes every page it hands to an enclave (CS-2)
    for (const p of ev.pages) movePage(c, p, op, false, { id: en.pending === "shmGet" ? k : target, zeroed: true });
    if (en.pending === "shmGet")
      c.setSecureShm(k, { ...freeSecureShm, live: true, key: en.pendingKey, owner: target, pages: ev.pages.slice(), attached: [target] });
    c.setEnclave(target, { pending: "none", pendingPages: 0, pendingKey: 0 });
    c.setHart(ev.hart, target);
    return { state: c.done(), result: ok() };
  },

  // PGL §2.3 ocall 7: re-run after the host edited the returned relay region
  "host.rerun"(s, ev) {
    if (!inRange(ev.eid, s.enclaves.length)) return unchanged(s, "INVALID_ID");
    const relays = relaysForRun(s, ev.eid, false);
    const facts = creatorFact(s, ev.eid, ev.host) | (relays ? F.relayIsReady : 0);
    const o = enclaveOutcome(s, ev.eid, "RERUN", facts);
    if (!o.ok) return unchanged(s, o.code);
    const c = new Change(s);
    moveEnclave(c, ev.eid, "RERUN", facts);
    for (const r of relays!) giveRelayToEnclave(c, r, ev.eid);
    c.setEnclave(ev.eid, { pending: "none" });
    c.setHart(ev.hart, ev.eid);
    return { state: c.done(), result: ok() };
  },

  // PGL §5.2 — fid 98 / 80: the report is derived; the stored measurement is never written (AT-2)
  "host.attest"(s, ev) {
    if (!inRange(ev.eid, s.enclaves.length)) return unchanged(s, "INVALID_ID");
    const o = enclaveOutcome(s, ev.eid, "ATTEST", creatorFact(s, ev.eid, ev.host));
    if (!o.ok) return unchanged(s, o.code);
    // the report goes only where the host itself may store: public, outside the page-table area (SP-2, PT-2, M21)
    const r = ev.report ?? NONE;
    if (r !== NONE && (!inRange(r, s.pages.length) || !pageOutcome(s, r, "HOST_STORE", NONE).ok))
      return unchanged(s, "INVALID_ARGUMENT");
    return { state: s, result: ok() };
  },

  // PGL §3.2 — fid 94 / 89 / 79; a running enclave is stopped by IPI first (LC-7)
  "host.destroy"(s, ev) {
    if (!inRange(ev.eid, s.enclaves.length)) return unchanged(s, "INVALID_ID");
    const facts = creatorFact(s, ev.eid, ev.host) | (instanceCount(s, ev.eid) === 0 ? F.hasNoInstances : 0);
    const o = enclaveOutcome(s, ev.eid, "DESTROY", facts);
    if (!o.ok) return unchanged(s, o.code);
    const c = new Change(s);
    moveEnclave(c, ev.eid, "DESTROY", facts);
    releaseEnclave(c, ev.eid);
    return { state: c.done(), result: ok() };
  },

  // PLenclave_set_mem_arg: bind a Schrödinger region the host holds to a fresh enclave
  "host.setMemArg"(s, ev) {
    if (!inRange(ev.eid, s.enclaves.length) || !inRange(ev.relay, s.relays.length)) return unchanged(s, "INVALID_ID");
    const r = s.relays[ev.relay]!;
    if (!r.live || r.creator !== ev.host) return unchanged(s, "NO_SUCH_RELAY");
    if (pagesRefusal(s, r.pages, "RELAY_SECURE", NONE)) return unchanged(s, "RELAY_UNAVAILABLE");
    const facts = creatorFact(s, ev.eid, ev.host);
    const o = enclaveOutcome(s, ev.eid, "BIND", facts);
    if (!o.ok) return unchanged(s, o.code);
    const c = new Change(s);
    moveEnclave(c, ev.eid, "BIND", facts);
    c.setEnclave(ev.eid, { memArg: ev.relay });
    return { state: c.done(), result: ok() };
  },
};
