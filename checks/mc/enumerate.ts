import { HostFid, KeyType } from "../../model/abi.ts";
import { NAME_LEN } from "../../model/config.ts";
import type { Event, EventOf } from "../../model/events.ts";
import { HOST, NONE, type Enclave, type System } from "../../model/state.ts";
import { EnclaveFact as F, ENCLAVE_FACT_BITS } from "../../spec/machines/enclaveOps.ts";
import { holdsRelay, innermost, ownsPages, pageOutcome, secureShmByKey, topCaller } from "../../spec/step/queries.ts";
import { argClasses, pageTuples, type ArgClasses } from "./argClasses.ts";
import type { McConfig } from "./config.ts";
import { HostOp, hostOpsRefused, machineRefuses, OP, refusalRow, rowRefuses } from "./prune.ts";

/** A create probe with one image and no text pages (the refused and malformed variants), fields in schema order. */
function createProbe(
  hart: number,
  host: number,
  kind: EventOf<"host.create">["kind"],
  name: string,
  image: string,
  pages: number[],
  shm: number,
  kbuffer: number,
): EventOf<"host.create"> {
  return { type: "host.create", hart, host, kind, name, image, pages, textPages: 0, shm, kbuffer };
}

/** A name one character too long for Penglai's 16-byte field: offered to check the refusal. */
export const TOO_LONG_NAME = "n".repeat(NAME_LEN);

/** Strings the enumerator may put in events besides the config names and images. */
export const EXTRA_STRINGS: readonly string[] = ["", TOO_LONG_NAME];

/** An SBI function id no extension defines. */
const UNKNOWN_FID = 1234;

/** Every enclave fact bit: "known false" for an operation `step` looks up with facts 0. */
const NO_FACTS = (1 << ENCLAVE_FACT_BITS) - 1;

/** Page pools of one state (classes of interchangeable pages, restricted). */
interface Pools {
  /** Public host memory (owner `host`): what SDK calls hand over. */
  host: number[][];
  /** The page-table area: where SET_PTE/MAP_PTE write. */
  pta: number[][];
  /** One page of every class. */
  any: number[];
  /** One page of every class that is not public host memory (refusal probes of SDK calls). */
  notHost: number[];
  /** One page of every class outside the page-table area (refusal probes of SET_PTE/MAP_PTE). */
  notPta: number[];
  /** Per page: the host page operations (HostOp bits) its owner's machine refuses (pruning). */
  refused: Int32Array;
}

/** The `refused` column of `pools` (a thread runs one enumeration at a time; small typed arrays are slow to allocate). */
let refusedScratch = new Int32Array(0);

function pools(s: System, cls: ArgClasses): Pools {
  if (refusedScratch.length !== s.pages.length) refusedScratch = new Int32Array(s.pages.length);
  const pl: Pools = { host: [], pta: [], any: [], notHost: [], notPta: [], refused: refusedScratch };
  for (const c of cls.pages) {
    const p = c[0]!;
    const owner = s.pages[p]!.owner;
    pl.any.push(p);
    if (owner === "host") pl.host.push(c);
    else pl.notHost.push(p);
    if (owner === "pta") pl.pta.push(c);
    else pl.notPta.push(p);
  }
  for (let p = 0; p < s.pages.length; p++) pl.refused[p] = hostOpsRefused(s.pages[p]!.owner);
  return pl;
}

/** Pages enclave `e` owns (classes), for the calls that hand its own pages back or over. */
function ownPool(s: System, cls: ArgClasses, e: number): { own: number[][]; notOwn: number[] } {
  const own: number[][] = [],
    notOwn: number[] = [];
  for (const c of cls.pages) {
    const pg = s.pages[c[0]!]!;
    if (pg.owner === "enclave" && pg.id === e) own.push(c);
    else notOwn.push(c[0]!);
  }
  return { own, notOwn };
}

