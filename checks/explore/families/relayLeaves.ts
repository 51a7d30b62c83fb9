/**
 * OW-6, MI-1, PT-5 on the machine: every user leaf of every enclave's page table maps a page of that
 * enclave's domain — a page the monitor's ledger says it holds (its region, its blocks, the relay
 * regions it holds or was lent), a read-only page of its parent shadow, a page of a secure shm
 * segment it is attached to, or one of its public windows (its kbuffer, its top caller's when it
 * serves a call, its host shm). The abstract state reads ownership from the ledger, so a page handed
 * on but left mapped in its sender (a relay region after asyn_enclave_call or a server call, M19) or
 * a page mapped in two enclaves (M16) shows only here.
 */
import type { EnclaveRecord } from "../../../impl/monitor/enclave/enclaveRecord.ts";
import { enclaveMappings } from "../enclaveMappings.ts";
import type { CheckedPlatform } from "../platform.ts";

const PAGE = 4096n;

/** Per platform: what {@link foreignLeaves} last read when it found nothing. */
const cleanAt = new WeakMap<CheckedPlatform, { writes: number; ledger: number; domains: string }>();

/**
 * What decides each enclave's domain besides the ledger: its table root, windows, parent, and the
 * secure shm segments attached to it.
 */
function domainsKey(st: CheckedPlatform["p"]["monitor"]["state"]): string {
  let key = "";
  for (const e of st.enclaves)
    if (e !== null) key += `${e.eid}:${e.root}:${e.kbuffer}:${e.topCaller}:${e.shm?.pa}:${e.shm?.size}:${e.parent};`;
  for (const g of st.secureShms.values()) key += `|${g.pages.join(",")}:${[...g.attached.keys()].join(",")}`;
  return key;
}

/**
 * The leaves of every live enclave that map a page outside its domain, as "OW-6: <what>". The
 * answer depends on the enclaves' table pages (tracked, memory.ts PAGE_TRACKED), the ledger's
 * holders and {@link domainsKey}: while none of them changed since a clean check, it is the same.
 */
export function foreignLeaves(cp: CheckedPlatform): string[] {
  const st = cp.p.monitor.state;
  const mem = cp.p.machine.mem;
  const domains = domainsKey(st);
  const last = cleanAt.get(cp);
  if (last && last.writes === mem.trackedWrites && last.ledger === st.ledger.version && last.domains === domains) return [];
  const track = (page: number): void => mem.track(page);
  const out: string[] = [];
  const attached = new Map<bigint, Set<number>>();
  for (const g of st.secureShms.values()) for (const pa of g.pages) attached.set(pa, new Set(g.attached.keys()));
  const windows = (e: EnclaveRecord): bigint[] => {
    const top = e.topCaller >= 0 ? st.enclaves[e.topCaller] : null;
    const w = [e.kbuffer, top?.kbuffer ?? 0n];
    if (e.shm) for (let pa = e.shm.pa; pa < e.shm.pa + e.shm.size; pa += PAGE) w.push(pa);
    return w.filter((pa) => pa !== 0n);
  };
  for (const e of st.enclaves) {
    if (e === null) continue;
    const own = windows(e);
    for (const m of enclaveMappings(mem, e.root, track)) {
      const holder = st.ledger.holderOf(m.pa);
      if (holder === e.eid || own.includes(m.pa) || attached.get(m.pa)?.has(e.eid)) continue;
      if (e.parent >= 0 && holder === e.parent && !m.writable) continue; // a fork instance's shared text (IPC-6)
      out.push(
        `OW-6: enclave ${e.eid} maps 0x${m.pa.toString(16)} at 0x${m.va.toString(16)}, ${holder === undefined ? "a host page" : `held by ${holder}`}`,
      );
    }
  }
  if (out.length === 0) cleanAt.set(cp, { writes: mem.trackedWrites, ledger: st.ledger.version, domains });
  return out;
}
