import { HostFid, KeyType } from "../../model/abi.ts";
import { NAME_LEN } from "../../model/config.ts";
import type { Event } from "../../model/events.ts";
import { HOST, NONE, type System } from "../../model/state.ts";
import { argClasses, pageTuples, type ArgClasses } from "./argClasses.ts";
import type { McConfig } from "./config.ts";

/** A name one character too long for Penglai's 16-byte field: offered to check the refusal. */
export const TOO_LONG_NAME = "n".repeat(NAME_LEN);

/** Strings the enumerator may put in events besides the config names and images. */
export const EXTRA_STRINGS: readonly string[] = ["", TOO_LONG_NAME];

/** An SBI function id no extension defines. */
const UNKNOWN_FID = 1234;

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
}

function pools(s: System, cls: ArgClasses): Pools {
  const owner = (c: number[]) => s.pages[c[0]!]!.owner;
  return {
    host: cls.pages.filter((c) => owner(c) === "host"),
    pta: cls.pages.filter((c) => owner(c) === "pta"),
    any: cls.pages.map((c) => c[0]!),
    notHost: cls.pages.filter((c) => owner(c) !== "host").map((c) => c[0]!),
    notPta: cls.pages.filter((c) => owner(c) !== "pta").map((c) => c[0]!),
  };
}

/** Pages enclave `e` owns (classes), for the calls that hand its own pages back or over. */
function ownPool(s: System, cls: ArgClasses, e: number): { own: number[][]; notOwn: number[] } {
  const mine = (c: number[]) => s.pages[c[0]!]!.owner === "enclave" && s.pages[c[0]!]!.id === e;
  return { own: cls.pages.filter(mine), notOwn: cls.pages.filter((c) => !mine(c)).map((c) => c[0]!) };
}

/**
 * Every event the checker tries in a state: each event type of model/events.ts over small argument
 * domains derived from the configuration (checks/mc/README.md, "Event domains"), including refused
 * and malicious ones (wrong hart domain, out-of-range ids, other hosts' enclaves, private or monitor
 * pages, bad SET_PTE / satp / SBI calls). With `reduced`, arguments interchangeable in the state
 * (argClasses.ts) are offered once, and host events on one of the harts running the host.
 */
export function enumerateEvents(s: System, mc: McConfig, reduced: boolean): Event[] {
  const cls = argClasses(s, mc, reduced);
  const pl = pools(s, cls);
  const out: Event[] = [];
  const cfg = s.config;
  let hostHartDone = false;
  for (let hart = 0; hart < cfg.harts; hart++) {
    if (s.harts[hart] === HOST) {
      if (reduced && hostHartDone) continue; // harts running the host are interchangeable
      hostHartDone = true;
      hostEvents(s, mc, cls, pl, hart, out);
    } else enclaveEvents(s, mc, cls, pl, hart, out);
    out.push({ type: "env.timer", hart }, { type: "env.ipi", hart });
  }
  // probes of the range checks (SP-3): a hart, a host and an eid out of range
  out.push({ type: "env.timer", hart: cfg.harts });
  out.push({ type: "host.destroy", hart: 0, host: cfg.hosts, eid: 0 });
  out.push({ type: "host.destroy", hart: 0, host: 0, eid: cfg.enclaves });
  return out;
}

function range(lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let i = lo; i <= hi; i++) out.push(i);
  return out;
}

function listsUpTo(classes: number[][], max: number): number[][] {
  const out: number[][] = [];
  for (let n = 1; n <= max; n++) for (const t of pageTuples(classes, n)) out.push(t);
  return out;
}

