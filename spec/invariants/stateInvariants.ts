import { HOST, NONE, type Enclave, type Page, type System } from "../../model/state.ts";
import { isSecure } from "../step/effects.ts";

// State invariants of invariants.md §6 in their abstract form: named predicates over a System,
// each carrying its catalog id. `violatedInvariants` lists the ids a state breaks.

// (Written as plain loops: the model checker evaluates every invariant on every distinct state.)

function isAscending(a: readonly number[]): boolean {
  for (let i = 1; i < a.length; i++) if (a[i - 1]! >= a[i]!) return false;
  return true;
}
const live = (s: System, e: number) => e >= 0 && e < s.enclaves.length && s.enclaves[e]!.kind !== "none";
/** Owner classes whose page `id` is an enclave id. */
const ownedByEnclave = (o: Page["owner"]) => o === "enclave" || o === "shadowRO" || o === "kbuffer";

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
  for (let p = 0; p < s.pages.length; p++) {
    const pg = s.pages[p]!;
    if (pg.owner === "shm") {
      if (!(s.shms[pg.id]?.live === true && s.shms[pg.id]!.pages.includes(p))) return false;
    } else if (pg.owner === "secureShm") {
      if (!(s.secureShms[pg.id]?.live === true && s.secureShms[pg.id]!.pages.includes(p))) return false;
    } else if (pg.owner === "relayHost" || pg.owner === "relayEnclave") {
      if (!(s.relays[pg.id]?.live === true && s.relays[pg.id]!.pages.includes(p))) return false;
    }
  }
  return true;
}

/**
 * MI-3 — no enclave region or shared window includes monitor or page-table-area pages: the monitor's
 * own pages and the page-table area never change owner, and no other page is ever page-table area
 * (pages donated to the monitor's pool stay the monitor's).
 */
export function mi3OutsideMonitorAndPta(s: System): boolean {
  for (let p = 0; p < s.pages.length; p++) if (!mi3PageClass(s.pages[p]!, p, s)) return false;
  return true;
}

/** MI-3 on one page: monitor pages are the monitor's, the page-table area is `pta`, no other page is. */
export function mi3PageClass(pg: Page, p: number, s: System): boolean {
  const { monitorPages: m, ptaPages: t } = s.config;
  return p < m ? pg.owner === "monitor" : p < m + t ? pg.owner === "pta" : pg.owner !== "pta";
}

/** OW-1 — one owner per page, its id fits its class, and the bitmap PRIVATE bit agrees with it. */
export function ow1OwnerAndBitmapAgree(s: System): boolean {
  for (let p = 0; p < s.pages.length; p++) if (!ow1PageAgrees(s.pages[p]!, p, s)) return false;
  return true;
}

/** OW-1 on one page (it reads the state's shape only: the lengths of the tables). */
export function ow1PageAgrees(pg: Page, _p: number, s: System): boolean {
  if (pg.secure !== isSecure(pg.owner)) return false;
  switch (pg.owner) {
    case "host":
    case "monitor":
    case "pta":
      return pg.id === NONE;
    case "enclave":
    case "shadowRO":
    case "kbuffer":
      return pg.id >= 0 && pg.id < s.enclaves.length;
    case "relayHost":
    case "relayEnclave":
      return pg.id >= 0 && pg.id < s.relays.length;
    case "shm":
      return pg.id >= 0 && pg.id < s.shms.length;
    case "secureShm":
      return pg.id >= 0 && pg.id < s.secureShms.length;
  }
}

/** OW-2 — a free enclave slot owns, holds and runs nothing and is linked to nobody. */
export function ow2DeadEnclavesOwnNothing(s: System): boolean {
  let referenced: boolean[] | undefined;
  for (let e = 0; e < s.enclaves.length; e++) {
    const en = s.enclaves[e]!;
    if (en.kind !== "none") continue;
    if (!(
      en.state === "free" &&
      en.relays.length === 0 &&
      en.caller === NONE &&
      en.callee === NONE &&
      en.shm === NONE &&
      en.callPages.length === 0
    ))
      return false;
    referenced ??= referencedEnclaves(s);
    if (referenced[e]) return false;
  }
  return true;
}

/** Which enclave ids some page, relay, shm, hart or secure shm names (one pass over each table). */
function referencedEnclaves(s: System): boolean[] {
  const out: boolean[] = [];
  for (const pg of s.pages) if (ownedByEnclave(pg.owner) && pg.id >= 0) out[pg.id] = true;
  for (const r of s.relays) if (r.holder === "enclave" && r.eid >= 0) out[r.eid] = true;
  for (const k of s.shms) for (const e of k.enclaves) out[e] = true;
  for (const e of s.harts) if (e >= 0) out[e] = true;
  for (const k of s.secureShms) {
    if (k.owner >= 0) out[k.owner] = true;
    for (const e of k.attached) out[e] = true;
    for (const e of k.allowed) out[e] = true;
  }
  return out;
}