/**
 * Every event the checker tries in a state: each event type of model/events.ts over small argument
 * domains derived from the configuration (checks/mc/README.md, "Event domains"), including refused
 * and malicious ones (wrong hart domain, out-of-range ids, other hosts' enclaves, private or monitor
 * pages, bad SET_PTE / satp / SBI calls). With `reduced`, arguments interchangeable in the state
 * (argClasses.ts) are offered once, and host events on one of the harts running the host.
 *
 * With `prune`, an event is left out when spec/step.ts surely refuses it in `s` — its machine's
 * table refuses the operation under every fact set consistent with facts read off `s` (prune.ts),
 * or an argument check of its handler fails on `s` — except the fixed refusal probes (out-of-range
 * ids, wrong hart domain, malformed arguments), which are always offered. Skipping a refused event
 * loses no state (it returns `s` itself) and no invariant check: LC-6 is that identity, LC-3 holds
 * for an event issued from its own domain, and every other step invariant holds on a refused step
 * whose state is unchanged (stepInvariants.ts `frame` / `vacuousOnError`). The claim "surely
 * refused" is only valid for the spec's own `step`, so mutants search unpruned; prune.test.ts checks
 * it for every state of small searches.
 */
export function enumerateEvents(s: System, mc: McConfig, reduced: boolean, prune = false): Event[] {
  return enumerate(s, mc, reduced, prune).events;
}

/**
 * The events of a state (`enumerateEvents`): those from their own domain naming only ids inside
 * their tables first, then the domain probes, then the range probes.
 */
export interface Enumeration {
  events: Event[];
  /** `events[0..ownDomain)` come from their own domain (fromOwnDomain of spec/invariants/stepInvariants.ts). */
  ownDomain: number;
  /** `events[0..inRange)` name only ids inside their tables (idsInRange of spec/invariants/stepInvariants.ts). */
  inRange: number;
}

/** `enumerateEvents`, with the domain probes (a call from the other domain, a hart out of range) and the range probes (an eid, page or page list one past its table) last. */
export function enumerate(s: System, mc: McConfig, reduced: boolean, prune = false): Enumeration {
  const cls = argClasses(s, mc, reduced);
  const pl = pools(s, cls);
  const to: Sink = { out: [], foreign: [], probes: [] };
  const { out, probes } = to;
  const cfg = s.config;
  let hostHartDone = false;
  for (let hart = 0; hart < cfg.harts; hart++) {
    const e = s.harts[hart]!;
    if (e === HOST) {
      if (reduced && hostHartDone) continue; // harts running the host are interchangeable
      hostHartDone = true;
      hostEvents(s, mc, cls, pl, hart, to, prune);
      out.push({ type: "env.timer", hart });
    } else {
      enclaveEvents(s, mc, cls, pl, hart, to, prune);
      if (!prune || !refuses(rowOf(s.enclaves[e]!), OP.TIMER)) out.push({ type: "env.timer", hart });
    }
    out.push({ type: "env.ipi", hart });
  }
  // a hart and a host out of range (domain probes: the hart or the host check refuses them), an eid out of range (SP-3)
  to.foreign.push({ type: "env.timer", hart: cfg.harts });
  to.foreign.push({ type: "host.destroy", hart: 0, host: cfg.hosts, eid: 0 }); // hart 0 may run an enclave
  probes.push({ type: "host.destroy", hart: 0, host: 0, eid: cfg.enclaves });
  const ownDomain = out.length;
  for (let i = 0; i < to.foreign.length; i++) out.push(to.foreign[i]!);
  const inRange = out.length;
  for (let i = 0; i < probes.length; i++) out.push(probes[i]!);
  return { events: out, ownDomain, inRange };
}

/** The refusal row of `en`'s machine (prune.ts). */
function rowOf(en: Enclave): Int32Array {
  return refusalRow(en.kind, en.state);
}

/** The machine with refusal row `row` refuses `op` (an `OP` index) whatever the facts not in `knownFalse` (facts exactly 0 by default). */
function refuses(row: Int32Array, op: number, knownFalse = NO_FACTS): boolean {
  return rowRefuses(row, op, knownFalse);
}

/** The page machine refuses one of the host operations `ops` (HostOp bits) on one of `pages`. */
function refusedOn(pl: Pools, pages: readonly number[], ops: number): boolean {
  for (let i = 0; i < pages.length; i++) if ((pl.refused[pages[i]!]! & ops) !== 0) return true;
  return false;
}

function anyFree(xs: readonly { live: boolean }[]): boolean {
  for (const x of xs) if (!x.live) return true;
  return false;
}

function listsUpTo(classes: number[][], max: number): number[][] {
  const out: number[][] = [];
  for (let n = 1; n <= max; n++) for (const t of pageTuples(classes, n)) out.push(t);
  return out;
}

