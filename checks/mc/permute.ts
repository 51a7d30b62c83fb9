import type { System } from "../../model/state.ts";

/** An element of the symmetry group of canonical.ts: a permutation of each kind of interchangeable value. */
export interface Perm {
  /** New slot of enclave e. */
  eid: number[];
  /** New index of hart h. */
  hart: number[];
  /** New index of page p (only within its block). */
  page: number[];
  host: number[];
  /** New name for each config name (others unchanged). */
  name: Map<string, string>;
  image: Map<string, string>;
}

/**
 * The state `g·s`: every field holding an enclave id, hart, page, host, config name or image is
 * renamed by `g`, and sets kept sorted (ascending id lists, the server table by name) are re-sorted.
 * An independent statement of the group action, for tests of the canonical form.
 */
export function applyPerm(s: System, g: Perm): System {
  const e = (x: number) => (x >= 0 && x < g.eid.length ? g.eid[x]! : x);
  const p = (x: number) => (x >= 0 && x < g.page.length ? g.page[x]! : x);
  const h = (x: number) => (x >= 0 && x < g.host.length ? g.host[x]! : x);
  const nm = (x: string) => g.name.get(x) ?? x;
  const im = (x: string) => g.image.get(x) ?? x;
  const sorted = (xs: number[]) => xs.slice().sort((a, b) => a - b);
  const harts = new Array<number>(s.harts.length);
  s.harts.forEach((x, i) => (harts[g.hart[i]!] = e(x)));
  const enclaves = new Array<System["enclaves"][number]>(s.enclaves.length);
  s.enclaves.forEach((en, i) => {
    enclaves[g.eid[i]!] = {
      ...en, name: nm(en.name), creator: h(en.creator), measurement: im(en.measurement), parent: e(en.parent), caller: e(en.caller),
      callee: e(en.callee), callPages: en.callPages.map(p),
    };
  });
  const pages = new Array<System["pages"][number]>(s.pages.length);
  s.pages.forEach((pg, i) => {
    const eidOwned = pg.owner === "enclave" || pg.owner === "shadowRO" || pg.owner === "kbuffer";
    pages[g.page[i]!] = { ...pg, id: eidOwned ? e(pg.id) : pg.id };
  });
  return {
    config: s.config,
    harts,
    enclaves,
    pages,
    shms: s.shms.map((k) => ({ ...k, creator: h(k.creator), pages: k.pages.map(p), enclaves: sorted(k.enclaves.map(e)) })),
    secureShms: s.secureShms.map((k) => ({
      ...k, owner: e(k.owner), pages: k.pages.map(p), allowed: sorted(k.allowed.map(e)), attached: sorted(k.attached.map(e)),
    })),
    relays: s.relays.map((r) => ({ ...r, creator: h(r.creator), pages: r.pages.map(p), eid: e(r.eid), name: nm(r.name) })),
    servers: s.servers.map((x) => ({ name: nm(x.name), eid: e(x.eid) })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
  };
}

/** All permutations of [0, n). */
export function permutations(n: number): number[][] {
  if (n === 0) return [[]];
  const out: number[][] = [];
  for (const rest of permutations(n - 1))
    for (let i = 0; i <= rest.length; i++) out.push([...rest.slice(0, i), n - 1, ...rest.slice(i)]);
  return out;
}

/** Every element of the group for a configuration (small configurations only). */
export function allPerms(cfg: System["config"], images: readonly string[]): Perm[] {
  const blocks = [
    [0, cfg.monitorPages],
    [cfg.monitorPages, cfg.monitorPages + cfg.ptaPages],
    [cfg.monitorPages + cfg.ptaPages, cfg.pages],
  ] as const;
  let pagePerms: number[][] = [Array.from({ length: cfg.pages }, (_, i) => i)];
  for (const [a, b] of blocks) {
    const next: number[][] = [];
    for (const base of pagePerms)
      for (const q of permutations(b - a)) {
        const x = base.slice();
        q.forEach((t, i) => (x[a + i] = a + t));
        next.push(x);
      }
    pagePerms = next;
  }
  const rename = (pool: readonly string[], q: number[]) => new Map(pool.map((x, i) => [x, pool[q[i]!]!] as [string, string]));
  const out: Perm[] = [];
  for (const eid of permutations(cfg.enclaves))
    for (const hart of permutations(cfg.harts))
      for (const page of pagePerms)
        for (const host of permutations(cfg.hosts))
          for (const nq of permutations(cfg.names.length))
            for (const iq of permutations(images.length))
              out.push({ eid, hart, page, host, name: rename(cfg.names, nq), image: rename(images, iq) });
  return out;
}

/** A random element of the group. */
export function randomPerm(cfg: System["config"], images: readonly string[], rand: () => number): Perm {
  const shuffle = (n: number, offset = 0) => {
    const a = Array.from({ length: n }, (_, i) => i + offset);
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [a[i], a[j]] = [a[j]!, a[i]!];
    }
    return a;
  };
  const m = cfg.monitorPages, t = cfg.ptaPages;
  const page = [...shuffle(m), ...shuffle(t, m), ...shuffle(cfg.pages - m - t, m + t)];
  const nq = shuffle(cfg.names.length), iq = shuffle(images.length);
  return {
    eid: shuffle(cfg.enclaves), hart: shuffle(cfg.harts), page, host: shuffle(cfg.hosts),
    name: new Map(cfg.names.map((x, i) => [x, cfg.names[nq[i]!]!] as [string, string])),
    image: new Map(images.map((x, i) => [x, images[iq[i]!]!] as [string, string])),
  };
}
