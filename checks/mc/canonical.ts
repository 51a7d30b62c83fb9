import type { Enclave, Page, Relay, System } from "../../model/state.ts";
import type { McConfig } from "./config.ts";
import { stringCoder } from "../../spec/tables/stringCoder.ts";
import { hash64 } from "./fingerprint.ts";
import { RawHasher } from "./rawHash.ts";
import { holderCode, kindCode, ownerCode, OWNER_ID_IS_EID, pendingCode, stateCode } from "./vocab.ts";

/** The code of a string in no pool of the configuration. */
const NO_DOMAIN = -1_000_000;

/**
 * Canonical encoding of a `System` as a flat Int32Array, and its 64-bit fingerprint.
 *
 * Without symmetry the encoding lists every field in a fixed order (ids as they are). With symmetry
 * it is the encoding of a canonical member of the state's orbit under the group
 *   Sym(enclave slots) × Sym(harts) × Sym(monitor pages) × Sym(page-table-area pages)
 *   × Sym(other pages) × Sym(hosts) × Sym(config names) × Sym(images),
 * acting on every field that holds such a value (see symmetry.md). The canonical member:
 *  1. enclave slots are ordered by a signature built only from symmetry-invariant facts (kind, state,
 *     pending ocall, concrete relay/shm ids they hold, harts they run on, the owner classes and
 *     zeroed bits of their pages, …); slots with equal signatures are tried in every order
 *     (unreferenced free slots are identical, so one order suffices) and the least encoding wins;
 *  2. for a given slot order, hosts, names, images and pages get labels in order of first
 *     appearance while the encoding is written (harts, enclaves, shms, secure shms, relays,
 *     servers), and pages never named by a list get the remaining labels of their block in the
 *     order of their (owner, id, secure, zeroed) tuple.
 * Equal encodings ⇔ same orbit: every field is written, and every relabelling is a bijection.
 */
export class Canonicalizer {
  private readonly cfg: System["config"];
  private readonly E: number;
  private readonly P: number;
  /** Index of a name (image) in its pool, or the code of a fixed string (< 0), or NO_DOMAIN. */
  private readonly nameCode: (x: string) => number;
  private readonly imageCode: (x: string) => number;
  /** Strings that are not pooled, by their (negative) code. */
  readonly fixedStrings: string[];
  private bufA: Int32Array;
  private bufB: Int32Array;
  private n = 0;
  private readonly eidLabel: Int32Array;
  private readonly pageLabel: Int32Array;
  private readonly hostLabel: Int32Array;
  private readonly nameLabel: Int32Array;
  private readonly imageLabel: Int32Array;
  private readonly blockNext = new Int32Array(3);
  private readonly blockStart: Int32Array;
  private hostNext = 0;
  private nameNext = 0;
  private imageNext = 0;
  private readonly sig: Int32Array;
  private readonly refs: Int32Array;
  private readonly order: number[];
  private readonly scratch: Int32Array;
  private readonly restKeys: Float64Array;
  private readonly restPages: Int32Array;
  // Per-index caches of what `signatures` and `write` read off a component (keyed on the component
  // object: states share unchanged components, and components are never mutated).
  private readonly encObj: (Enclave | null)[];
  /** Slot signature from the slot's own fields. */
  private readonly encSig: Int32Array;
  private readonly encKind: Int32Array;
  private readonly encState: Int32Array;
  private readonly encPending: Int32Array;
  /** Name / image: index in the configuration's pool (≥ 0) or fixed-string code (< 0). */
  private readonly encName: Int32Array;
  private readonly encImage: Int32Array;
  /** Per page: the last owner string met there, and its code (strings compare by identity first; page objects change far more often). */
  private readonly pageOwnerName: string[];
  private readonly pageOwner: Int32Array;
  private readonly relObj: (Relay | null)[];
  private readonly relHolder: Int32Array;
  private readonly relName: Int32Array;
  /** Number of slot orders tried by the last `canonical` call (statistics). */
  lastOrders = 0;
  /** The hash of states as they are: the fingerprint without symmetry (rawHash.ts). */
  readonly raw: RawHasher;
  /** Fingerprint of the last `fingerprint` call: high and low 32 bits. */
  hi = 0;
  lo = 0;