/** Where the enumeration puts events: domain probes and range probes apart from the others. */
interface Sink {
  /** Events from their own domain (fromOwnDomain in stepInvariants.ts) naming only ids inside their tables. */
  out: Event[];
  /** Events naming only ids inside their tables that may come from the wrong domain (LC-3 probes). */
  foreign: Event[];
  /** Events naming an id outside its table (SP-3 probes). */
  probes: Event[];
}

/** Host calls from `hart`. */
function hostEvents(s: System, mc: McConfig, cls: ArgClasses, pl: Pools, hart: number, to: Sink, prune: boolean): void {
  const { out, probes } = to;
  const cfg = s.config;
  const image0 = cls.images[0]!;
  const name0 = cls.names[0]!;
  // lists of host pages of each length (create, fork, ocallReturn, shmget, schrodingerGet), computed once
  let longest = Math.max(mc.maxList + 1, mc.maxCount);
  for (const eid of cls.eids) if (s.enclaves[eid]!.kind === "shadow") longest = Math.max(longest, forkPages(s, eid) + 1);
  const tuples: number[][][] = [[]];
  for (let n = 1; n <= longest; n++) tuples.push(pageTuples(pl.host, n));
  // what decides refusals in this state (prune): a free slot (NO_MEM), free shm and relay ids (NO_FREE_ID)
  const slotFree = !prune || s.enclaves.some((en) => en.kind === "none");
  const shmFree = !prune || anyFree(s.shms);
  const relayFree = !prune || anyFree(s.relays);
  // a call from the wrong domain (LC-3): a hart running the host calling as an enclave
  to.foreign.push({ type: "enclave.getEnclaveId", hart });
  for (const host of cls.hosts) {
    // create: every kind, name, image and list of host pages; shadows every text split; a live shm
    // segment or none; normal enclaves also with a kbuffer window
    for (const kind of KINDS)
      for (const name of cls.names) {
        // the machine decides with regionIsPublic (host pages) and nameIsFree
        if (prune && (!slotFree || machineRefuses(kind, "free", "CREATE", serverNamed(s, name) ? F.nameIsFree : 0))) continue;
        for (const image of cls.images)
          for (let n = 1; n <= mc.maxList; n++) {
            for (const pages of tuples[n]!) {
              const texts = kind === "shadow" ? n : 0;
              for (let textPages = 0; textPages <= texts; textPages++)
                for (let k = -1; k < cfg.shms; k++) {
                  // a live shm segment or none; a shadow maps no shm and the segment must be this host's (prune)
                  const shm = k < 0 ? NONE : k;
                  if (shm !== NONE && (!s.shms[shm]!.live || (prune && (kind === "shadow" || s.shms[shm]!.creator !== host))))
                    continue;
                  out.push({ type: "host.create", hart, host, kind, name, image, pages, textPages, shm, kbuffer: NONE });
                }
            }
            if (kind === "normal")
              for (const t of tuples[n + 1]!)
                for (let k = -1; k < cfg.shms; k++) {
                  const shm = k < 0 ? NONE : k;
                  if (shm !== NONE && (!s.shms[shm]!.live || (prune && s.shms[shm]!.creator !== host))) continue;
                  out.push({
                    type: "host.create",
                    hart,
                    host,
                    kind,
                    name,
                    image,
                    pages: t.slice(0, n),
                    textPages: 0,
                    shm,
                    kbuffer: t[n]!,
                  });
                }
          }
      }
    // refused creates: a page of every other class, out of range; a kbuffer that is not host memory;
    // a server without a name; a name too long; a revoked shm segment
    const p0 = pl.host.length ? pl.host[0]![0]! : 0;
    for (const p of pl.notHost)
      if (!prune || (slotFree && (pl.refused[p]! & HostOp.ASSIGN) === 0))
        out.push(createProbe(hart, host, "normal", name0, image0, [p], NONE, NONE));
    probes.push(createProbe(hart, host, "normal", name0, image0, [cfg.pages], NONE, NONE));
    for (const p of pl.notHost)
      if (!prune || (slotFree && (pl.refused[p]! & HostOp.SHARE_WINDOW) === 0 && (pl.refused[p0]! & HostOp.ASSIGN) === 0))
        out.push(createProbe(hart, host, "normal", name0, image0, [p0], NONE, p));
    out.push(createProbe(hart, host, "server", "", image0, [p0], NONE, NONE));
    out.push(createProbe(hart, host, "normal", TOO_LONG_NAME, image0, [p0], NONE, NONE));
    const deadShm = s.shms.findIndex((k) => !k.live);
    if (deadShm >= 0) out.push(createProbe(hart, host, "normal", name0, image0, [p0], deadShm, NONE));
    for (const eid of cls.eids) slotEvents(s, mc, cls, pl, tuples, hart, host, eid, slotFree, out, prune);
    const lists: number[][] = [];
    for (let n = 1; n <= mc.maxList; n++) for (const t of tuples[n]!) lists.push(t);
    for (const p of pl.notHost) lists.push([p]);
    for (const pages of lists) {
      if (!prune || (shmFree && !refusedOn(pl, pages, HostOp.SHM_GET))) out.push({ type: "host.shmget", hart, host, pages });
      if (!prune || (relayFree && !refusedOn(pl, pages, HostOp.SCHRODINGER_GET)))
        out.push({ type: "host.schrodingerGet", hart, host, pages });
    }
    for (const p of pl.any)
      if (!prune || (pl.refused[p]! & HostOp.DONATE) === 0) out.push({ type: "host.memoryExtend", hart, host, pages: [p] });
    for (let shm = 0; shm < cfg.shms; shm++) {
      const k = s.shms[shm]!;
      const own = !prune || (k.live && k.creator === host);
      if (own && (!prune || !k.hostAttached)) out.push({ type: "host.shmat", hart, host, shm });
      if (own && (!prune || k.hostAttached)) out.push({ type: "host.shmdt", hart, host, shm });
      if (own && (!prune || k.enclaves.length === 0)) out.push({ type: "host.shmctl", hart, host, shm });
    }
    for (let relay = 0; relay < cfg.relays; relay++) {
      const r = s.relays[relay]!;
      const own = !prune || (r.live && r.creator === host);
      const reachable = !prune || !refusedOn(pl, r.pages, HostOp.HOST_LOAD);
      if (own && reachable && (!prune || !r.hostMapped)) out.push({ type: "host.schrodingerAt", hart, host, relay });
      if (own && reachable && (!prune || r.hostMapped)) out.push({ type: "host.schrodingerDt", hart, host, relay });
      if (own && (!prune || !refusedOn(pl, r.pages, HostOp.SCHRODINGER_FREE)))
        out.push({ type: "host.schrodingerCtl", hart, host, relay });
    }
    adversaryEvents(s, pl, hart, host, to, prune);
  }
}

