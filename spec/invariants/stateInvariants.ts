import { HOST, NONE, type System } from "../../model/state.ts";
import { isSecure } from "../step/effects.ts";

// State invariants of invariants.md §6 in their abstract form: named predicates over a System,
// each carrying its catalog id. `violatedInvariants` lists the ids a state breaks.

const sortedEqual = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((x, i) => x === b[i]);
const isAscending = (a: readonly number[]) => a.every((x, i) => i === 0 || a[i - 1]! < x);
const live = (s: System, e: number) => e >= 0 && e < s.enclaves.length && s.enclaves[e]!.kind !== "none";

/**
 * MI-2 — private regions are pairwise disjoint and no shared window lies in another's region.
 * Abstractly each page has one owner, so this is the agreement of the shm and relay indexes with
 * the page owners: a page listed by shm k (relay r) is owned by k (r), and only such pages are.
 */
export function mi2RegionsDisjoint(s: System): boolean {
  for (let k = 0; k < s.shms.length; k++)
    for (const p of s.shms[k]!.pages) if (s.pages[p]?.owner !== "shm" || s.pages[p]!.id !== k) return false;
  for (let r = 0; r < s.relays.length; r++)
    for (const p of s.relays[r]!.pages) {
      const o = s.pages[p]?.owner;
      if ((o !== "relayHost" && o !== "relayEnclave") || s.pages[p]!.id !== r) return false;
    }
  for (let k = 0; k < s.secureShms.length; k++)
    for (const p of s.secureShms[k]!.pages) if (s.pages[p]?.owner !== "secureShm" || s.pages[p]!.id !== k) return false;
  return s.pages.every((pg, p) => {
    if (pg.owner === "shm") return s.shms[pg.id]?.live === true && s.shms[pg.id]!.pages.includes(p);
    if (pg.owner === "secureShm") return s.secureShms[pg.id]?.live === true && s.secureShms[pg.id]!.pages.includes(p);
    if (pg.owner === "relayHost" || pg.owner === "relayEnclave")
      return s.relays[pg.id]?.live === true && s.relays[pg.id]!.pages.includes(p);
    return true;
  });
}

/**
 * MI-3 — no enclave region or shared window includes monitor or page-table-area pages: the monitor's
 * own pages and the page-table area never change owner, and no other page is ever page-table area
 * (pages donated to the monitor's pool stay the monitor's).
 */
export function mi3OutsideMonitorAndPta(s: System): boolean {
  const { monitorPages: m, ptaPages: t } = s.config;
  return s.pages.every((pg, p) => (p < m ? pg.owner === "monitor" : p < m + t ? pg.owner === "pta" : pg.owner !== "pta"));
}

/** OW-1 — one owner per page, its id fits its class, and the bitmap PRIVATE bit agrees with it. */
export function ow1OwnerAndBitmapAgree(s: System): boolean {
  return s.pages.every((pg) => {
    if (pg.secure !== isSecure(pg.owner)) return false;
    switch (pg.owner) {
      case "host": case "monitor": case "pta": return pg.id === NONE;
      case "enclave": case "shadowRO": case "kbuffer": return pg.id >= 0 && pg.id < s.enclaves.length;
      case "relayHost": case "relayEnclave": return pg.id >= 0 && pg.id < s.relays.length;
      case "shm": return pg.id >= 0 && pg.id < s.shms.length;
      case "secureShm": return pg.id >= 0 && pg.id < s.secureShms.length;
    }
  });
}

/** OW-2 — a free enclave slot owns, holds and runs nothing and is linked to nobody. */
export function ow2DeadEnclavesOwnNothing(s: System): boolean {
  return s.enclaves.every((en, e) => {
    if (en.kind !== "none") return true;
    return en.state === "free" && en.relays.length === 0 && en.caller === NONE && en.callee === NONE &&
      en.shm === NONE && en.callPages.length === 0 &&
      !s.pages.some((pg) => (pg.owner === "enclave" || pg.owner === "shadowRO" || pg.owner === "kbuffer") && pg.id === e) &&
      !s.relays.some((r) => r.holder === "enclave" && r.eid === e) &&
      !s.shms.some((k) => k.enclaves.includes(e)) && !s.harts.includes(e) &&
      !s.secureShms.some((k) => k.owner === e || k.attached.includes(e) || k.allowed.includes(e));
  });
}

