/**
 * Generates the relay (Schrödinger) family from the spec state (PGL §4.7): the host gets, maps,
 * unmaps, frees regions and binds them to fresh enclaves (set_mem_arg), runs named enclaves with
 * the regions pending for their name, re-runs an enclave that handed its region back; the enclave
 * holding a region hands it back, splits it, hands a piece to a named enclave (asyn_enclave_call) or
 * lends it with a server call. Now and then a wrong or malicious one (OW-6, IPC-3, M19): a region
 * the caller does not hold (another's, the host's, one pending), a split out of range, a bound
 * region held elsewhere, pages that are not the host's, the hand-back by an enclave holding nothing.
 */
import type { Event } from "../../../model/events.ts";
import { NONE, type System } from "../../../model/state.ts";
import { between, pick } from "../../../spec/gen/rng.ts";
import { hostRuns, indexesWhere } from "./pageRuns.ts";

type Rand = () => number;

/** The name enclaves of the pipeline go by: relay regions are handed to it (asyn_enclave_call). */
export const RELAY_TARGET = "sink";

/** A normal enclave's name: now and then the pipeline's target. */
export function normalName(rand: Rand): string {
  return rand() < 0.3 ? RELAY_TARGET : "";
}

const range = (from: number, n: number): number[] => Array.from({ length: n }, (_, i) => from + i);

const ids = indexesWhere;

/** A relay id: mostly one of `good`, sometimes any live one or any id at all (wrong ones included). */
function relayId(s: System, rand: Rand, good: number[]): number {
  const live = ids(s.relays, (r) => r.live);
  const q = rand();
  if (good.length && q < 0.8) return pick(rand, good);
  if (live.length && q < 0.95) return pick(rand, live);
  return between(rand, 0, s.relays.length - 1);
}

/**
 * A host event of the family, or undefined (then the caller draws another): a re-run is urgent for an
 * enclave that handed its region back (as the run loop's answer to an ocall).
 */
export function relayHostEvent(s: System, rand: Rand, hart: number): Event | undefined {
  const host = 0;
  const returned = ids(s.enclaves, (e) => e.state === "relayReturned");
  if (returned.length && rand() < 0.8) return { type: "host.rerun", hart, host, eid: pick(rand, returned) };
  if (rand() > 0.3) return undefined;
  const hostHeld = ids(s.relays, (r) => r.live && r.holder === "host");
  const fresh = ids(s.enclaves, (e) => e.state === "fresh" && e.kind === "normal");
  // the way in: a region for every fresh enclave, bound before its run (PLenclave_set_mem_arg)
  const unbound = hostHeld.filter((r) => !s.enclaves.some((e) => e.state !== "free" && e.memArg === r));
  const waiting = fresh.filter((e) => s.enclaves[e]!.memArg === NONE);
  if (waiting.length && unbound.length && rand() < 0.5)
    return { type: "host.setMemArg", hart, host, eid: pick(rand, waiting), relay: pick(rand, unbound) };
  // the run that hands the bound region over (PGL §4.7); refused if another enclave took it meanwhile
  const boundFresh = fresh.filter((e) => s.enclaves[e]!.memArg !== NONE);
  if (boundFresh.length && rand() < 0.3) return { type: "host.run", hart, host, eid: pick(rand, boundFresh), inherit: false };
  // malicious: one region bound to two enclaves — the second run must not get it while the first holds it (OW-6, M16)
  const bound = s.enclaves.flatMap((e) => (e.state !== "free" && e.memArg !== NONE ? [e.memArg] : []));
  if (waiting.length && bound.length && rand() < 0.15)
    return { type: "host.setMemArg", hart, host, eid: pick(rand, waiting), relay: pick(rand, bound) };
  const q = hostHeld.length === 0 && rand() < 0.6 ? 0 : rand();
  if (q < 0.3) {
    const n = between(rand, 1, 3);
    const runs = hostRuns(s, n);
    // malicious: pages that are not the host's to give (private, another region, a shm)
    const taken = ids(
      s.pages,
      (p) => p.owner === "enclave" || p.owner === "relayHost" || p.owner === "shm" || p.owner === "kbuffer",
    );
    if (taken.length && rand() < 0.1) return { type: "host.schrodingerGet", hart, host, pages: [pick(rand, taken)] };
    return runs.length ? { type: "host.schrodingerGet", hart, host, pages: range(pick(rand, runs), n) } : undefined;
  }
  // now and then another host process names this one's region (its SDK has no such id: NO_SUCH_RELAY)
  const other = s.config.hosts > 1 && rand() < 0.1 ? 1 : host;
  if (q < 0.45)
    return {
      type: rand() < 0.6 ? "host.schrodingerAt" : "host.schrodingerDt",
      hart,
      host: other,
      relay: relayId(s, rand, hostHeld),
    };
  if (q < 0.55) return { type: "host.schrodingerCtl", hart, host: other, relay: relayId(s, rand, hostHeld) };
  if (q < 0.8) {
    // a fresh enclave mostly; now and then one already running (refused: BAD_STATE)
    const live = ids(s.enclaves, (e) => e.state !== "free");
    const eid = fresh.length && rand() < 0.85 ? pick(rand, fresh) : live.length ? pick(rand, live) : 0;
    return { type: "host.setMemArg", hart, host, eid, relay: relayId(s, rand, hostHeld) };
  }
  // run a named enclave with the regions pending for its name (mm_arg 0xFFFF)
  const named = fresh.filter((e) => s.enclaves[e]!.name !== "");
  const eid = named.length ? pick(rand, named) : fresh.length ? pick(rand, fresh) : undefined;
  return eid === undefined ? undefined : { type: "host.run", hart, host, eid, inherit: true };
}