/** OW-3 — reference counts agree: a shm's attached list and an enclave's relay list match their sources. */
export function ow3RefcountsAgree(s: System): boolean {
  // each list must be exactly the ascending list of its sources
  for (let i = 0; i < s.shms.length; i++) {
    const list = s.shms[i]!.enclaves;
    let j = 0;
    for (let e = 0; e < s.enclaves.length; e++) if (s.enclaves[e]!.shm === i && list[j++] !== e) return false;
    if (j !== list.length) return false;
  }
  for (let e = 0; e < s.enclaves.length; e++) {
    const list = s.enclaves[e]!.relays;
    let j = 0;
    for (let i = 0; i < s.relays.length; i++) {
      const r = s.relays[i]!;
      if (r.holder === "enclave" && r.eid === e && list[j++] !== i) return false;
    }
    if (j !== list.length) return false;
  }
  return true;
}

/** OW-4 — a page owned by (or lent as kbuffer to) enclave e implies e is live; shared read-only pages belong to a shadow. */
export function ow4OwnersAreLive(s: System): boolean {
  for (const pg of s.pages) {
    if (
      pg.owner === "enclave" || pg.owner === "kbuffer"
        ? !live(s, pg.id)
        : pg.owner === "shadowRO" && s.enclaves[pg.id]?.kind !== "shadow"
    )
      return false;
  }
  return true;
}

/**
 * OW-6 — a relay region is held by exactly one domain: the host (pages public) or one live enclave
 * or one pending name (pages private); pages lent for a call belong to the callee chain.
 */
export function ow6RelayExclusive(s: System): boolean {
  for (const r of s.relays) if (!relayExclusive(s, r)) return false;
  for (let x = 0; x < s.enclaves.length; x++)
    for (const p of s.enclaves[x]!.callPages) {
      const pg = s.pages[p];
      if (!pg || pg.owner !== "enclave") return false;
      let inChain = false;
      for (let y = x, i = 0; y !== NONE && i <= s.enclaves.length; y = s.enclaves[y]!.callee, i++)
        if (pg.id === y) {
          inChain = true;
          break;
        }
      if (!inChain) return false;
    }
  return true;
}

function relayExclusive(s: System, r: System["relays"][number]): boolean {
  if (!r.live) return r.holder === "none" && r.pages.length === 0 && r.eid === NONE;
  const owner = r.holder === "host" ? "relayHost" : "relayEnclave";
  if (r.holder === "none" || r.pages.length === 0) return false;
  for (const p of r.pages) if (s.pages[p]?.owner !== owner) return false;
  if (r.holder === "enclave") return live(s, r.eid) && s.enclaves[r.eid]!.kind !== "shadow" && r.name === "";
  if (r.holder === "pending") return r.eid === NONE && r.name !== "";
  return r.eid === NONE && r.name === "";
}

/** LC-4 — a hart runs only a live, running, non-shadow enclave. */
export function lc4OnlyRunningEnclavesRun(s: System): boolean {
  for (const e of s.harts)
    if (!(e === HOST || (live(s, e) && s.enclaves[e]!.state === "running" && s.enclaves[e]!.kind !== "shadow"))) return false;
  return true;
}

/** LC-5 — an enclave runs on at most one hart, and it is `running` exactly when it runs on one. */
export function lc5OneHartPerEnclave(s: System): boolean {
  for (let e = 0; e < s.enclaves.length; e++) {
    let n = 0;
    for (const h of s.harts) if (h === e) n++;
    if (!(n <= 1 && (s.enclaves[e]!.state === "running") === (n === 1))) return false;
  }
  return true;
}

/** IPC-1 — caller and callee links are symmetric; a callee is a server that is busy; its caller is blocked. */
export function ipc1CallLinksConsistent(s: System): boolean {
  for (let e = 0; e < s.enclaves.length; e++) {
    const en = s.enclaves[e]!;
    if (en.callee !== NONE) {
      const sv = s.enclaves[en.callee];
      if (!sv || sv.kind !== "server" || sv.caller !== e || en.state !== "blocked") return false;
    }
    if (en.caller !== NONE && s.enclaves[en.caller]?.callee !== e) return false;
    const busy = en.state === "running" || en.state === "preempted" || en.state === "ocalling" || en.state === "blocked";
    if (en.kind === "server" ? busy !== (en.caller !== NONE) : en.caller !== NONE) return false;
  }
  return true;
}

/** IPC-2 — call chains are acyclic and an enclave is blocked exactly when it has a callee. */
export function ipc2ChainsAcyclic(s: System): boolean {
  const n = s.enclaves.length;
  for (let e = 0; e < n; e++) {
    const en = s.enclaves[e]!;
    if ((en.state === "blocked") !== (en.callee !== NONE)) return false;
    // an acyclic chain visits at most n slots
    for (let x = e, steps = 0; x !== NONE; x = s.enclaves[x]!.callee, steps++) if (steps >= n) return false;
  }
  return true;
}

/**
 * IPC-5 — a shm segment's refcount is its attached set. Host shm: public, attached enclaves live,
 * empty when revoked. Secure shm: private, attached only by its owner or enclaves it allowed,
 * freed (and empty) once destroyed and unattached, keys unique.
 */