const KINDS = ["normal", "server", "shadow"] as const;

/** A live server has this name. */
function serverNamed(s: System, name: string): boolean {
  for (const x of s.servers) if (x.name === name) return true;
  return false;
}

/** Host pages a fork of `shadow` needs: one per writable page of the shadow, plus a stack page. */
function forkPages(s: System, shadow: number): number {
  let need = 1;
  if (s.enclaves[shadow]!.kind === "shadow") for (const pg of s.pages) if (pg.owner === "enclave" && pg.id === shadow) need++;
  return need;
}

/** Host calls on enclave slot `eid` by `host`: fork, run, stop, resume, ocallReturn, rerun, attest, destroy, setMemArg. */
function slotEvents(
  s: System,
  mc: McConfig,
  cls: ArgClasses,
  pl: Pools,
  tuples: number[][][],
  hart: number,
  host: number,
  eid: number,
  slotFree: boolean,
  out: Event[],
  prune: boolean,
): void {
  const en = s.enclaves[eid]!;
  // isCreator is known for the slot and for the top caller of its chain (resume, ocallReturn)
  const creator = en.creator === host ? 0 : F.isCreator;
  const top = s.enclaves[topCaller(s, eid)]!.creator === host ? 0 : F.isCreator;
  const inner = s.enclaves[innermost(s, eid)]!;
  const row = rowOf(en),
    innerRow = rowOf(inner);
  // fork: as many host pages as the shadow's writable pages plus a stack page
  const need = forkPages(s, eid);
  if (!prune || (slotFree && en.kind === "shadow" && !refuses(row, OP.FORK_FROM, creator)))
    for (const name of cls.names) {
      for (const pages of tuples[need]!) out.push({ type: "host.fork", hart, host, shadow: eid, name, pages, kbuffer: NONE });
      if (en.kind === "shadow")
        for (const t of tuples[need + 1]!)
          out.push({ type: "host.fork", hart, host, shadow: eid, name, pages: t.slice(0, need), kbuffer: t[need]! });
    }
  if (!prune || !refuses(row, OP.RUN, creator))
    out.push({ type: "host.run", hart, host, eid, inherit: false }, { type: "host.run", hart, host, eid, inherit: true });
  if (!prune || !refuses(row, OP.STOP, creator)) out.push({ type: "host.stop", hart, host, eid });
  if (!prune || !refuses(innerRow, OP.RESUME, top)) out.push({ type: "host.resume", hart, host, eid, reason: "timer" });
  if (!prune || !refuses(row, OP.WAKE, top)) out.push({ type: "host.resume", hart, host, eid, reason: "stop" });
  if (!prune || !refuses(innerRow, OP.RESUME_OCALL, top)) {
    // suppliedPagesFit needs as many pages as the pending ocall asked for, each accepting the page operation
    const wants = inner.pending === "mmap" || inner.pending === "sbrk" || inner.pending === "shmGet" ? inner.pendingPages : 0;
    const op = inner.pending === "shmGet" ? HostOp.SECURE_SHM_GET : HostOp.ASSIGN;
    const fits = (pages: readonly number[]) => pages.length === wants && !refusedOn(pl, pages, op);
    const fitRefused = prune && refuses(innerRow, OP.RESUME_OCALL, top | F.suppliedPagesFit);
    if (!fitRefused || fits([])) out.push({ type: "host.ocallReturn", hart, host, eid, pages: [] });
    for (let k = 1; k <= mc.maxCount; k++)
      for (const pages of tuples[k]!)
        if (!fitRefused || fits(pages)) out.push({ type: "host.ocallReturn", hart, host, eid, pages });
    if (pl.notHost.length && (!fitRefused || fits([pl.notHost[0]!])))
      out.push({ type: "host.ocallReturn", hart, host, eid, pages: [pl.notHost[0]!] });
  }
  if (!prune || !refuses(row, OP.RERUN, creator)) out.push({ type: "host.rerun", hart, host, eid });
  if (!prune || !refuses(row, OP.ATTEST, creator)) out.push({ type: "host.attest", hart, host, eid, nonce: 0 });
  const instances = prune && s.enclaves.some((x) => x.kind === "instance" && x.parent === eid);
  if (!prune || !refuses(row, OP.DESTROY, creator | (instances ? F.hasNoInstances : 0)))
    out.push({ type: "host.destroy", hart, host, eid });
  for (let relay = 0; relay < s.config.relays; relay++)
    if (!prune || (s.relays[relay]!.live && s.relays[relay]!.creator === host && !refuses(row, OP.BIND, creator)))
      out.push({ type: "host.setMemArg", hart, host, eid, relay });
}

