/**
 * zod validation of α's snapshots, part by part. `systemSchema` is a plain object schema (no
 * refinements), so validating each field with its own schema is what `systemSchema.parse` does. Pages
 * — most of a snapshot, and a handful of distinct values — are taken from a cache of page values,
 * each validated by `pageSchema` once, so a snapshot costs the validation of its small tables only.
 * Page objects are therefore shared between snapshots and frozen: nothing may mutate a snapshot.
 */
import { pageSchema, systemSchema, type Page, type System } from "../model/state.ts";

const S = systemSchema.shape;

/** Validated, frozen page values: by owner, then by (id + 1) · 4 + secure · 2 + zeroed. */
const pageCache = new Map<Page["owner"], Page[]>();
/** Every page {@link validatedPage} handed out. */
const validatedPages = new WeakSet<Page>();

/** The validated page with these fields. */
export function validatedPage(owner: Page["owner"], id: number, secure: boolean, zeroed: boolean): Page {
  let byKey = pageCache.get(owner);
  if (byKey === undefined) pageCache.set(owner, (byKey = []));
  const key = id >= -1 && id < 1 << 20 ? (id + 1) * 4 + (secure ? 2 : 0) + (zeroed ? 1 : 0) : -1;
  let page = key >= 0 ? byKey[key] : undefined;
  if (page === undefined) {
    page = Object.freeze(pageSchema.parse({ owner, id, secure, zeroed }));
    validatedPages.add(page);
    if (key >= 0) byKey[key] = page;
  }
  return page;
}

/** `sys` validated with the system schema; its `pages` must come from {@link validatedPage} (checked). */
export function validatedSystem(sys: System): System {
  if (!Array.isArray(sys.pages) || !sys.pages.every((pg) => validatedPages.has(pg)))
    throw new Error("validatedSystem: a page that validatedPage did not make");
  return {
    config: S.config.parse(sys.config),
    harts: S.harts.parse(sys.harts),
    enclaves: S.enclaves.parse(sys.enclaves),
    pages: sys.pages,
    shms: S.shms.parse(sys.shms),
    secureShms: S.secureShms.parse(sys.secureShms),
    relays: S.relays.parse(sys.relays),
    servers: S.servers.parse(sys.servers),
  };
}