  constructor(
    readonly mc: McConfig,
    readonly symmetry: boolean,
    extraStrings: readonly string[] = [],
  ) {
    this.cfg = mc.spec;
    this.E = mc.spec.enclaves;
    this.P = mc.spec.pages;
    this.fixedStrings = ["", ...extraStrings.filter((x) => x !== "")];
    const fixedCodes = this.fixedStrings.map((_, i) => -1 - i);
    const coder = (pool: readonly string[]) =>
      stringCoder([...pool, ...this.fixedStrings], [...pool.map((_, i) => i), ...fixedCodes], NO_DOMAIN);
    this.nameCode = coder(mc.spec.names);
    this.imageCode = coder(mc.images);
    const size =
      64 +
      32 * this.E +
      8 * this.P * 4 +
      16 * (mc.spec.shms + mc.spec.secureShms + mc.spec.relays) +
      4 * this.P * (mc.spec.shms + mc.spec.secureShms + mc.spec.relays + this.E) +
      4 * this.E * (mc.spec.secureShms * 2 + mc.spec.shms + mc.spec.relays);
    this.bufA = new Int32Array(size);
    this.bufB = new Int32Array(size);
    this.eidLabel = new Int32Array(this.E);
    this.pageLabel = new Int32Array(this.P);
    this.hostLabel = new Int32Array(mc.spec.hosts);
    this.nameLabel = new Int32Array(mc.spec.names.length);
    this.imageLabel = new Int32Array(mc.images.length);
    const m = mc.spec.monitorPages,
      t = mc.spec.ptaPages;
    this.blockStart = Int32Array.of(0, Math.min(m, this.P), Math.min(m + t, this.P));
    this.sig = new Int32Array(this.E);
    this.refs = new Int32Array(this.E);
    this.order = Array.from({ length: this.E }, (_, i) => i);
    this.scratch = new Int32Array(Math.max(this.P, 64) + 64);
    this.restKeys = new Float64Array(this.P);
    this.restPages = new Int32Array(this.P);
    this.encObj = new Array<Enclave | null>(this.E).fill(null);
    this.encSig = new Int32Array(this.E);
    this.encKind = new Int32Array(this.E);
    this.encState = new Int32Array(this.E);
    this.encPending = new Int32Array(this.E);
    this.encName = new Int32Array(this.E);
    this.encImage = new Int32Array(this.E);
    this.pageOwnerName = new Array<string>(this.P).fill("");
    this.pageOwner = new Int32Array(this.P);
    this.relObj = new Array<Relay | null>(mc.spec.relays).fill(null);
    this.relHolder = new Int32Array(mc.spec.relays);
    this.relName = new Int32Array(mc.spec.relays);
    this.raw = new RawHasher(mc, extraStrings);
  }

  /** The canonical encoding of `s` (a view valid until the next call). */
  canonical(s: System): Int32Array {
    this.encode(s);
    return this.bufA.subarray(0, this.n);
  }

  /** Computes the canonical encoding of `s` into `bufA[0..n)`. */
  private encode(s: System): void {
    if (!this.symmetry) {
      for (let e = 0; e < this.E; e++) this.order[e] = e;
      this.write(s, this.bufA, true);
      this.lastOrders = 1;
      return;
    }
    this.signatures(s);
    const ord = this.order,
      sig = this.sig,
      E = this.E;
    // slots by (signature, index): insertion sort (E is small)
    for (let e = 0; e < E; e++) {
      let j = e;
      while (j > 0 && sig[ord[j - 1]!]! > sig[e]!) {
        ord[j] = ord[j - 1]!;
        j--;
      }
      ord[j] = e;
    }
    // tie groups that need trying in every order
    let groups: number[][] | undefined;
    for (let i = 0; i < E;) {
      let j = i + 1;
      while (j < E && sig[ord[j]!] === sig[ord[i]!]) j++;
      if (j - i > 1) {
        let allIdle = true;
        for (let k = i; k < j; k++) if (s.enclaves[ord[k]!]!.kind !== "none" || this.refs[ord[k]!]! !== 0) allIdle = false;
        if (!allIdle) (groups ??= []).push([i, j]);
      }
      i = j;
    }
    if (!groups) {
      // one order: the common case
      this.write(s, this.bufA, false);
      this.lastOrders = 1;
      return;
    }
    const gs = groups;
    let best = this.bufA;
    let bestN = 0;
    let cur = this.bufB;
    let tried = 0;
    const visit = (g: number): void => {
      if (g === gs.length) {
        tried++;
        this.write(s, cur, false);
        if (tried === 1 || less(cur, this.n, best, bestN)) {
          const t = best;
          best = cur;
          bestN = this.n;
          cur = t;
        }
        return;
      }
      const [i, j] = gs[g] as unknown as [number, number];
      permute(ord, i, j, () => visit(g + 1));
    };
    visit(0);
    this.lastOrders = tried;
    this.bufA = best;
    this.bufB = cur;
    this.n = bestN;
  }