function hostEvents(s: System, mc: McConfig, cls: ArgClasses, pl: Pools, hart: number, out: Event[]): void {
  const cfg = s.config;
  const lists = listsUpTo(pl.host, mc.maxList);
  const relayIds = range(0, cfg.relays - 1);
  const shmIds = range(0, cfg.shms - 1);
  const liveShms = shmIds.filter((k) => s.shms[k]!.live);
  const deadShm = shmIds.find((k) => !s.shms[k]!.live);
  const image0 = cls.images[0]!;
  const name0 = cls.names[0]!;
  // a call from the wrong domain (LC-3): a hart running the host calling as an enclave
  out.push({ type: "enclave.getEnclaveId", hart });
  for (const host of cls.hosts) {
    // create: every kind, name, image and list of host pages; shadows every text split; a live shm
    // segment or none; normal enclaves also with a kbuffer window
    for (const kind of ["normal", "server", "shadow"] as const)
      for (const name of cls.names)
        for (const image of cls.images)
          for (let n = 1; n <= mc.maxList; n++) {
            for (const pages of pageTuples(pl.host, n)) {
              const texts = kind === "shadow" ? range(0, n) : [0];
              for (const textPages of texts)
                for (const shm of [NONE, ...liveShms])
                  out.push({ type: "host.create", hart, host, kind, name, image, pages, textPages, shm, kbuffer: NONE });
            }
            if (kind === "normal")
              for (const t of pageTuples(pl.host, n + 1))
                for (const shm of [NONE, ...liveShms])
                  out.push({ type: "host.create", hart, host, kind, name, image, pages: t.slice(0, n), textPages: 0, shm, kbuffer: t[n]! });
          }
    // refused creates: a page of every other class, out of range; a kbuffer that is not host memory;
    // a server without a name; a name too long; a revoked shm segment
    const p0 = pl.host.length ? pl.host[0]![0]! : 0;
    for (const p of [...pl.notHost, cfg.pages])
      out.push({ type: "host.create", hart, host, kind: "normal", name: name0, image: image0, pages: [p], textPages: 0, shm: NONE, kbuffer: NONE });
    for (const p of pl.notHost)
      out.push({ type: "host.create", hart, host, kind: "normal", name: name0, image: image0, pages: [p0], textPages: 0, shm: NONE, kbuffer: p });
    out.push({ type: "host.create", hart, host, kind: "server", name: "", image: image0, pages: [p0], textPages: 0, shm: NONE, kbuffer: NONE });
    out.push({ type: "host.create", hart, host, kind: "normal", name: TOO_LONG_NAME, image: image0, pages: [p0], textPages: 0, shm: NONE, kbuffer: NONE });
    if (deadShm !== undefined)
      out.push({ type: "host.create", hart, host, kind: "normal", name: name0, image: image0, pages: [p0], textPages: 0, shm: deadShm, kbuffer: NONE });
    for (const eid of cls.eids) {
      const en = s.enclaves[eid]!;
      // fork: as many host pages as the shadow's writable pages plus a stack page
      let need = 1;
      if (en.kind === "shadow") for (const pg of s.pages) if (pg.owner === "enclave" && pg.id === eid) need++;
      for (const name of cls.names) {
        for (const pages of pageTuples(pl.host, need)) out.push({ type: "host.fork", hart, host, shadow: eid, name, pages, kbuffer: NONE });
        if (en.kind === "shadow")
          for (const t of pageTuples(pl.host, need + 1))
            out.push({ type: "host.fork", hart, host, shadow: eid, name, pages: t.slice(0, need), kbuffer: t[need]! });
      }
      out.push({ type: "host.run", hart, host, eid, inherit: false }, { type: "host.run", hart, host, eid, inherit: true });
      out.push({ type: "host.stop", hart, host, eid });
      out.push({ type: "host.resume", hart, host, eid, reason: "timer" }, { type: "host.resume", hart, host, eid, reason: "stop" });
      out.push({ type: "host.ocallReturn", hart, host, eid, pages: [] });
      for (let k = 1; k <= mc.maxCount; k++)
        for (const pages of pageTuples(pl.host, k)) out.push({ type: "host.ocallReturn", hart, host, eid, pages });
      if (pl.notHost.length) out.push({ type: "host.ocallReturn", hart, host, eid, pages: [pl.notHost[0]!] });
      out.push({ type: "host.rerun", hart, host, eid });
      out.push({ type: "host.attest", hart, host, eid, nonce: 0 });
      out.push({ type: "host.destroy", hart, host, eid });
      for (const relay of relayIds) out.push({ type: "host.setMemArg", hart, host, eid, relay });
    }
    for (const pages of [...lists, ...pl.notHost.map((p) => [p])]) {
      out.push({ type: "host.shmget", hart, host, pages });
      out.push({ type: "host.schrodingerGet", hart, host, pages });
    }
    for (const p of pl.any) out.push({ type: "host.memoryExtend", hart, host, pages: [p] });
    for (const shm of shmIds)
      out.push({ type: "host.shmat", hart, host, shm }, { type: "host.shmdt", hart, host, shm }, { type: "host.shmctl", hart, host, shm });
    for (const relay of relayIds) {
      out.push({ type: "host.schrodingerAt", hart, host, relay }, { type: "host.schrodingerDt", hart, host, relay });
      out.push({ type: "host.schrodingerCtl", hart, host, relay });
    }
    adversaryEvents(s, pl, hart, host, out);
  }
}

