import type { Enclave, Page, Relay, SecureShm, Shm, System } from "../../model/state.ts";
import type { McConfig } from "./config.ts";
import { HOLDERS, KINDS, OWNERS, OWNER_ID_IS_EID, PENDINGS, STATES } from "./vocab.ts";

type Kind = Enclave["kind"];
type State = Enclave["state"];

/**
 * The state a canonical encoding (canonical.ts) stands for: labels become ids (label i → slot i,
 * page label → page index, host label → host i, name label → `names[i]`, image label →
 * `images[i]`), so `decode(canonical(s))` is the canonical member of the orbit of `s` (and `s`
 * itself without symmetry). Workers exchange states this way.
 */
export function decodeState(enc: Int32Array, mc: McConfig, fixedStrings: readonly string[]): System {
  const cfg = mc.spec;
  let i = 0;
  const next = () => enc[i++]!;
  const raw = (v: number) => (v >= 1_000_000 ? v - 1_000_000 : v);
  const str = (v: number, pool: readonly string[]) => (v < 0 ? fixedStrings[-1 - v]! : pool[v]!);
  const list = (f: (v: number) => number) => {
    const n = next();
    const out: number[] = [];
    for (let k = 0; k < n; k++) out.push(f(next()));
    return out;
  };
  const harts: number[] = [];
  for (let h = 0; h < cfg.harts; h++) harts.push(raw(next()));
  const enclaves: Enclave[] = [];
  for (let e = 0; e < cfg.enclaves; e++) {
    enclaves.push({
      kind: KINDS[next()] as Kind,
      state: STATES[next()] as State,
      name: str(next(), cfg.names),
      creator: raw(next()),
      measurement: str(next(), mc.images),
      parent: raw(next()),
      caller: raw(next()),
      callee: raw(next()),
      relays: list((v) => v),
      shm: next(),
      memArg: next(),
      callPages: list(raw),
      callRelay: next(),
      pending: PENDINGS[next()] as Enclave["pending"],
      pendingPages: next(),
      pendingKey: next(),
      retval: next(),
    });
  }
  const shms: Shm[] = [];
  for (let k = 0; k < cfg.shms; k++)
    shms.push({ live: next() === 1, creator: raw(next()), pages: list(raw), hostAttached: next() === 1, enclaves: list(raw) });
  const secureShms: SecureShm[] = [];
  for (let k = 0; k < cfg.secureShms; k++)
    secureShms.push({
      live: next() === 1, key: next(), owner: raw(next()), pages: list(raw), allowed: list(raw), attached: list(raw),
      destroyPending: next() === 1,
    });
  const relays: Relay[] = [];
  for (let r = 0; r < cfg.relays; r++)
    relays.push({
      live: next() === 1, creator: raw(next()), pages: list(raw), holder: HOLDERS[next()] as Relay["holder"],
      eid: raw(next()), name: str(next(), cfg.names), hostMapped: next() === 1,
    });
  const servers: System["servers"] = [];
  const ns = next();
  for (let k = 0; k < ns; k++) {
    const eid = raw(next());
    servers.push({ eid, name: str(next(), cfg.names) });
  }
  servers.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const pages: Page[] = [];
  for (let p = 0; p < cfg.pages; p++) {
    const o = next();
    const id = next();
    const bits = next();
    pages.push({ owner: OWNERS[o] as Page["owner"], id: OWNER_ID_IS_EID[o] ? raw(id) : id, secure: (bits & 2) !== 0, zeroed: (bits & 1) !== 0 });
  }
  return {
    config: cfg,
    harts,
    enclaves,
    pages,
    shms,
    secureShms,
    relays,
    servers: servers.map((x) => ({ name: x.name, eid: x.eid })),
  };
}