  /**
   * The encoding of `s` as it is (ids, not labels): it decodes to `s` itself. A view valid until the
   * next call; `lastEncoding` is left alone.
   */
  plain(s: System): Int32Array {
    const n = this.n;
    for (let e = 0; e < this.E; e++) this.order[e] = e;
    this.write(s, this.bufB, true);
    const out = this.bufB.subarray(0, this.n);
    this.n = n;
    return out;
  }

  /** The encoding computed by the last `canonical` call (and `fingerprint` call with symmetry). */
  lastEncoding(): Int32Array {
    return this.bufA.subarray(0, this.n);
  }

  /**
   * 64-bit fingerprint of `s`, left in `hi`/`lo`: with symmetry the hash of its canonical encoding;
   * without, its raw hash (rawHash.ts; the encoding is `s` itself field by field, so the two
   * identify the same states).
   */
  fingerprint(s: System): void {
    if (!this.symmetry) {
      this.raw.full(s);
      this.hi = this.raw.hi;
      this.lo = this.raw.lo;
      return;
    }
    this.encode(s);
    hash64(this.bufA, this.n);
    this.hi = hash64.hi;
    this.lo = hash64.lo;
  }

  /** Fills the caches of slot `e` from `en`. */
  private fillEnclave(e: number, en: Enclave): void {
    const kind = kindCode(en.kind),
      state = stateCode(en.state),
      pending = pendingCode(en.pending);
    let h = mix(kind, state);
    h = mix(h, pending);
    h = mix(h, en.pendingPages);
    h = mix(h, en.pendingKey);
    h = mix(h, en.retval);
    h = mix(h, en.shm);
    h = mix(h, en.memArg);
    h = mix(h, en.callRelay);
    h = mix(h, en.callPages.length);
    h = mix(h, (en.name === "" ? 1 : 0) | (en.parent < 0 ? 2 : 0) | (en.caller < 0 ? 4 : 0) | (en.callee < 0 ? 8 : 0));
    for (let i = 0; i < en.relays.length; i++) h = mix(h, 100 + en.relays[i]!);
    this.encSig[e] = h;
    this.encKind[e] = kind;
    this.encState[e] = state;
    this.encPending[e] = pending;
    this.encName[e] = this.strIndex(en.name, this.nameCode);
    this.encImage[e] = this.strIndex(en.measurement, this.imageCode);
    this.encObj[e] = en;
  }

  /** Index of `x` in its pool, or its fixed code (< 0); throws for a string of no domain. */
  private strIndex(x: string, code: (x: string) => number): number {
    const i = code(x);
    if (i === NO_DOMAIN) throw new Error(`checks/mc: string ${JSON.stringify(x)} is in no domain of the configuration`);
    return i;
  }

  /** Owner code of page `p` (cached per page). */
  private owner(p: number, pg: Page): number {
    if (this.pageOwnerName[p] !== pg.owner) {
      this.pageOwner[p] = ownerCode(pg.owner);
      this.pageOwnerName[p] = pg.owner;
    }
    return this.pageOwner[p]!;
  }

  /** Fills the caches of relay `r` from `x`. */
  private fillRelay(r: number, x: Relay): void {
    this.relHolder[r] = holderCode(x.holder);
    this.relName[r] = this.strIndex(x.name, this.nameCode);
    this.relObj[r] = x;
  }