export function ipc5ShmRefcount(s: System): boolean {
  for (const k of s.shms) {
    if (!k.live) {
      if (!(k.enclaves.length === 0 && k.pages.length === 0 && !k.hostAttached)) return false;
      continue;
    }
    if (k.pages.length === 0) return false;
    for (const e of k.enclaves) if (!live(s, e)) return false;
    for (const p of k.pages) if (s.pages[p]?.secure !== false) return false;
  }
  for (let i = 0; i < s.secureShms.length; i++) if (!secureShmRefcount(s, i)) return false;
  return true;
}

function secureShmRefcount(s: System, i: number): boolean {
  const k = s.secureShms[i]!;
  if (!k.live) return k.pages.length === 0 && k.attached.length === 0 && k.allowed.length === 0 && k.owner === NONE;
  if (k.pages.length === 0) return false;
  for (const p of k.pages) if (s.pages[p]?.secure !== true) return false;
  if (!isAscending(k.attached) || !isAscending(k.allowed)) return false;
  for (const e of k.attached) if (!(live(s, e) && (e === k.owner || k.allowed.includes(e)))) return false;
  if (!(k.owner === NONE ? k.destroyPending : live(s, k.owner))) return false;
  if (k.destroyPending && k.attached.length === 0) return false;
  for (let j = 0; j < s.secureShms.length; j++) {
    const o = s.secureShms[j]!;
    if (j !== i && o.live && o.key === k.key) return false;
  }
  return true;
}

/** IPC-6 — a fork instance's parent is a live shadow other than itself; shadows never run; only shadows own shared read-only pages. */
export function ipc6ForkParentage(s: System): boolean {
  for (let e = 0; e < s.enclaves.length; e++) {
    const en = s.enclaves[e]!;
    const ok =
      en.kind === "instance"
        ? en.parent !== e && s.enclaves[en.parent]?.kind === "shadow"
        : en.kind === "shadow"
          ? en.parent === NONE && en.state === "ready"
          : en.parent === NONE;
    if (!ok) return false;
  }
  return true;
}

/** AT-2 (state part) — every live enclave has a measurement and a free slot has none. */
export function at2MeasuredOnce(s: System): boolean {
  for (let e = 0; e < s.enclaves.length; e++) if (!at2SlotMeasured(s.enclaves[e]!)) return false;
  return true;
}

/** AT-2 (state part) on one slot. */
export function at2SlotMeasured(en: Enclave): boolean {
  return (en.kind === "none") === (en.measurement === "");
}

/** AT-6 — a fork instance carries its shadow's measurement (its image is the shadow's). */
export function at6InstanceMeasurement(s: System): boolean {
  for (const en of s.enclaves) if (en.kind === "instance" && s.enclaves[en.parent]?.measurement !== en.measurement) return false;
  return true;
}

/** SRV-1 (PGL §3.3) — the server name table lists each live server once under its name, sorted, names unique. */
export function srv1ServerTableAgrees(s: System): boolean {
  let servers = 0;
  for (const en of s.enclaves) if (en.kind === "server") servers++;
  if (s.servers.length !== servers) return false;
  for (let i = 0; i < s.servers.length; i++) {
    const x = s.servers[i]!;
    if (!(
      s.enclaves[x.eid]?.kind === "server" &&
      s.enclaves[x.eid]!.name === x.name &&
      (i === 0 || s.servers[i - 1]!.name < x.name)
    ))
      return false;
  }
  return true;
}

/** A rule on one page of a state that reads nothing else of the state but its shape (configuration, table lengths). */
export type PageRule = (pg: Page, p: number, s: System) => boolean;
/** A rule on one enclave slot that reads nothing else of the state but its shape. */
export type SlotRule = (en: Enclave, e: number, s: System) => boolean;

/**
 * A state invariant with its catalog id; with a `pageRule` (`slotRule`) it holds iff the rule holds
 * for every page (slot), so a checker that knows a state's predecessor satisfied it need only apply
 * the rule to the pages (slots) that changed (stateInvariants.test.ts checks both claims).
 */
export interface StateInvariant {
  id: string;
  holds: (s: System) => boolean;
  pageRule?: PageRule;
  slotRule?: SlotRule;
}

/** Every state invariant with its catalog id. */
export const stateInvariants: readonly StateInvariant[] = [
  { id: "MI-2", holds: mi2RegionsDisjoint },
  { id: "MI-3", holds: mi3OutsideMonitorAndPta, pageRule: mi3PageClass },
  { id: "OW-1", holds: ow1OwnerAndBitmapAgree, pageRule: ow1PageAgrees },
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
  { id: "AT-2", holds: at2MeasuredOnce, slotRule: at2SlotMeasured },
  { id: "AT-6", holds: at6InstanceMeasurement },
  { id: "SRV-1", holds: srv1ServerTableAgrees },
];

/** The ids of the state invariants `s` violates (empty when all hold). */
export function violatedInvariants(s: System): string[] {
  return stateInvariants.filter((inv) => !inv.holds(s)).map((inv) => inv.id);
}
