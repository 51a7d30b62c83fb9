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

/** Scratch buffers of `argClasses` (a thread runs one enumeration at a time), grown on demand: small typed arrays are slow to allocate. */
let listed = new Uint8Array(64);
let classOf = new Int32Array(64);
let used = new Uint8Array(64);

/** Classes of `s` (reduced) or singletons (full). */
export function argClasses(s: System, mc: McConfig, reduced: boolean): ArgClasses {
  const cfg = s.config;
  const P = cfg.pages,
    E = cfg.enclaves;
  if (!reduced) {
    return {
      pages: Array.from({ length: P }, (_, p) => [p]),
      eids: Array.from({ length: E }, (_, e) => e),
      hosts: Array.from({ length: cfg.hosts }, (_, h) => h),
      names: cfg.names.slice(),
      images: mc.images.slice(),
    };
  }
  if (listed.length < Math.max(P, E, cfg.hosts)) {
    const n = 2 * Math.max(P, E, cfg.hosts);
    listed = new Uint8Array(n);
    classOf = new Int32Array(n);
    used = new Uint8Array(n);
  }
  // pages: those no list names, by (block, owner, id, secure, zeroed)
  zero(listed, P);
  for (const k of s.shms) mark(listed, k.pages, P);
  for (const k of s.secureShms) mark(listed, k.pages, P);
  for (const r of s.relays) mark(listed, r.pages, P);
  for (const en of s.enclaves) mark(listed, en.callPages, P);
  const m = cfg.monitorPages,
    t = cfg.ptaPages;
  const pages: number[][] = [];
  // classOf: per page, its class (for the pages of a shared class)
  for (let p = 0; p < P; p++) {
    const pg = s.pages[p]!;
    const block = p < m ? 0 : p < m + t ? 1 : 2;
    // an unlisted page joins the class of an earlier unlisted page of its block with equal
    // (owner, id, secure, zeroed); a listed page, or an id outside [−1, 10^6 − 1), is a class of its own
    let c = -1;
    if (!listed[p] && pg.id >= -1 && pg.id < 1e6 - 1)
      for (let q = p - 1; q >= 0 && c < 0; q--) {
        if (listed[q] || (q < m ? 0 : q < m + t ? 1 : 2) !== block) continue;
        const qg = s.pages[q]!;
        if (qg.owner === pg.owner && qg.id === pg.id && qg.secure === pg.secure && qg.zeroed === pg.zeroed) c = classOf[q]!;
      }
    if (c >= 0) pages[c]!.push(p);
    else {
      classOf[p] = pages.length;
      pages.push([p]);
    }
    if (c >= 0) classOf[p] = c;
  }
  // enclave slots
  const refd = used;
  zero(refd, E);
  for (const h of s.harts) ref(refd, h, E);
  for (const pg of s.pages) if (pg.owner === "enclave" || pg.owner === "shadowRO" || pg.owner === "kbuffer") ref(refd, pg.id, E);
  for (const r of s.relays) ref(refd, r.eid, E);
  for (const k of s.shms) for (const e of k.enclaves) ref(refd, e, E);
  for (const k of s.secureShms) {
    ref(refd, k.owner, E);
    for (const e of k.allowed) ref(refd, e, E);
    for (const e of k.attached) ref(refd, e, E);
  }
  for (const x of s.servers) ref(refd, x.eid, E);
  for (const en of s.enclaves) {
    ref(refd, en.parent, E);
    ref(refd, en.caller, E);
    ref(refd, en.callee, E);
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
  const hostUsed = used; // refd is done with
  zero(hostUsed, cfg.hosts);
  for (const en of s.enclaves) ref(hostUsed, en.creator, cfg.hosts);
  for (const k of s.shms) ref(hostUsed, k.creator, cfg.hosts);
  for (const r of s.relays) ref(hostUsed, r.creator, cfg.hosts);
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
  const names = pickUsed(cfg.names, s, nameUsed);
  const images = pickUsed(mc.images, s, imageUsed);
  return { pages, eids, hosts, names, images };
}

/** Clears `a[0..n)` (a loop: `TypedArray.prototype.fill` is a runtime call, slow for a few elements). */
function zero(a: Uint8Array | Int32Array, n: number): void {
  for (let i = 0; i < n; i++) a[i] = 0;
}

/** Marks the pages `ps` in `listed[0..n)`. */
function mark(listed: Uint8Array, ps: readonly number[], n: number): void {
  for (const p of ps) if (p >= 0 && p < n) listed[p] = 1;
}

/** Marks `i` in `used[0..n)` (if it is an index there). */
function ref(used: Uint8Array, i: number, n: number): void {
  if (i >= 0 && i < n) used[i] = 1;
}

function nameUsed(s: System, x: string): boolean {
  for (const en of s.enclaves) if (en.name === x) return true;
  for (const r of s.relays) if (r.name === x) return true;
  for (const sv of s.servers) if (sv.name === x) return true;
  return false;
}

function imageUsed(s: System, x: string): boolean {
  for (const en of s.enclaves) if (en.measurement === x) return true;
  return false;
}

/** The values used in `s`, and the first unused one (they are all alike). */
function pickUsed(pool: readonly string[], s: System, used: (s: System, x: string) => boolean): string[] {
  const out: string[] = [];
  let free = false;
  for (const x of pool) {
    if (used(s, x)) out.push(x);
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
  if (usedScratch.length < classes.length) usedScratch = new Int32Array(2 * classes.length);
  else zero(usedScratch, classes.length);
  tuples(classes, n, usedScratch, [], out);
  return out;
}

/** Members used per class while `tuples` runs (one call at a time; small typed arrays are slow to allocate). */
let usedScratch = new Int32Array(64);

function tuples(classes: readonly number[][], n: number, used: Int32Array, cur: number[], out: number[][]): void {
  if (cur.length === n) {
    out.push(cur.slice());
    return;
  }
  for (let c = 0; c < classes.length; c++) {
    const members = classes[c]!;
    if (used[c]! >= members.length) continue;
    cur.push(members[used[c]!]!);
    used[c]!++;
    tuples(classes, n, used, cur, out);
    used[c]!--;
    cur.pop();
  }
}