  /** Symmetry-invariant signature of each slot, and how often it is referenced. */
  private signatures(s: System): void {
    const sig = this.sig,
      refs = this.refs,
      E = this.E;
    for (let e = 0; e < E; e++) {
      const en = s.enclaves[e]!;
      if (this.encObj[e] !== en) this.fillEnclave(e, en);
      sig[e] = this.encSig[e]!;
      refs[e] = 0;
    }
    for (let h = 0; h < s.harts.length; h++) this.addRef(s.harts[h]!, 1000); // harts are interchangeable
    const pages = s.pages;
    for (let p = 0; p < pages.length; p++) {
      const pg = pages[p]!;
      const o = this.owner(p, pg);
      if (OWNER_ID_IS_EID[o]) this.addRef(pg.id, 2000 + o * 2 + (pg.zeroed ? 1 : 0));
    }
    for (let i = 0; i < s.relays.length; i++) this.addRef(s.relays[i]!.eid, 3000 + i);
    for (let i = 0; i < s.shms.length; i++) {
      const xs = s.shms[i]!.enclaves;
      for (let j = 0; j < xs.length; j++) this.addRef(xs[j]!, 4000 + i);
    }
    for (let i = 0; i < s.secureShms.length; i++) {
      const k = s.secureShms[i]!;
      this.addRef(k.owner, 5000 + i);
      for (let j = 0; j < k.allowed.length; j++) this.addRef(k.allowed[j]!, 6000 + i);
      for (let j = 0; j < k.attached.length; j++) this.addRef(k.attached[j]!, 7000 + i);
    }
    for (let i = 0; i < s.servers.length; i++) this.addRef(s.servers[i]!.eid, 8000);
    for (let e = 0; e < E; e++) {
      const en = s.enclaves[e]!;
      this.addRef(en.parent, 9000);
      this.addRef(en.caller, 9001);
      this.addRef(en.callee, 9002);
    }
  }

  /** Slot `e` (if it is one) is referenced by a fact coded `v`: commutative, independent of the order of the contributions. */
  private addRef(e: number, v: number): void {
    if (e >= 0 && e < this.E) {
      this.sig[e] = (this.sig[e]! + fmix(v)) | 0;
      this.refs[e]!++;
    }
  }

  private eid(e: number): number {
    return e < 0 ? e : e < this.E ? this.eidLabel[e]! : 1_000_000 + e;
  }
  private host(h: number): number {
    if (h < 0) return h;
    if (h >= this.hostLabel.length) return 1_000_000 + h;
    let l = this.hostLabel[h]!;
    if (l < 0) l = this.hostLabel[h] = this.hostNext++;
    return l;
  }
  /** Label of the string with pool index or fixed code `i`. */
  private strLabel(i: number, labels: Int32Array, which: 0 | 1): number {
    if (i < 0) return i;
    let l = labels[i]!;
    if (l < 0) l = labels[i] = which === 0 ? this.nameNext++ : this.imageNext++;
    return l;
  }
  private name(x: string): number {
    return this.strLabel(this.strIndex(x, this.nameCode), this.nameLabel, 0);
  }
  private block(p: number): number {
    return p < this.blockStart[1]! ? 0 : p < this.blockStart[2]! ? 1 : 2;
  }
  private page(p: number): number {
    if (p < 0 || p >= this.P) return 1_000_000 + p;
    let l = this.pageLabel[p]!;
    if (l < 0) {
      const b = this.block(p);
      l = this.pageLabel[p] = this.blockStart[b]! + this.blockNext[b]!++;
    }
    return l;
  }

  private identitySet = false;
  private setIdentity(): void {
    for (let p = 0; p < this.P; p++) this.pageLabel[p] = p;
    for (let h = 0; h < this.hostLabel.length; h++) this.hostLabel[h] = h;
    for (let i = 0; i < this.nameLabel.length; i++) this.nameLabel[i] = i;
    for (let i = 0; i < this.imageLabel.length; i++) this.imageLabel[i] = i;
    this.identitySet = true;
  }

