import type { Event } from "../../model/events.ts";
import { HOST, NONE, type System } from "../../model/state.ts";
import { between, pick, sample } from "./rng.ts";

// A generator of plausible events: it reads the state to choose mostly enabled events (right
// hart, right creator, free pages, existing ids) and now and then a wrong or adversarial one.

function pagesOwnedBy(s: System, owner: System["pages"][number]["owner"], id: number): number[] {
  const out: number[] = [];
  for (let p = 0; p < s.pages.length; p++) if (s.pages[p]!.owner === owner && s.pages[p]!.id === id) out.push(p);
  return out;
}

function hostPages(s: System): number[] {
  return pagesOwnedBy(s, "host", NONE);
}

function eidsWhere(s: System, f: (e: System["enclaves"][number]) => boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < s.enclaves.length; i++) if (f(s.enclaves[i]!)) out.push(i);
  return out;
}

/** A host id: usually the creator of `eid`, sometimes another host (M08). */
function hostFor(s: System, rand: () => number, eid: number): number {
  const c = eid === NONE ? NONE : s.enclaves[eid]!.creator;
  return c !== NONE && rand() < 0.97 ? c : between(rand, 0, s.config.hosts - 1);
}

/** A secure shm call (PGL §4.9) by enclave `e`, mostly on segments it may use. */
function secureShmEvent(s: System, rand: () => number, hart: number, e: number): Event {
  const live = s.secureShms.filter((k) => k.live);
  const key = live.length && rand() < 0.8 ? pick(rand, live).key : between(rand, 1, 3);
  const attachable = live.filter((k) => !k.destroyPending && !k.attached.includes(e) && (k.owner === e || k.allowed.includes(e)));
  const owned = live.filter((k) => k.owner === e);
  const others = eidsWhere(s, (x) => x.kind !== "none" && x.kind !== "shadow");
  const r = rand();
  if (r < 0.2) return { type: "enclave.shmGet", hart, key: between(rand, 1, 3), count: between(rand, 1, 2) };
  if (r < 0.4 && owned.length) return { type: "enclave.shmAllow", hart, key: pick(rand, owned).key, eid: pick(rand, others) };
  if (r < 0.65 && attachable.length) return { type: "enclave.shmAttach", hart, key: pick(rand, attachable).key };
  if (r < 0.7) return { type: "enclave.shmAttach", hart, key };
  if (r < 0.82) return { type: "enclave.shmDetach", hart, key };
  if (r < 0.92) return { type: "enclave.shmDestroy", hart, key };
  return { type: "enclave.shmStat", hart, key };
}

/** Pages enclave `e` owns itself (not lent to it by a caller). */
function ownPagesOf(s: System, e: number): number[] {
  const lent = s.enclaves[e]!.callPages;
  const out: number[] = [];
  for (let p = 0; p < s.pages.length; p++) {
    const pg = s.pages[p]!;
    if (pg.owner === "enclave" && pg.id === e && !lent.includes(p)) out.push(p);
  }
  return out;
}

