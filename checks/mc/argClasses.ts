import type { System } from "../../model/state.ts";
import type { McConfig } from "./config.ts";

/**
 * Interchangeable argument values of one state, for the reduced enumeration (symmetry on).
 *
 * Two values are interchangeable in `s` when swapping them everywhere maps `s` to itself (an
 * automorphism of `s` in the symmetry group of canonical.ts). Then an event naming one of them and
 * the same event naming the other lead to successors in the same orbit, and the enumerator offers
 * only one of them. The classes used (all others are singletons):
 *  - pages of the same block (monitor / page-table area / rest) with equal (owner, id, secure,
 *    zeroed) that no list names (shm, secure shm and relay page lists, lent call pages);
 *  - free enclave slots nothing refers to;
 *  - hosts that created nothing live (no enclave, shm or relay names them as creator);
 *  - config names used by no enclave, relay or server entry; images no enclave is measured with.
 * Without reduction every value is its own class (the full enumeration).
 */
export interface ArgClasses {
  /** Page classes: members ascending; every page 0..P-1 is in exactly one. */
  pages: number[][];
  /** One representative per class of enclave slots. */
  eids: number[];
  hosts: number[];
  names: string[];
  images: string[];
}

/** Classes of `s` (reduced) or singletons (full). */
export function argClasses(s: System, mc: McConfig, reduced: boolean): ArgClasses {
  const cfg = s.config;
  const P = cfg.pages, E = cfg.enclaves;
  if (!reduced) {
    return {
      pages: Array.from({ length: P }, (_, p) => [p]),
      eids: Array.from({ length: E }, (_, e) => e),
      hosts: Array.from({ length: cfg.hosts }, (_, h) => h),
      names: cfg.names.slice(),
      images: mc.images.slice(),
    };
  }
  // pages
  const listed = new Uint8Array(P);
  const mark = (ps: readonly number[]) => {
    for (const p of ps) if (p >= 0 && p < P) listed[p] = 1;
  };
  for (const k of s.shms) mark(k.pages);
  for (const k of s.secureShms) mark(k.pages);
  for (const r of s.relays) mark(r.pages);
  for (const en of s.enclaves) mark(en.callPages);
  const m = cfg.monitorPages, t = cfg.ptaPages;
  const byKey = new Map<string, number[]>();
  const pages: number[][] = [];
  for (let p = 0; p < P; p++) {
    if (listed[p]) {
      pages.push([p]);
      continue;
    }
    const pg = s.pages[p]!;
    const key = `${p < m ? 0 : p < m + t ? 1 : 2}|${pg.owner}|${pg.id}|${pg.secure}|${pg.zeroed}`;
    const c = byKey.get(key);
    if (c) c.push(p);
    else {
      const fresh = [p];
      byKey.set(key, fresh);
      pages.push(fresh);
    }
  }
  // enclave slots
  const refd = new Uint8Array(E);
  const ref = (e: number) => {
    if (e >= 0 && e < E) refd[e] = 1;
  };
  s.harts.forEach(ref);
  for (const pg of s.pages) if (pg.owner === "enclave" || pg.owner === "shadowRO" || pg.owner === "kbuffer") ref(pg.id);
  for (const r of s.relays) ref(r.eid);
  for (const k of s.shms) k.enclaves.forEach(ref);
  for (const k of s.secureShms) {
    ref(k.owner);
    k.allowed.forEach(ref);
    k.attached.forEach(ref);
  }
  for (const x of s.servers) ref(x.eid);
  for (const en of s.enclaves) {
    ref(en.parent);
    ref(en.caller);
    ref(en.callee);
  }
  const eids: number[] = [];
  let idleSeen = false;
  for (let e = 0; e < E; e++) {
    const idle = s.enclaves[e]!.kind === "none" && !refd[e];
    if (!idle) eids.push(e);
    else if (!idleSeen) {
      idleSeen = true;
      eids.push(e);
    }
  }
  // hosts
  const hostUsed = new Uint8Array(cfg.hosts);
  const useHost = (h: number) => {
    if (h >= 0 && h < cfg.hosts) hostUsed[h] = 1;
  };
  for (const en of s.enclaves) useHost(en.creator);
  for (const k of s.shms) useHost(k.creator);
  for (const r of s.relays) useHost(r.creator);
  const hosts: number[] = [];
  let freeHost = false;
  for (let h = 0; h < cfg.hosts; h++) {
    if (hostUsed[h]) hosts.push(h);
    else if (!freeHost) {
      freeHost = true;
      hosts.push(h);
    }
  }
  // names and images
  const usedNames = new Set<string>();
  for (const en of s.enclaves) usedNames.add(en.name);
  for (const r of s.relays) usedNames.add(r.name);
  for (const x of s.servers) usedNames.add(x.name);
  const names = pickUsed(cfg.names, usedNames);
  const usedImages = new Set<string>();
  for (const en of s.enclaves) usedImages.add(en.measurement);
  const images = pickUsed(mc.images, usedImages);
  return { pages, eids, hosts, names, images };
}

/** The used values, and the first unused one (they are all alike). */
function pickUsed(pool: readonly string[], used: Set<string>): string[] {
  const out: string[] = [];
  let free = false;
  for (const x of pool) {
    if (used.has(x)) out.push(x);
    else if (!free) {
      free = true;
      out.push(x);
    }
  }
  return out;
}

/**
 * Every list of `n` distinct pages up to the symmetry of the classes: within a class, members are
 * used in ascending order of first appearance (a list naming two members of one class stands for
 * every list naming any two of them). With singleton classes, every ordered list.
 */
export function pageTuples(classes: readonly number[][], n: number): number[][] {
  const out: number[][] = [];
  const used = new Int32Array(classes.length);
  const cur: number[] = [];
  const rec = (): void => {
    if (cur.length === n) {
      out.push(cur.slice());
      return;
    }
    for (let c = 0; c < classes.length; c++) {
      const members = classes[c]!;
      if (used[c]! >= members.length) continue;
      cur.push(members[used[c]!]!);
      used[c]!++;
      rec();
      used[c]!--;
      cur.pop();
    }
  };
  rec();
  return out;
}