  /** Writes the encoding of `s` under slot order `this.order` into `out`; sets `this.n`. */
  private write(s: System, out: Int32Array, identity: boolean): void {
    const E = this.E,
      ord = this.order;
    for (let l = 0; l < E; l++) this.eidLabel[ord[l]!] = l;
    if (identity) {
      if (this.identitySet) {
        // labels are constant
      } else this.setIdentity();
    } else {
      this.identitySet = false;
      clear(this.pageLabel);
      clear(this.hostLabel);
      clear(this.nameLabel);
      clear(this.imageLabel);
      this.blockNext[0] = this.blockNext[1] = this.blockNext[2] = 0;
      this.hostNext = this.nameNext = this.imageNext = 0;
    }
    let n = 0;
    if (identity) for (const h of s.harts) out[n++] = this.eid(h);
    else {
      // harts are interchangeable: the multiset of who runs, sorted
      const start = n;
      for (const h of s.harts) {
        const v = this.eid(h);
        let j = n++;
        while (j > start && out[j - 1]! > v) {
          out[j] = out[j - 1]!;
          j--;
        }
        out[j] = v;
      }
    }
    for (let l = 0; l < E; l++) {
      const e = ord[l]!;
      const en = s.enclaves[e]!;
      if (this.encObj[e] !== en) this.fillEnclave(e, en);
      out[n++] = this.encKind[e]!;
      out[n++] = this.encState[e]!;
      out[n++] = this.strLabel(this.encName[e]!, this.nameLabel, 0);
      out[n++] = this.host(en.creator);
      out[n++] = this.strLabel(this.encImage[e]!, this.imageLabel, 1);
      out[n++] = this.eid(en.parent);
      out[n++] = this.eid(en.caller);
      out[n++] = this.eid(en.callee);
      out[n++] = en.relays.length;
      for (const r of en.relays) out[n++] = r;
      out[n++] = en.shm;
      out[n++] = en.memArg;
      out[n++] = en.callPages.length;
      for (const p of en.callPages) out[n++] = this.page(p);
      out[n++] = en.callRelay;
      out[n++] = this.encPending[e]!;
      out[n++] = en.pendingPages;
      out[n++] = en.pendingKey;
      out[n++] = en.retval;
    }
    for (const k of s.shms) {
      out[n++] = k.live ? 1 : 0;
      out[n++] = this.host(k.creator);
      out[n++] = k.pages.length;
      for (const p of k.pages) out[n++] = this.page(p);
      out[n++] = k.hostAttached ? 1 : 0;
      n = this.eidSet(k.enclaves, out, n);
    }
    for (const k of s.secureShms) {
      out[n++] = k.live ? 1 : 0;
      out[n++] = k.key;
      out[n++] = this.eid(k.owner);
      out[n++] = k.pages.length;
      for (const p of k.pages) out[n++] = this.page(p);
      n = this.eidSet(k.allowed, out, n);
      n = this.eidSet(k.attached, out, n);
      out[n++] = k.destroyPending ? 1 : 0;
    }
    for (let i = 0; i < s.relays.length; i++) {
      const r = s.relays[i]!;
      if (this.relObj[i] !== r) this.fillRelay(i, r);
      out[n++] = r.live ? 1 : 0;
      out[n++] = this.host(r.creator);
      out[n++] = r.pages.length;
      for (const p of r.pages) out[n++] = this.page(p);
      out[n++] = this.relHolder[i]!;
      out[n++] = this.eid(r.eid);
      out[n++] = this.strLabel(this.relName[i]!, this.nameLabel, 0);
      out[n++] = r.hostMapped ? 1 : 0;
    }
    // the server table is a set: written in order of its entries' slot labels
    const sv = s.servers;
    out[n++] = sv.length;
    if (identity || sv.length < 2) {
      for (let i = 0; i < sv.length; i++) {
        out[n++] = this.eid(sv[i]!.eid);
        out[n++] = this.name(sv[i]!.name);
      }
    } else {
      const idx = sv.map((_, i) => i).sort((a, b) => this.eid(sv[a]!.eid) - this.eid(sv[b]!.eid) || a - b);
      for (const i of idx) {
        out[n++] = this.eid(sv[i]!.eid);
        out[n++] = this.name(sv[i]!.name);
      }
    }
    // pages, block by block, in label order; unnamed pages sorted by their tuple
    const byLabel = this.scratch;
    for (let b = 0; b < 3; b++) {
      const start = this.blockStart[b]!,
        end = b === 2 ? this.P : this.blockStart[b + 1]!;
      if (end - start === 1) {
        // a block of one page (the monitor's, the page-table area's by default): its label is its own
        this.pageLabel[start] = start;
        n = this.writePage(s, start, out, n);
        continue;
      }
      if (!identity) {
        // the unlabelled pages by (tuple, page): the page only breaks ties between equal pages
        const keys = this.restKeys,
          rest = this.restPages;
        let r = 0;
        for (let p = start; p < end; p++) {
          if (this.pageLabel[p]! >= 0) continue;
          const pg = s.pages[p]!;
          const o = this.owner(p, pg);
          const id = OWNER_ID_IS_EID[o] ? this.eid(pg.id) : pg.id;
          const key = ((o * 4096 + (id + 1)) * 2 + (pg.secure ? 1 : 0)) * 2 + (pg.zeroed ? 1 : 0);
          // insertion sort (pages arrive in ascending order: ties keep it)
          let j = r - 1;
          while (j >= 0 && keys[j]! > key) {
            keys[j + 1] = keys[j]!;
            rest[j + 1] = rest[j]!;
            j--;
          }
          keys[j + 1] = key;
          rest[j + 1] = p;
          r++;
        }
        for (let i = 0; i < r; i++) {
          const p = rest[i]!;
          this.pageLabel[p] = start + this.blockNext[b]!++;
        }
      }
      for (let p = start; p < end; p++) byLabel[this.pageLabel[p]! - start] = p;
      for (let i = 0; i < end - start; i++) n = this.writePage(s, byLabel[i]!, out, n);
    }
    this.n = n;
  }