function enclaveEvent(s: System, rand: () => number, hart: number, e: number): Event {
  const en = s.enclaves[e]!;
  if (rand() < 0.1) return secureShmEvent(s, rand, hart, e);
  const r = rand();
  if (r < 0.12) return { type: "env.timer", hart };
  if (r < 0.3) {
    const own = ownPagesOf(s, e);
    const page = rand() < 0.8 && own.length ? pick(rand, own) : between(rand, 0, s.config.pages - 1);
    return { type: "enclave.access", hart, page, write: rand() < 0.5 };
  }
  if (r < 0.36) return { type: "enclave.print", hart };
  if (r < 0.42) return { type: "enclave.mmap", hart, count: between(rand, 1, 2) };
  if (r < 0.49) {
    const own = ownPagesOf(s, e);
    if (r < 0.46 && own.length > 1) return { type: "enclave.unmap", hart, pages: sample(rand, own, 1) };
    if (rand() < 0.5 || own.length < 2) return { type: "enclave.sbrk", hart, delta: between(rand, 0, 1), pages: [] };
    return { type: "enclave.sbrk", hart, delta: -1, pages: sample(rand, own, 1) };
  }
  if (r < 0.52) return { type: "enclave.yield", hart };
  if (r < 0.57) return en.kind === "server" && en.caller !== NONE
    ? { type: "enclave.serverReturn", hart, respPages: rand() < 0.3 ? sample(rand, ownPagesOf(s, e), 1) : [], value: between(rand, 0, 9) }
    : { type: "enclave.exit", hart, retval: between(rand, 0, 9) };
  if (r < 0.62) return { type: "enclave.getEnclaveId", hart };
  if (r < 0.65) return { type: "enclave.getCallerId", hart };
  if (r < 0.665) return { type: "enclave.getKey", hart, keyType: between(rand, 0, 2) };
  if (r < 0.68) return { type: "enclave.getRandom", hart, size: pick(rand, [0, 16, 4096, 5000]) };
  if (r < 0.71) return { type: "enclave.getReport", hart, name: rand() < 0.5 ? "" : pick(rand, s.config.names), nonce: 7 };
  if (r < 0.74) return { type: "enclave.acquireServer", hart, name: pick(rand, s.config.names) };
  const servers = eidsWhere(s, (x) => x.kind === "server");
  if (r < 0.86 && servers.length) {
    const reqRelay = en.relays.length && rand() < 0.5 ? pick(rand, en.relays) : NONE;
    return { type: "enclave.callServer", hart, server: pick(rand, servers), reqPages: rand() < 0.5 ? sample(rand, ownPagesOf(s, e), 1) : [], reqRelay };
  }
  if (en.relays.length) {
    const relay = pick(rand, en.relays);
    if (r < 0.9) return { type: "enclave.returnRelay", hart };
    if (r < 0.95) return { type: "enclave.asyncCall", hart, name: pick(rand, s.config.names), relay };
    return { type: "enclave.splitRelay", hart, relay, at: 1 };
  }
  return { type: "enclave.getEnclaveId", hart };
}

// Candidate host actions, encoded as kind * 256 + object id so that choosing one allocates no closures.
const enum H {
  Create, Resume, OcallReturn, Run, SetMemArg, Rerun, Wake, Stop, Attest, Destroy, Fork,
  MemoryExtend, ShmGet, ShmAtDt, ShmCtl, SchGet, SchAtDt, SchCtl,
}