/** The untrusted host beyond the SDK: loads/stores, satp, SET_PTE / MAP_PTE, malformed SBI calls. */
function adversaryEvents(s: System, pl: Pools, hart: number, host: number, out: Event[]): void {
  for (const page of [...pl.any, s.config.pages])
    out.push({ type: "adversary.touch", hart, host, page, write: false }, { type: "adversary.touch", hart, host, page, write: true });
  for (const root of pl.any) out.push({ type: "adversary.writeSatp", hart, host, root });
  // SET_PTE into the page-table area: zeros, an invalid entry, a leaf or a pointer to any page class
  const ptaSingles = pageTuples(pl.pta, 1).map((t) => t[0]!);
  for (const dest of ptaSingles) {
    out.push({ type: "adversary.setPte", hart, host, mode: "memset", dest, entries: [] });
    out.push({ type: "adversary.setPte", hart, host, mode: "one", dest, entries: [{ target: 0, valid: false, leaf: true }] });
    const targets = [...pl.any.filter((p) => s.pages[p]!.owner !== "pta"), ...pageTuples(pl.pta, 2).filter((t) => t[0] === dest).map((t) => t[1]!), dest];
    for (const target of targets) {
      out.push({ type: "adversary.setPte", hart, host, mode: "one", dest, entries: [{ target, valid: true, leaf: true }] });
      out.push({ type: "adversary.setPte", hart, host, mode: "one", dest, entries: [{ target, valid: true, leaf: false }] });
    }
  }
  // MAP_PTE between page-table pages (and the same page), and probes outside the area
  for (const [pmd, pte] of [...pageTuples(pl.pta, 2), ...ptaSingles.map((p) => [p, p])]) out.push({ type: "adversary.mapPte", hart, host, pmd: pmd!, pte: pte! });
  for (const p of pl.notPta) {
    out.push({ type: "adversary.setPte", hart, host, mode: "memset", dest: p, entries: [] });
    out.push({ type: "adversary.mapPte", hart, host, pmd: p, pte: ptaSingles[0] ?? p });
  }
  out.push({ type: "adversary.setPte", hart, host, mode: "one", dest: ptaSingles[0] ?? 0, entries: [] }); // malformed batch
  for (const fid of [HostFid.SM_INIT, HostFid.CREATE_ENCLAVE, UNKNOWN_FID]) out.push({ type: "adversary.sbi", hart, host, fid, args: [0] });
}

function enclaveEvents(s: System, mc: McConfig, cls: ArgClasses, pl: Pools, hart: number, out: Event[]): void {
  const cfg = s.config;
  const e = s.harts[hart]!;
  const { own, notOwn } = ownPool(s, cls, e);
  const lists = [...listsUpTo(own, mc.maxList), ...notOwn.map((p) => [p])];
  const relayIds = range(0, cfg.relays - 1);
  // a call from the wrong domain (LC-3): a hart running an enclave calling as the host
  out.push({ type: "host.attest", hart, host: 0, eid: 0, nonce: 0 });
  out.push({ type: "enclave.exit", hart, retval: 0 }, { type: "enclave.print", hart });
  for (let k = 0; k <= mc.maxCount; k++) out.push({ type: "enclave.mmap", hart, count: k });
  for (const pages of lists) {
    out.push({ type: "enclave.unmap", hart, pages });
    out.push({ type: "enclave.sbrk", hart, delta: -pages.length, pages });
  }
  out.push({ type: "enclave.sbrk", hart, delta: 0, pages: [] });
  for (let k = 1; k <= mc.maxCount; k++) out.push({ type: "enclave.sbrk", hart, delta: k, pages: [] });
  out.push({ type: "enclave.returnRelay", hart });
  for (const name of cls.names) {
    out.push({ type: "enclave.acquireServer", hart, name });
    out.push({ type: "enclave.getReport", hart, name, nonce: 0 });
    for (const relay of relayIds) out.push({ type: "enclave.asyncCall", hart, name, relay });
  }
  out.push({ type: "enclave.getReport", hart, name: "", nonce: 0 });
  for (const server of cls.eids)
    for (const reqRelay of [NONE, ...relayIds]) {
      out.push({ type: "enclave.callServer", hart, server, reqPages: [], reqRelay });
      for (const reqPages of lists) out.push({ type: "enclave.callServer", hart, server, reqPages, reqRelay });
    }
  out.push({ type: "enclave.serverReturn", hart, respPages: [], value: 0 });
  for (const respPages of lists) out.push({ type: "enclave.serverReturn", hart, respPages, value: 0 });
  for (const relay of relayIds) out.push({ type: "enclave.splitRelay", hart, relay, at: 1 });
  out.push({ type: "enclave.getEnclaveId", hart }, { type: "enclave.getCallerId", hart }, { type: "enclave.yield", hart });
  out.push({ type: "enclave.getRandom", hart, size: 0 }, { type: "enclave.getRandom", hart, size: 16 });
  out.push({ type: "enclave.getKey", hart, keyType: KeyType.ENCLAVE_KEY }, { type: "enclave.getKey", hart, keyType: KeyType.ATTEST_KEY });
  for (const key of mc.keys) {
    for (let count = 1; count <= mc.maxCount; count++) out.push({ type: "enclave.shmGet", hart, key, count });
    for (const eid of cls.eids) out.push({ type: "enclave.shmAllow", hart, key, eid });
    out.push({ type: "enclave.shmAttach", hart, key }, { type: "enclave.shmDetach", hart, key });
    out.push({ type: "enclave.shmDestroy", hart, key }, { type: "enclave.shmStat", hart, key });
  }
  for (const page of [...pl.any, cfg.pages])
    out.push({ type: "enclave.access", hart, page, write: false }, { type: "enclave.access", hart, page, write: true });
}