  /** Writes page `p`: its owner, id (a slot label for an enclave's page) and secure and zeroed bits; returns the new end. */
  private writePage(s: System, p: number, out: Int32Array, n: number): number {
    const pg = s.pages[p]!;
    const o = this.owner(p, pg);
    out[n++] = o;
    out[n++] = OWNER_ID_IS_EID[o] ? this.eid(pg.id) : pg.id;
    out[n++] = (pg.secure ? 2 : 0) | (pg.zeroed ? 1 : 0);
    return n;
  }

  private eidSet(xs: readonly number[], out: Int32Array, n: number): number {
    out[n++] = xs.length;
    const start = n;
    for (const e of xs) out[n++] = this.eid(e);
    // insertion sort of the labels (sets are short)
    for (let i = start + 1; i < n; i++) {
      const v = out[i]!;
      let j = i - 1;
      while (j >= start && out[j]! > v) {
        out[j + 1] = out[j]!;
        j--;
      }
      out[j + 1] = v;
    }
    return n;
  }
}

/** Sets every label to −1 (unassigned); a loop beats `fill` on arrays this small. */
function clear(a: Int32Array): void {
  for (let i = 0; i < a.length; i++) a[i] = -1;
}

/** Lexicographic order on encodings. */
function less(a: Int32Array, an: number, b: Int32Array, bn: number): boolean {
  const n = Math.min(an, bn);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
  return an < bn;
}

/** Calls `f` once for every order of `xs[i..j)` (Heap's algorithm), restoring the order afterwards. */
function permute(xs: number[], i: number, j: number, f: () => void): void {
  const k = j - i;
  const saved = xs.slice(i, j);
  const c = new Array<number>(k).fill(0);
  f();
  let t = 1;
  while (t < k) {
    if (c[t]! < t) {
      const a = t % 2 === 0 ? i : i + c[t]!;
      const tmp = xs[a]!;
      xs[a] = xs[i + t]!;
      xs[i + t] = tmp;
      f();
      c[t]!++;
      t = 1;
    } else {
      c[t] = 0;
      t++;
    }
  }
  for (let x = 0; x < k; x++) xs[i + x] = saved[x]!;
}

function mix(h: number, v: number): number {
  return (Math.imul(h ^ fmix(v), 0x9e3779b1) + 0x7f4a7c15) | 0;
}

function fmix(v: number): number {
  let h = Math.imul(v ^ 0x5bd1e995, 0xcc9e2d51);
  h ^= h >>> 15;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h | 0;
}