/** The untrusted host beyond the SDK: loads/stores, satp, SET_PTE / MAP_PTE, malformed SBI calls. */
function adversaryEvents(s: System, pl: Pools, hart: number, host: number, to: Sink, prune: boolean): void {
  const { out, probes } = to;
  const refused = pl.refused;
  for (const page of pl.any) {
    if (!prune || (refused[page]! & HostOp.HOST_LOAD) === 0)
      out.push({ type: "adversary.touch", hart, host, page, write: false });
    if (!prune || (refused[page]! & HostOp.HOST_STORE) === 0)
      out.push({ type: "adversary.touch", hart, host, page, write: true });
  }
  const outside = s.config.pages; // out of range
  probes.push(
    { type: "adversary.touch", hart, host, page: outside, write: false },
    { type: "adversary.touch", hart, host, page: outside, write: true },
  );
  for (const root of pl.any)
    if (!prune || (refused[root]! & HostOp.SATP_ROOT) === 0) out.push({ type: "adversary.writeSatp", hart, host, root });
  // SET_PTE into the page-table area: zeros, an invalid entry, a leaf or a pointer to any page class
  const ptaPairs = pageTuples(pl.pta, 2);
  const ptaSingles: number[] = [];
  for (const t of pageTuples(pl.pta, 1)) ptaSingles.push(t[0]!);
  for (const dest of ptaSingles) {
    out.push({ type: "adversary.setPte", hart, host, mode: "memset", dest, entries: [] });
    out.push({ type: "adversary.setPte", hart, host, mode: "one", dest, entries: [{ target: 0, valid: false, leaf: true }] });
    const targets: number[] = [];
    for (const p of pl.any) if (s.pages[p]!.owner !== "pta") targets.push(p);
    for (const t of ptaPairs) if (t[0] === dest) targets.push(t[1]!);
    targets.push(dest);
    for (const target of targets) {
      if (!prune || (refused[target]! & HostOp.PTE_LEAF) === 0)
        out.push({ type: "adversary.setPte", hart, host, mode: "one", dest, entries: [{ target, valid: true, leaf: true }] });
      if (!prune || (refused[target]! & HostOp.PTE_DEST) === 0)
        out.push({ type: "adversary.setPte", hart, host, mode: "one", dest, entries: [{ target, valid: true, leaf: false }] });
    }
  }
  // MAP_PTE between page-table pages (and the same page), and probes outside the area
  for (const t of ptaPairs) out.push({ type: "adversary.mapPte", hart, host, pmd: t[0]!, pte: t[1]! });
  for (const p of ptaSingles) out.push({ type: "adversary.mapPte", hart, host, pmd: p, pte: p });
  for (const p of pl.notPta) {
    if (!prune || (refused[p]! & HostOp.PTE_DEST) === 0) {
      out.push({ type: "adversary.setPte", hart, host, mode: "memset", dest: p, entries: [] });
      out.push({ type: "adversary.mapPte", hart, host, pmd: p, pte: ptaSingles[0] ?? p });
    }
  }
  out.push({ type: "adversary.setPte", hart, host, mode: "one", dest: ptaSingles[0] ?? 0, entries: [] }); // malformed batch
  out.push({ type: "adversary.sbi", hart, host, fid: HostFid.SM_INIT, args: [0] });
  out.push({ type: "adversary.sbi", hart, host, fid: HostFid.CREATE_ENCLAVE, args: [0] });
  out.push({ type: "adversary.sbi", hart, host, fid: UNKNOWN_FID, args: [0] });
}