/** An enclave event of the family for the enclave running on `hart`, or undefined. */
export function relayEnclaveEvent(s: System, rand: Rand, hart: number): Event | undefined {
  const eid = s.harts[hart]!;
  const en = s.enclaves[eid]!;
  // held: not merely lent by a caller (the spec's holdsRelay)
  const held = en.relays.filter((r) => r !== en.callRelay);
  const freeId = s.relays.some((r) => !r.live);
  if (en.relays.length === 0 && rand() < 0.8) return undefined; // mostly where there is something to move
  const q = rand();
  if (q < 0.2) {
    // the hand-back; a server inside a call or an enclave holding nothing now and then (refused)
    if (held.length || rand() < 0.15) return { type: "enclave.returnRelay", hart };
    return undefined;
  }
  if (q < 0.45) {
    const name = rand() < 0.9 ? RELAY_TARGET : pick(rand, ["", "nobody"]);
    return { type: "enclave.asyncCall", hart, name, relay: relayId(s, rand, held) };
  }
  if (q < 0.75) {
    const splittable = held.filter((r) => s.relays[r]!.pages.length >= 2);
    const relay = relayId(s, rand, splittable);
    const n = s.relays[relay]!.pages.length;
    // out of range now and then: before the first page, at or past the end (INVALID_ARGUMENT)
    const at = rand() < 0.85 && n >= 2 ? between(rand, 1, n - 1) : pick(rand, [0, n, n + 1]);
    // the monitor's table has room for ten pieces an enclave holds; the model's id table is smaller
    return freeId ? { type: "enclave.splitRelay", hart, relay, at } : undefined;
  }
  if (s.servers.length === 0) return undefined;
  // lend a held region (or, as a server, the one its caller lent it) with a server call
  const lendable = en.relays;
  const server = rand() < 0.9 ? pick(rand, s.servers).eid : between(rand, 0, s.enclaves.length - 1);
  return { type: "enclave.callServer", hart, server, reqPages: [], reqRelay: relayId(s, rand, lendable) };
}

/** True iff the state holds something of the family worth an enclave event (relays exist). */
export function relaysInPlay(s: System): boolean {
  return s.relays.some((r) => r.live);
}