/** A host event chosen among those that fit the state; now and then an adversarial or wrong one. */
function hostEvent(s: System, rand: () => number, hart: number): Event {
  let nFree = 0;
  for (let p = 0; p < s.pages.length; p++) if (s.pages[p]!.owner === "host") nFree++;
  const host = between(rand, 0, s.config.hosts - 1);
  const cands: number[] = [];
  const slot = s.enclaves.some((x) => x.kind === "none");
  if (slot && nFree) cands.push(H.Create * 256);
  for (let e = 0; e < s.enclaves.length; e++) {
    const en = s.enclaves[e]!;
    if (en.kind === "none") continue;
    let inner = e;
    while (s.enclaves[inner]!.callee !== NONE) inner = s.enclaves[inner]!.callee;
    const is = s.enclaves[inner]!.state;
    if (en.caller === NONE) {
      if (is === "runnable" || is === "preempted") cands.push(H.Resume * 256 + e), cands.push(H.Resume * 256 + e);
      if (is === "ocalling") cands.push(H.OcallReturn * 256 + e), cands.push(H.OcallReturn * 256 + e);
    }
    if (en.state === "fresh") cands.push(H.Run * 256 + e), cands.push(H.SetMemArg * 256 + e);
    if (en.state === "relayReturned") cands.push(H.Rerun * 256 + e);
    if (en.state === "stopped") cands.push(H.Wake * 256 + e);
    if ((en.kind === "normal" || en.kind === "instance") && (en.state === "running" || en.state === "runnable") && rand() < 0.3)
      cands.push(H.Stop * 256 + e);
    if (en.state === "fresh" || en.state === "stopped" || en.state === "idle" || en.state === "ready") cands.push(H.Attest * 256 + e);
    if (rand() < 0.25) cands.push(H.Destroy * 256 + e);
    if (en.kind === "shadow" && slot) cands.push(H.Fork * 256 + e);
  }
  if (nFree > 8 && rand() < 0.05) cands.push(H.MemoryExtend * 256);
  if (nFree && s.shms.some((k) => !k.live)) cands.push(H.ShmGet * 256);
  for (let k = 0; k < s.shms.length; k++) {
    if (!s.shms[k]!.live) continue;
    cands.push(H.ShmAtDt * 256 + k);
    if (s.shms[k]!.enclaves.length === 0 && rand() < 0.3) cands.push(H.ShmCtl * 256 + k);
  }
  if (nFree && s.relays.some((r) => !r.live)) cands.push(H.SchGet * 256);
  for (let r = 0; r < s.relays.length; r++) {
    if (!s.relays[r]!.live || s.relays[r]!.holder !== "host") continue;
    cands.push(H.SchAtDt * 256 + r);
    if (rand() < 0.2) cands.push(H.SchCtl * 256 + r);
  }
  const r = rand();
  if (r < 0.08 || cands.length === 0) return adversaryEvent(s, rand, hart, host);
  if (r < 0.12) return rand() < 0.5 ? { type: "env.timer", hart } : { type: "env.ipi", hart };
  const chosen = pick(rand, cands);
  const id = chosen & 255;
  const h = hostFor(s, rand, id);
  switch ((chosen >> 8) as H) {
    case H.Create: {
      const kind = pick(rand, ["normal", "normal", "server", "shadow"] as const);
      const shms = s.shms.flatMap((k, i) => (k.live && k.creator === host ? [i] : []));
      const pages = sample(rand, hostPages(s), between(rand, 1, 4));
      const kbuffer = kind === "normal" && pages.length > 1 && rand() < 0.7 ? pages.pop()! : NONE;
      return {
        type: "host.create", hart, host, kind, name: pick(rand, s.config.names), image: pick(rand, ["hello", "server", "fork"]),
        pages, textPages: kind === "shadow" ? Math.min(1, pages.length) : 0,
        shm: shms.length && rand() < 0.3 ? pick(rand, shms) : NONE, kbuffer,
      };
    }
    case H.Resume: return { type: "host.resume", hart, host: h, eid: id, reason: "timer" };
    case H.OcallReturn: {
      let inner = id;
      while (s.enclaves[inner]!.callee !== NONE) inner = s.enclaves[inner]!.callee;
      const ie = s.enclaves[inner]!;
      const want = ie.pending === "mmap" || ie.pending === "sbrk" || ie.pending === "shmGet" ? ie.pendingPages : 0;
      return { type: "host.ocallReturn", hart, host: h, eid: id, pages: sample(rand, hostPages(s), want) };
    }
    case H.Run: return { type: "host.run", hart, host: h, eid: id, inherit: rand() < 0.3 };
    case H.SetMemArg: {
      const relays = s.relays.flatMap((x, i) => (x.live && x.holder === "host" ? [i] : []));
      if (!relays.length) return { type: "host.run", hart, host: h, eid: id, inherit: false };
      const relay = pick(rand, relays);
      return { type: "host.setMemArg", hart, host: rand() < 0.9 ? s.relays[relay]!.creator : h, eid: id, relay };
    }
    case H.Rerun: return { type: "host.rerun", hart, host: h, eid: id };
    case H.Wake: return { type: "host.resume", hart, host: h, eid: id, reason: "stop" };
    case H.Stop: return { type: "host.stop", hart, host: h, eid: id };
    case H.Attest: return { type: "host.attest", hart, host: h, eid: id, nonce: between(rand, 0, 99) };
    case H.Destroy: return { type: "host.destroy", hart, host: h, eid: id };
    case H.Fork: {
      const w = pagesOwnedBy(s, "enclave", id).length;
      const pages = sample(rand, hostPages(s), w + 2);
      const kbuffer = pages.length === w + 2 && rand() < 0.5 ? pages.pop()! : NONE;
      return { type: "host.fork", hart, host: h, shadow: id, name: pick(rand, s.config.names), pages: pages.slice(0, w + 1), kbuffer };
    }
    case H.MemoryExtend: return { type: "host.memoryExtend", hart, host, pages: sample(rand, hostPages(s), 1) };
    case H.ShmGet: return { type: "host.shmget", hart, host, pages: sample(rand, hostPages(s), 1) };
    case H.ShmAtDt: return { type: s.shms[id]!.hostAttached ? "host.shmdt" : "host.shmat", hart, host: s.shms[id]!.creator, shm: id };
    case H.ShmCtl: return { type: "host.shmctl", hart, host: s.shms[id]!.creator, shm: id };
    case H.SchGet: return { type: "host.schrodingerGet", hart, host, pages: sample(rand, hostPages(s), between(rand, 1, 2)) };
    case H.SchAtDt: {
      const relay = s.relays[id]!;
      return { type: relay.hostMapped ? "host.schrodingerDt" : "host.schrodingerAt", hart, host: relay.creator, relay: id };
    }
    case H.SchCtl: return { type: "host.schrodingerCtl", hart, host: s.relays[id]!.creator, relay: id };
  }
}

