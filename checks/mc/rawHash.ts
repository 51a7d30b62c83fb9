import type { Enclave, Page, Relay, SecureShm, Shm, System } from "../../model/state.ts";
import { stringCoder } from "../../spec/tables/stringCoder.ts";
import type { McConfig } from "./config.ts";
import { fmix32, hash64, lane1, lane2 } from "./fingerprint.ts";
import { holderCode, kindCode, ownerCode, pendingCode, stateCode } from "./vocab.ts";

/**
 * A 64-bit hash of a `System` as it is (no symmetry), computed incrementally: the hash is the sum,
 * per lane, of the hashes of its components (each enclave slot, page, shm, secure shm and relay
 * with its index, the hart map, the server table). `step` copies on write, so a successor shares
 * the component objects it did not change with its parent; after `setBase(parent)`, `hash(t)`
 * rehashes only the components of `t` that are not the parent's very objects.
 *
 * It is a pure function of the state (strings are coded from the configuration's pools), so it
 * serves as the fingerprint without symmetry, and with symmetry as the key of a cache of states
 * already canonicalised (expander.ts).
 */
export class RawHasher {
  /** The hash computed by the last `hash`/`full` call: high and low 32 bits (never 0). */
  hi = 0;
  lo = 0;
  private r1 = 0;
  private r2 = 0;
  /** Code of a name, image or fixed string (≥ 1; 0 for any other). */
  private readonly strings: (x: string) => number;
  private base: System | null = null;
  private readonly eh1: Int32Array;
  private readonly eh2: Int32Array;
  private readonly ph1: Int32Array;
  private readonly ph2: Int32Array;
  private readonly xh1: Int32Array;
  private readonly xh2: Int32Array;
  /** The components whose hashes eh/ph/xh hold (setBase rehashes only the others). */
  private readonly eObj: (Enclave | null)[];
  private readonly pObj: (Page | null)[];
  private readonly xObj: (Shm | SecureShm | Relay | null)[];
  /** Per slot: the last enum strings and name/measurement met there, and their codes (strings compare by identity first). */
  private readonly lastKind: string[];
  private readonly lastState: string[];
  private readonly lastPending: string[];
  private readonly lastEnumCode: Int32Array;
  private readonly lastName: string[];
  private readonly lastNameCode: Int32Array;
  private readonly lastImage: string[];
  private readonly lastImageCode: Int32Array;
  /** Per page: the last owner string met there and its code. */
  private readonly lastOwner: string[];
  private readonly lastOwnerCode: Int32Array;
  private eSum1 = 0;
  private eSum2 = 0;
  private pSum1 = 0;
  private pSum2 = 0;
  private xSum1 = 0;
  private xSum2 = 0;

  constructor(mc: McConfig, extraStrings: readonly string[] = []) {
    const cfg = mc.spec;
    // names, images and fixed strings get distinct codes; a string in two pools gets one code
    const pool = [...new Set([...cfg.names, ...mc.images, "", ...extraStrings])];
    this.strings = stringCoder(pool, pool.map((_, i) => i + 1), 0);
    this.eh1 = new Int32Array(cfg.enclaves);
    this.eh2 = new Int32Array(cfg.enclaves);
    this.ph1 = new Int32Array(cfg.pages);
    this.ph2 = new Int32Array(cfg.pages);
    const x = cfg.shms + cfg.secureShms + cfg.relays;
    this.xh1 = new Int32Array(x);
    this.xh2 = new Int32Array(x);
    this.eObj = new Array<Enclave | null>(cfg.enclaves).fill(null);
    this.pObj = new Array<Page | null>(cfg.pages).fill(null);
    this.xObj = new Array<Shm | SecureShm | Relay | null>(x).fill(null);
    this.lastKind = new Array<string>(cfg.enclaves).fill("");
    this.lastState = new Array<string>(cfg.enclaves).fill("");
    this.lastPending = new Array<string>(cfg.enclaves).fill("");
    this.lastEnumCode = new Int32Array(cfg.enclaves).fill(-1);
    this.lastName = new Array<string>(cfg.enclaves).fill("");
    this.lastNameCode = new Int32Array(cfg.enclaves).fill(-1);
    this.lastImage = new Array<string>(cfg.enclaves).fill("");
    this.lastImageCode = new Int32Array(cfg.enclaves).fill(-1);
    this.lastOwner = new Array<string>(cfg.pages).fill("");
    this.lastOwnerCode = new Int32Array(cfg.pages).fill(-1);
  }

