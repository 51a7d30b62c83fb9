/**
 * zod validation of α's snapshots, part by part. `systemSchema` is a plain object schema (no
 * refinements), so validating each field with its own schema is what `systemSchema.parse` does. Pages
 * — most of a snapshot, and a handful of distinct values — are taken from a cache of page values,
 * each validated by `pageSchema` once, so a snapshot costs the validation of its small tables only.
 * The rows of the other tables are taken from the last snapshot where their value is unchanged, and a
 * table equal to the last one is that very array. Page objects, rows and tables are therefore shared
 * between snapshots (the objects frozen): nothing may mutate a snapshot.
 */
import { pageSchema, systemSchema, type Page, type System } from "../model/state.ts";

const S = systemSchema.shape;

/** Validated, frozen page values: by owner, then by (id + 1) · 4 + secure · 2 + zeroed. */
const pageCache = new Map<Page["owner"], Page[]>();
let lastOwner: Page["owner"] | undefined;
let lastOwnerPages: Page[] = [];
/** Every page {@link validatedPage} handed out. */
const validatedPages = new WeakSet<Page>();

/** The validated page with these fields. */
export function validatedPage(owner: Page["owner"], id: number, secure: boolean, zeroed: boolean): Page {
  // consecutive pages mostly have one owner: the last owner's values are kept at hand
  let byKey = owner === lastOwner ? lastOwnerPages : pageCache.get(owner);
  if (byKey === undefined) pageCache.set(owner, (byKey = []));
  lastOwner = owner;
  lastOwnerPages = byKey;
  const key = id >= -1 && id < 1 << 20 ? (id + 1) * 4 + (secure ? 2 : 0) + (zeroed ? 1 : 0) : -1;
  let page = key >= 0 ? byKey[key] : undefined;
  if (page === undefined) {
    page = Object.freeze(pageSchema.parse({ owner, id, secure, zeroed }));
    validatedPages.add(page);
    if (key >= 0) byKey[key] = page;
  }
  return page;
}

/** Structural equality of two JSON-like values (plain objects, arrays, primitives). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameValue(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  let n = 0;
  for (const k in a) {
    if (!Object.hasOwn(b, k) || !sameValue((a as never)[k], (b as never)[k])) return false;
    n++;
  }
  for (const _ in b) n--;
  return n === 0;
}

/**
 * The rows of each table of the last snapshot, as validated: a row equal in value to the last one at
 * its index is that validated object again (α rebuilds every row each step; most are unchanged).
 */
const lastRows = new Map<string, unknown[]>();

/**
 * Whether a row parses to a validated row: equal in every field of the schema (each a primitive or an
 * array of primitives; keys outside the schema are what parsing strips). Compiled once per schema —
 * the generic walk cost more.
 */
type RowEqual = (a: unknown, b: unknown) => boolean;
const rowEquals = new Map<string, RowEqual>();
function rowEqual(table: string, schema: unknown): RowEqual {
  let eq = rowEquals.get(table);
  if (eq === undefined) {
    const keys = Object.keys((schema as { shape: Record<string, unknown> }).shape);
    const body = keys.map((k) => `same(a[${JSON.stringify(k)}], b[${JSON.stringify(k)}])`).join(" && ");
    const same = (x: unknown, y: unknown): boolean =>
      x === y || (Array.isArray(x) && Array.isArray(y) && x.length === y.length && x.every((v, i) => v === y[i]));
    eq = new Function("same", `return (a, b) => a !== null && typeof a === "object" && ${body};`)(same) as RowEqual;
    rowEquals.set(table, eq);
  }
  return eq;
}

function validatedRows<T>(table: string, schema: { parse(x: unknown): T }, rows: readonly T[]): T[] {
  const last = (lastRows.get(table) ?? []) as T[];
  const equal = rowEqual(table, schema);
  let same = rows.length === last.length;
  const out = rows.map((row, i) => {
    if (i < last.length && equal(row, last[i])) return last[i]!;
    same = false;
    return deepFreeze(schema.parse(row));
  });
  if (same) return last; // the very same table: a consumer may compare tables by identity (checks/mc changedParts)
  lastRows.set(table, out);
  return out;
}

/** The last snapshot's pages, harts and configuration, returned again while equal. */
let lastPages: readonly Page[] = [];
/** The array α fills with the next snapshot's pages: kept for the one after while the pages repeat. */
let pageScratch: Page[] = [];

/** An array of `n` slots for the pages of the next snapshot (fill it with {@link validatedPage} values). */
export function pageSlots(n: number): Page[] {
  if (pageScratch.length !== n || pageScratch === lastPages) pageScratch = new Array<Page>(n);
  return pageScratch;
}
let lastHarts: number[] = [];
let lastConfig: System["config"] | undefined;

/**
 * Objects of `x` (not arrays) made read-only: validated rows are shared between snapshots. Arrays stay
 * as they are — V8 iterates frozen arrays on a slower path, and the invariants iterate them all.
 */
function deepFreeze<T>(x: T): T {
  if (typeof x === "object" && x !== null && !Object.isFrozen(x)) {
    for (const v of Object.values(x)) deepFreeze(v);
    if (!Array.isArray(x)) Object.freeze(x);
  }
  return x;
}

/** `sys` validated with the system schema; its `pages` must come from {@link validatedPage} (checked). */
export function validatedSystem(sys: System): System {
  if (!Array.isArray(sys.pages) || !sys.pages.every((pg, i) => pg === lastPages[i] || validatedPages.has(pg)))
    throw new Error("validatedSystem: a page that validatedPage did not make");
  for (const t of ["enclaves", "shms", "secureShms", "relays", "servers"] as const)
    if (!Array.isArray(sys[t])) throw new Error(`validatedSystem: ${t} is not an array`);
  if (!(lastConfig && sameValue(sys.config, lastConfig))) lastConfig = deepFreeze(S.config.parse(sys.config));
  if (!sameValue(sys.harts, lastHarts)) lastHarts = deepFreeze(S.harts.parse(sys.harts));
  if (sys.pages.length !== lastPages.length || sys.pages.some((pg, i) => pg !== lastPages[i])) lastPages = sys.pages;
  return {
    config: lastConfig,
    harts: lastHarts,
    enclaves: validatedRows("enclaves", S.enclaves.element, sys.enclaves),
    pages: lastPages as Page[],
    shms: validatedRows("shms", S.shms.element, sys.shms),
    secureShms: validatedRows("secureShms", S.secureShms.element, sys.secureShms),
    relays: validatedRows("relays", S.relays.element, sys.relays),
    servers: validatedRows("servers", S.servers.element, sys.servers),
  };
}
