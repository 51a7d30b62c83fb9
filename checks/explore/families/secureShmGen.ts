/**
 * Generates the secure shared memory family from the spec state (PGL §4.9, IPC-5): an enclave
 * creates a segment under a key (the host donates the pages through the ocall return), allows
 * another enclave, attaches, reads the reference count, detaches, destroys. Now and then a wrong or
 * malicious one (M40): an attach without being allowed, an allow by a non-owner or of a bad eid, a
 * key that is taken or unknown, a second destroy, a detach or stat by an enclave not attached.
 */
import type { Event } from "../../../model/events.ts";
import type { System } from "../../../model/state.ts";
import { between, pick } from "../../../spec/gen/rng.ts";

type Rand = () => number;

/** Keys the enclaves use: a small set, so keys collide (SHM_KEY_TAKEN) and attaches find them. */
const KEYS = [1, 2, 3];
/** Keys no segment is created with (an unknown key, a negative one, a 64-bit one). */
const ODD_KEYS = [0, -1, 2 ** 40];

/** An enclave event of the family for the enclave running on `hart`, or undefined. */
export function secureShmEnclaveEvent(s: System, rand: Rand, hart: number): Event | undefined {
  const eid = s.harts[hart]!;
  const live = s.secureShms.flatMap((k, i) => (k.live ? [i] : []));
  const key = (good: number[]): number => {
    const q = rand();
    if (good.length && q < 0.85) return s.secureShms[pick(rand, good)]!.key;
    return q < 0.95 ? pick(rand, KEYS) : pick(rand, ODD_KEYS);
  };
  // with no segment live, mostly a create (or nothing: the enclave's other events)
  const q = live.length === 0 ? (rand() < 0.5 ? 0 : rand() < 0.7 ? 2 : rand()) : rand();
  if (q === 2) return undefined;
  if (q < 0.25) {
    // a slot must be left for every segment under way (the monitor's table is not the model's size)
    const pendingGets = s.enclaves.filter((e) => e.pending === "shmGet").length;
    if (live.length + pendingGets >= s.secureShms.length) return undefined;
    return { type: "enclave.shmGet", hart, key: pick(rand, KEYS), count: rand() < 0.95 ? between(rand, 1, 2) : 0 };
  }
  const owned = live.filter((k) => s.secureShms[k]!.owner === eid);
  const attached = live.filter((k) => s.secureShms[k]!.attached.includes(eid));
  // a load or store in a segment it is attached to (shared with the other attached enclaves, IPC-5)
  const shared = attached.flatMap((k) => s.secureShms[k]!.pages);
  if (shared.length && rand() < 0.2) return { type: "enclave.access", hart, page: pick(rand, shared), write: rand() < 0.5 };
  // a segment this enclave is not in: try it, allowed or not (IPC-5, M40)
  const open = live.filter((k) => !s.secureShms[k]!.attached.includes(eid) && !s.secureShms[k]!.destroyPending);
  if (open.length && rand() < 0.4) return { type: "enclave.shmAttach", hart, key: s.secureShms[pick(rand, open)]!.key };
  if (q < 0.45) {
    const others = s.enclaves.flatMap((e, i) => (e.state !== "free" && i !== eid ? [i] : []));
    const r = rand();
    const target =
      others.length && r < 0.8
        ? pick(rand, others)
        : r < 0.9
          ? between(rand, 0, s.enclaves.length - 1)
          : pick(rand, [-1, s.enclaves.length]);
    return { type: "enclave.shmAllow", hart, key: key(owned), eid: target };
  }
  if (q < 0.65) {
    const open = live.filter((k) => !s.secureShms[k]!.attached.includes(eid)); // allowed or not: IPC-5 decides
    return { type: "enclave.shmAttach", hart, key: key(open) };
  }
  if (q < 0.8) return { type: "enclave.shmStat", hart, key: key(attached) };
  if (q < 0.9) return { type: "enclave.shmDetach", hart, key: key(attached) };
  return { type: "enclave.shmDestroy", hart, key: key(owned) };
}