  private str(x: string): number {
    const c = this.strings(x);
    if (c === 0) throw new Error(`checks/mc: string ${JSON.stringify(x)} is in no domain of the configuration`);
    return c;
  }

  /** Remembers the component hashes of `s`, the parent of the next `hash` calls (components of the previous base are not rehashed). */
  setBase(s: System): void {
    this.base = s;
    let a = 0,
      b = 0;
    for (let e = 0; e < s.enclaves.length; e++) {
      const x = s.enclaves[e]!;
      if (this.eObj[e] !== x) {
        this.enclave(x, e);
        this.eh1[e] = this.r1;
        this.eh2[e] = this.r2;
        this.eObj[e] = x;
      }
      a = (a + this.eh1[e]!) | 0;
      b = (b + this.eh2[e]!) | 0;
    }
    this.eSum1 = a;
    this.eSum2 = b;
    a = b = 0;
    for (let p = 0; p < s.pages.length; p++) {
      const x = s.pages[p]!;
      if (this.pObj[p] !== x) {
        this.page(x, p);
        this.ph1[p] = this.r1;
        this.ph2[p] = this.r2;
        this.pObj[p] = x;
      }
      a = (a + this.ph1[p]!) | 0;
      b = (b + this.ph2[p]!) | 0;
    }
    this.pSum1 = a;
    this.pSum2 = b;
    a = b = 0;
    let i = 0;
    for (let k = 0; k < s.shms.length; k++, i++) {
      const x = s.shms[k]!;
      if (this.xObj[i] !== x) {
        this.shm(x, k);
        this.xh1[i] = this.r1;
        this.xh2[i] = this.r2;
        this.xObj[i] = x;
      }
      a = (a + this.xh1[i]!) | 0;
      b = (b + this.xh2[i]!) | 0;
    }
    for (let k = 0; k < s.secureShms.length; k++, i++) {
      const x = s.secureShms[k]!;
      if (this.xObj[i] !== x) {
        this.secureShm(x, k);
        this.xh1[i] = this.r1;
        this.xh2[i] = this.r2;
        this.xObj[i] = x;
      }
      a = (a + this.xh1[i]!) | 0;
      b = (b + this.xh2[i]!) | 0;
    }
    for (let r = 0; r < s.relays.length; r++, i++) {
      const x = s.relays[r]!;
      if (this.xObj[i] !== x) {
        this.relay(x, r);
        this.xh1[i] = this.r1;
        this.xh2[i] = this.r2;
        this.xObj[i] = x;
      }
      a = (a + this.xh1[i]!) | 0;
      b = (b + this.xh2[i]!) | 0;
    }
    this.xSum1 = a;
    this.xSum2 = b;
  }

  /** The hash of `s` from scratch (it becomes the base). */
  full(s: System): void {
    this.setBase(s);
    this.hash(s);
  }