/** Enclave calls from `hart`. */
function enclaveEvents(s: System, mc: McConfig, cls: ArgClasses, pl: Pools, hart: number, to: Sink, prune: boolean): void {
  const { out, probes } = to;
  const cfg = s.config;
  const e = s.harts[hart]!;
  const en = s.enclaves[e]!;
  const { own, notOwn } = ownPool(s, cls, e);
  const lists = [...listsUpTo(own, mc.maxList), ...notOwn.map((p) => [p])];
  const relayIds: number[] = [];
  for (let r = 0; r < cfg.relays; r++) relayIds.push(r);
  const row = rowOf(en);
  const may = (op: number, knownFalse = NO_FACTS) => !prune || !refuses(row, op, knownFalse);
  const service = may(OP.SERVICE);
  const hasServer = (name: string) => !prune || s.servers.some((x) => x.name === name);
  const owned = (ok: boolean) => (ok ? 0 : F.namedPagesAreOwned);
  // a call from the wrong domain (LC-3): a hart running an enclave calling as the host
  to.foreign.push({ type: "host.attest", hart, host: 0, eid: 0, nonce: 0 });
  if (may(OP.EXIT)) out.push({ type: "enclave.exit", hart, retval: 0 });
  if (may(OP.OCALL)) out.push({ type: "enclave.print", hart });
  for (let k = 0; k <= mc.maxCount; k++) if (k === 0 || may(OP.OCALL)) out.push({ type: "enclave.mmap", hart, count: k });
  if (may(OP.OCALL_RELEASE, 0))
    for (const pages of lists) {
      if (may(OP.OCALL_RELEASE, owned(!prune || ownsPages(s, pages, e, "RELEASE")))) {
        out.push({ type: "enclave.unmap", hart, pages });
        out.push({ type: "enclave.sbrk", hart, delta: -pages.length, pages });
      }
    }
  if (service) out.push({ type: "enclave.sbrk", hart, delta: 0, pages: [] });
  for (let k = 1; k <= mc.maxCount; k++) if (may(OP.OCALL)) out.push({ type: "enclave.sbrk", hart, delta: k, pages: [] });
  // the handler refuses an enclave that holds no relay region (NO_SUCH_RELAY)
  if (may(OP.RETURN_RELAY) && (!prune || en.relays.length > 0)) out.push({ type: "enclave.returnRelay", hart });
  for (const name of cls.names) {
    if (service && hasServer(name)) {
      out.push({ type: "enclave.acquireServer", hart, name });
      out.push({ type: "enclave.getReport", hart, name, nonce: 0 });
    }
    for (const relay of relayIds)
      if (may(OP.RELAY_OP, owned(!prune || holdsRelay(s, relay, e)))) out.push({ type: "enclave.asyncCall", hart, name, relay });
  }
  if (service) out.push({ type: "enclave.getReport", hart, name: "", nonce: 0 });
  if (may(OP.CALL_OUT, 0))
    for (const server of cls.eids) {
      const sv = s.enclaves[server]!;
      if (prune && (sv.kind !== "server" || refuses(rowOf(sv), OP.CALLED))) continue;
      for (const reqRelay of [NONE, ...relayIds]) {
        // namedPagesAreOwned: the relay (if any) is held by the caller and every request page can be transferred
        const r = reqRelay === NONE ? undefined : s.relays[reqRelay]!;
        const relayOwned =
          !prune || !r || (r.holder === "enclave" && r.eid === e && r.pages.every((p) => pageOutcome(s, p, "RELAY_MOVE", e).ok));
        if (!may(OP.CALL_OUT, owned(relayOwned))) continue;
        out.push({ type: "enclave.callServer", hart, server, reqPages: [], reqRelay });
        for (const reqPages of lists)
          if (may(OP.CALL_OUT, owned(!prune || reqPages.every((p) => pageOutcome(s, p, "TRANSFER", e).ok))))
            out.push({ type: "enclave.callServer", hart, server, reqPages, reqRelay });
      }
    }
  if (may(OP.SERVER_RETURN, 0)) {
    if (may(OP.SERVER_RETURN, owned(true))) out.push({ type: "enclave.serverReturn", hart, respPages: [], value: 0 });
    for (const respPages of lists)
      if (may(OP.SERVER_RETURN, owned(!prune || ownsPages(s, respPages, e, "TRANSFER"))))
        out.push({ type: "enclave.serverReturn", hart, respPages, value: 0 });
  }
  for (const relay of relayIds)
    if (may(OP.RELAY_OP, owned(!prune || holdsRelay(s, relay, e)))) out.push({ type: "enclave.splitRelay", hart, relay, at: 1 });
  if (service) out.push({ type: "enclave.getEnclaveId", hart });
  if (service && (!prune || en.caller !== NONE)) out.push({ type: "enclave.getCallerId", hart });
  if (may(OP.YIELD)) out.push({ type: "enclave.yield", hart });
  out.push({ type: "enclave.getRandom", hart, size: 0 }); // malformed: zero bytes
  if (service) out.push({ type: "enclave.getRandom", hart, size: 16 });
  if (service) out.push({ type: "enclave.getKey", hart, keyType: KeyType.ENCLAVE_KEY });
  out.push({ type: "enclave.getKey", hart, keyType: KeyType.ATTEST_KEY }); // unsupported key type
  for (const key of mc.keys) {
    const k = prune ? secureShmByKey(s, key) : NONE;
    const seg = k === NONE ? undefined : s.secureShms[k]!;
    if (!prune || (!seg && anyFree(s.secureShms) && may(OP.OCALL)))
      for (let count = 1; count <= mc.maxCount; count++) out.push({ type: "enclave.shmGet", hart, key, count });
    for (const eid of cls.eids)
      if (!prune || (seg && seg.owner === e && s.enclaves[eid]!.kind !== "none" && service))
        out.push({ type: "enclave.shmAllow", hart, key, eid });
    const attached = !!seg && seg.attached.includes(e);
    if (!prune || (seg && service && !seg.destroyPending && !attached && (seg.owner === e || seg.allowed.includes(e))))
      out.push({ type: "enclave.shmAttach", hart, key });
    if (!prune || (attached && service)) out.push({ type: "enclave.shmDetach", hart, key });
    if (!prune || (seg && service && !seg.destroyPending && seg.owner === e)) out.push({ type: "enclave.shmDestroy", hart, key });
    if (!prune || (attached && service)) out.push({ type: "enclave.shmStat", hart, key });
  }
  for (const page of pl.any)
    out.push({ type: "enclave.access", hart, page, write: false }, { type: "enclave.access", hart, page, write: true });
  const outside = cfg.pages;
  probes.push(
    { type: "enclave.access", hart, page: outside, write: false },
    { type: "enclave.access", hart, page: outside, write: true },
  );
}