/** A random SET_PTE entry. */
function pteEntry(s: System, rand: () => number) {
  return { target: between(rand, 0, s.config.pages - 1), valid: rand() < 0.8, leaf: rand() < 0.7 };
}

/** An action of the untrusted host beyond the SDK, mostly aimed at pages it must not reach. */
function adversaryEvent(s: System, rand: () => number, hart: number, host: number): Event {
  const r = rand();
  const page = between(rand, 0, s.config.pages - 1);
  if (r < 0.4) return { type: "adversary.touch", hart, host, page, write: rand() < 0.5 };
  if (r < 0.7) {
    const pta = pagesOwnedBy(s, "pta", NONE);
    const dest = pta.length && rand() < 0.7 ? pick(rand, pta) : page;
    const mode = pick(rand, ["one", "one", "one", "memset", "memcpy", "batchZero", "batchSet"] as const);
    const entries = mode === "memset" || mode === "batchZero" ? [] : mode === "one" ? [pteEntry(s, rand)] : [pteEntry(s, rand), pteEntry(s, rand)];
    if (rand() < 0.1) return { type: "adversary.mapPte", hart, host, pmd: dest, pte: pick(rand, pta.length ? pta : [page]) };
    return { type: "adversary.setPte", hart, host, mode, dest, entries };
  }
  if (r < 0.85) return { type: "adversary.writeSatp", hart, host, root: page };
  if (r < 0.95) return { type: "adversary.sbi", hart, host, fid: between(rand, 75, 105), args: [between(rand, 0, 1 << 20)] };
  // act on another host's enclave (M08)
  return { type: "host.destroy", hart, host, eid: between(rand, 0, s.config.enclaves - 1) };
}

/** A random event for state `s`, mostly one the spec accepts. Deterministic for a given `rand`. */
export function randomEvent(s: System, rand: () => number): Event {
  const hart = between(rand, 0, s.config.harts - 1);
  const e = s.harts[hart]!;
  if (e !== HOST && rand() < 0.97) return enclaveEvent(s, rand, hart, e);
  return hostEvent(s, rand, hart);
}