  /** The hash of `t` into `hi`/`lo`, reusing the base's component hashes for the components `t` shares with it. */
  hash(t: System): void {
    const s = this.base!;
    let a = 0,
      b = 0;
    if (t.enclaves === s.enclaves) {
      a = this.eSum1;
      b = this.eSum2;
    } else
      for (let e = 0; e < t.enclaves.length; e++) {
        const x = t.enclaves[e]!;
        if (x === s.enclaves[e]) {
          a = (a + this.eh1[e]!) | 0;
          b = (b + this.eh2[e]!) | 0;
        } else {
          this.enclave(x, e);
          a = (a + this.r1) | 0;
          b = (b + this.r2) | 0;
        }
      }
    if (t.pages === s.pages) {
      a = (a + this.pSum1) | 0;
      b = (b + this.pSum2) | 0;
    } else
      for (let p = 0; p < t.pages.length; p++) {
        const x = t.pages[p]!;
        if (x === s.pages[p]) {
          a = (a + this.ph1[p]!) | 0;
          b = (b + this.ph2[p]!) | 0;
        } else {
          this.page(x, p);
          a = (a + this.r1) | 0;
          b = (b + this.r2) | 0;
        }
      }
    if (t.shms === s.shms && t.secureShms === s.secureShms && t.relays === s.relays) {
      a = (a + this.xSum1) | 0;
      b = (b + this.xSum2) | 0;
    } else {
      let i = 0;
      for (let k = 0; k < t.shms.length; k++, i++) {
        if (t.shms[k] === s.shms[k]) {
          a = (a + this.xh1[i]!) | 0;
          b = (b + this.xh2[i]!) | 0;
        } else {
          this.shm(t.shms[k]!, k);
          a = (a + this.r1) | 0;
          b = (b + this.r2) | 0;
        }
      }
      for (let k = 0; k < t.secureShms.length; k++, i++) {
        if (t.secureShms[k] === s.secureShms[k]) {
          a = (a + this.xh1[i]!) | 0;
          b = (b + this.xh2[i]!) | 0;
        } else {
          this.secureShm(t.secureShms[k]!, k);
          a = (a + this.r1) | 0;
          b = (b + this.r2) | 0;
        }
      }
      for (let r = 0; r < t.relays.length; r++, i++) {
        if (t.relays[r] === s.relays[r]) {
          a = (a + this.xh1[i]!) | 0;
          b = (b + this.xh2[i]!) | 0;
        } else {
          this.relay(t.relays[r]!, r);
          a = (a + this.r1) | 0;
          b = (b + this.r2) | 0;
        }
      }
    }
    // the hart map and the server table: hashed again only when they are not the arrays hashed last
    // (most successors keep their parent's)
    if (t.harts !== this.hartsObj || t.servers !== this.serversObj) this.hartsAndServers(t);
    a = (a + this.hs1) | 0;
    b = (b + this.hs2) | 0;
    this.hi = fmix32(a ^ Math.imul(b, 0x27d4eb2f)) || 1;
    this.lo = fmix32((b + Math.imul(a ^ 0x61c88647, 0x85ebca6b)) | 0) || 1;
  }

  /** The hart map and server table hashed last (hs1/hs2), and their arrays. */
  private hartsObj: readonly number[] | null = null;
  private serversObj: System["servers"] | null = null;
  private hs1 = 0;
  private hs2 = 0;

  /** Hashes the hart map and the server table of `t` (small: hashed whole) into hs1/hs2. */
  private hartsAndServers(t: System): void {
    let h1 = 0x3c6ef372,
      h2 = 0x1b873593;
    for (let h = 0; h < t.harts.length; h++) {
      h1 = lane1(h1, t.harts[h]!);
      h2 = lane2(h2, t.harts[h]!);
    }
    h1 = lane1(h1, t.servers.length);
    h2 = lane2(h2, t.servers.length);
    for (const x of t.servers) {
      const n = this.str(x.name);
      h1 = lane1(lane1(h1, x.eid), n);
      h2 = lane2(lane2(h2, x.eid), n);
    }
    this.hs1 = fmix32(h1);
    this.hs2 = fmix32(h2 ^ 0x5bd1e995);
    this.hartsObj = t.harts;
    this.serversObj = t.servers;
  }

  /** The fields of the component being hashed, written out before they are mixed in one loop. */
  private buf = new Int32Array(64);

  /** The scratch buffer, with room for `k` fields. */
  private room(k: number): Int32Array {
    if (k > this.buf.length) this.buf = new Int32Array(2 * k);
    return this.buf;
  }

  /** Hashes the fields `b[0..n)` of component `i` of the table seeded `seed` into r1/r2. */
  private mix(b: Int32Array, n: number, seed: number, i: number): void {
    hash64(b, n, (seed + i) | 0);
    this.r1 = hash64.hi;
    this.r2 = hash64.lo;
  }