/** OW-3 — reference counts agree: a shm's attached list and an enclave's relay list match their sources. */
export function ow3RefcountsAgree(s: System): boolean {
  const shmOk = s.shms.every((k, i) =>
    isAscending(k.enclaves) && sortedEqual(k.enclaves, s.enclaves.flatMap((en, e) => (en.shm === i ? [e] : []))));
  const relayOk = s.enclaves.every((en, e) =>
    isAscending(en.relays) && sortedEqual(en.relays, s.relays.flatMap((r, i) => (r.holder === "enclave" && r.eid === e ? [i] : []))));
  return shmOk && relayOk;
}

/** OW-4 — a page owned by (or lent as kbuffer to) enclave e implies e is live; shared read-only pages belong to a shadow. */
export function ow4OwnersAreLive(s: System): boolean {
  return s.pages.every((pg) =>
    pg.owner === "enclave" || pg.owner === "kbuffer" ? live(s, pg.id)
    : pg.owner === "shadowRO" ? s.enclaves[pg.id]?.kind === "shadow"
    : true);
}

/**
 * OW-6 — a relay region is held by exactly one domain: the host (pages public) or one live enclave
 * or one pending name (pages private); pages lent for a call belong to the callee chain.
 */
export function ow6RelayExclusive(s: System): boolean {
  const relaysOk = s.relays.every((r) => {
    if (!r.live) return r.holder === "none" && r.pages.length === 0 && r.eid === NONE;
    const owner = r.holder === "host" ? "relayHost" : "relayEnclave";
    if (r.holder === "none" || r.pages.length === 0 || !r.pages.every((p) => s.pages[p]?.owner === owner)) return false;
    if (r.holder === "enclave") return live(s, r.eid) && s.enclaves[r.eid]!.kind !== "shadow" && r.name === "";
    if (r.holder === "pending") return r.eid === NONE && r.name !== "";
    return r.eid === NONE && r.name === "";
  });
  const lentOk = s.enclaves.every((en, x) =>
    en.callPages.every((p) => {
      const pg = s.pages[p];
      if (!pg || pg.owner !== "enclave") return false;
      for (let y = x, i = 0; y !== NONE && i <= s.enclaves.length; y = s.enclaves[y]!.callee, i++) if (pg.id === y) return true;
      return false;
    }));
  return relaysOk && lentOk;
}

/** LC-4 — a hart runs only a live, running, non-shadow enclave. */
export function lc4OnlyRunningEnclavesRun(s: System): boolean {
  return s.harts.every((e) => e === HOST || (live(s, e) && s.enclaves[e]!.state === "running" && s.enclaves[e]!.kind !== "shadow"));
}

/** LC-5 — an enclave runs on at most one hart, and it is `running` exactly when it runs on one. */
export function lc5OneHartPerEnclave(s: System): boolean {
  return s.enclaves.every((en, e) => {
    const n = s.harts.filter((h) => h === e).length;
    return n <= 1 && (en.state === "running") === (n === 1);
  });
}

/** IPC-1 — caller and callee links are symmetric; a callee is a server that is busy; its caller is blocked. */
export function ipc1CallLinksConsistent(s: System): boolean {
  const busy = ["running", "preempted", "ocalling", "blocked"];
  return s.enclaves.every((en, e) => {
    if (en.callee !== NONE) {
      const sv = s.enclaves[en.callee];
      if (!sv || sv.kind !== "server" || sv.caller !== e || en.state !== "blocked") return false;
    }
    if (en.caller !== NONE && s.enclaves[en.caller]?.callee !== e) return false;
    if (en.kind === "server") return busy.includes(en.state) === (en.caller !== NONE);
    return en.caller === NONE;
  });
}

/** IPC-2 — call chains are acyclic and an enclave is blocked exactly when it has a callee. */
export function ipc2ChainsAcyclic(s: System): boolean {
  return s.enclaves.every((en, e) => {
    if ((en.state === "blocked") !== (en.callee !== NONE)) return false;
    const seen = new Set<number>();
    for (let x = e; x !== NONE; x = s.enclaves[x]!.callee) {
      if (seen.has(x)) return false;
      seen.add(x);
    }
    return true;
  });
}

/**
 * IPC-5 — a shm segment's refcount is its attached set. Host shm: public, attached enclaves live,
 * empty when revoked. Secure shm: private, attached only by its owner or enclaves it allowed,
 * freed (and empty) once destroyed and unattached, keys unique.
 */
export function ipc5ShmRefcount(s: System): boolean {
  const hostShms = s.shms.every((k) =>
    k.live
      ? k.pages.length > 0 && k.enclaves.every((e) => live(s, e)) && k.pages.every((p) => s.pages[p]?.secure === false)
      : k.enclaves.length === 0 && k.pages.length === 0 && !k.hostAttached);
  const secure = s.secureShms.every((k, i) => {
    if (!k.live) return k.pages.length === 0 && k.attached.length === 0 && k.allowed.length === 0 && k.owner === NONE;
    return k.pages.length > 0 && k.pages.every((p) => s.pages[p]?.secure === true) &&
      isAscending(k.attached) && isAscending(k.allowed) &&
      k.attached.every((e) => live(s, e) && (e === k.owner || k.allowed.includes(e))) &&
      (k.owner === NONE ? k.destroyPending : live(s, k.owner)) &&
      !(k.destroyPending && k.attached.length === 0) &&
      s.secureShms.every((o, j) => j === i || !o.live || o.key !== k.key);
  });
  return hostShms && secure;
}

/** IPC-6 — a fork instance's parent is a live shadow other than itself; shadows never run; only shadows own shared read-only pages. */
export function ipc6ForkParentage(s: System): boolean {
  return s.enclaves.every((en, e) => {
    if (en.kind === "instance") return en.parent !== e && s.enclaves[en.parent]?.kind === "shadow";
    if (en.kind === "shadow") return en.parent === NONE && en.state === "ready";
    return en.parent === NONE;
  });
}

/** AT-2 (state part) — every live enclave has a measurement and a free slot has none. */
export function at2MeasuredOnce(s: System): boolean {
  return s.enclaves.every((en) => (en.kind === "none") === (en.measurement === ""));
}

/** AT-6 — a fork instance carries its shadow's measurement (its image is the shadow's). */
export function at6InstanceMeasurement(s: System): boolean {
  return s.enclaves.every((en) => en.kind !== "instance" || s.enclaves[en.parent]?.measurement === en.measurement);
}

/** SRV-1 (PGL §3.3) — the server name table lists each live server once under its name, sorted, names unique. */
export function srv1ServerTableAgrees(s: System): boolean {
  const servers = s.enclaves.flatMap((en, e) => (en.kind === "server" ? [e] : []));
  return s.servers.length === servers.length &&
    s.servers.every((x, i) => s.enclaves[x.eid]?.kind === "server" && s.enclaves[x.eid]!.name === x.name &&
      (i === 0 || s.servers[i - 1]!.name < x.name));
}

/** Every state invariant with its catalog id. */
export const stateInvariants: readonly { id: string; holds: (s: System) => boolean }[] = [
  { id: "MI-2", holds: mi2RegionsDisjoint },
  { id: "MI-3", holds: mi3OutsideMonitorAndPta },
  { id: "OW-1", holds: ow1OwnerAndBitmapAgree },
  { id: "OW-2", holds: ow2DeadEnclavesOwnNothing },
  { id: "OW-3", holds: ow3RefcountsAgree },
  { id: "OW-4", holds: ow4OwnersAreLive },
  { id: "OW-6", holds: ow6RelayExclusive },
  { id: "LC-4", holds: lc4OnlyRunningEnclavesRun },
  { id: "LC-5", holds: lc5OneHartPerEnclave },
  { id: "IPC-1", holds: ipc1CallLinksConsistent },
  { id: "IPC-2", holds: ipc2ChainsAcyclic },
  { id: "IPC-5", holds: ipc5ShmRefcount },
  { id: "IPC-6", holds: ipc6ForkParentage },
  { id: "AT-2", holds: at2MeasuredOnce },
  { id: "AT-6", holds: at6InstanceMeasurement },
  { id: "SRV-1", holds: srv1ServerTableAgrees },
];

/** The ids of the state invariants `s` violates (empty when all hold). */
export function violatedInvariants(s: System): string[] {
  return stateInvariants.filter((inv) => !inv.holds(s)).map((inv) => inv.id);
}