  private enclave(en: Enclave, e: number): void {
    if (en.kind !== this.lastKind[e] || en.state !== this.lastState[e] || en.pending !== this.lastPending[e]) {
      this.lastEnumCode[e] = (kindCode(en.kind) << 8) | (stateCode(en.state) << 4) | pendingCode(en.pending);
      this.lastKind[e] = en.kind;
      this.lastState[e] = en.state;
      this.lastPending[e] = en.pending;
    }
    if (en.name !== this.lastName[e] || this.lastNameCode[e]! < 0) {
      this.lastNameCode[e] = this.str(en.name);
      this.lastName[e] = en.name;
    }
    if (en.measurement !== this.lastImage[e] || this.lastImageCode[e]! < 0) {
      this.lastImageCode[e] = this.str(en.measurement);
      this.lastImage[e] = en.measurement;
    }
    const b = this.room(15 + en.relays.length + en.callPages.length);
    let n = 0;
    b[n++] = this.lastEnumCode[e]!;
    b[n++] = this.lastNameCode[e]!;
    b[n++] = en.creator;
    b[n++] = this.lastImageCode[e]!;
    b[n++] = en.parent;
    b[n++] = en.caller;
    b[n++] = en.callee;
    b[n++] = en.shm;
    b[n++] = en.memArg;
    b[n++] = en.callRelay;
    b[n++] = en.pendingPages;
    b[n++] = en.pendingKey;
    b[n++] = en.retval;
    n = putList(b, n, en.relays);
    n = putList(b, n, en.callPages);
    this.mix(b, n, 0x0e1a0000, e);
  }

  private page(pg: Page, p: number): void {
    if (pg.owner !== this.lastOwner[p] || this.lastOwnerCode[p]! < 0) {
      this.lastOwnerCode[p] = ownerCode(pg.owner);
      this.lastOwner[p] = pg.owner;
    }
    // two fields: mixed directly
    const v = (this.lastOwnerCode[p]! << 2) | (pg.secure ? 2 : 0) | (pg.zeroed ? 1 : 0);
    const seed = 0x9a6e0000;
    this.r1 = fmix32(lane1(lane1((seed + p) | 0, v), pg.id));
    this.r2 = fmix32(lane2(lane2(Math.imul(p + 1, seed ^ 0x61c88647), v), pg.id) ^ 0x2545f491);
  }

  private shm(k: Shm, i: number): void {
    const b = this.room(4 + k.pages.length + k.enclaves.length);
    let n = 0;
    b[n++] = (k.live ? 2 : 0) | (k.hostAttached ? 1 : 0);
    b[n++] = k.creator;
    n = putList(b, n, k.pages);
    n = putList(b, n, k.enclaves);
    this.mix(b, n, 0x50000000, i);
  }

  private secureShm(k: SecureShm, i: number): void {
    const b = this.room(6 + k.pages.length + k.allowed.length + k.attached.length);
    let n = 0;
    b[n++] = (k.live ? 2 : 0) | (k.destroyPending ? 1 : 0);
    b[n++] = k.key;
    b[n++] = k.owner;
    n = putList(b, n, k.pages);
    n = putList(b, n, k.allowed);
    n = putList(b, n, k.attached);
    this.mix(b, n, 0x5ec00000, i);
  }

  private relay(r: Relay, i: number): void {
    const b = this.room(5 + r.pages.length);
    let n = 0;
    b[n++] = (holderCode(r.holder) << 2) | (r.live ? 2 : 0) | (r.hostMapped ? 1 : 0);
    b[n++] = r.creator;
    b[n++] = r.eid;
    b[n++] = this.str(r.name);
    n = putList(b, n, r.pages);
    this.mix(b, n, 0x7e1a0000, i);
  }
}

/** Writes `xs` (its length, then its elements) to `b` from `n`; returns the new end. */
function putList(b: Int32Array, n: number, xs: readonly number[]): number {
  b[n++] = xs.length;
  for (let i = 0; i < xs.length; i++) b[n++] = xs[i]!;
  return n;
}
