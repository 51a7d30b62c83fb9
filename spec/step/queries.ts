import type { CodeName } from "../../model/codes.ts";
import { NAME_LEN } from "../../model/config.ts";
import { NONE, type System } from "../../model/state.ts";
import { EnclaveFact, type EnclaveOp } from "../machines/enclaveOps.ts";
import { PageFact, type PageEvent } from "../machines/pageOwnership.machine.ts";
import type { Outcome } from "../tables/deriveTable.ts";
import { pageTable, tableForKind } from "../tables/tables.ts";
import type { LifecycleState } from "../../model/state.ts";

/** Read-only questions `step` asks of a `System`. */

/** True iff `x` is an index into an array of length `n`. */
export function inRange(x: number, n: number): boolean {
  return Number.isInteger(x) && x >= 0 && x < n;
}

/** Checks a list of page numbers: all in range (INVALID_ID) and distinct (INVALID_ARGUMENT). */
export function checkPageList(s: System, pages: readonly number[]): CodeName | undefined {
  for (let i = 0; i < pages.length; i++) {
    if (!inRange(pages[i]!, s.config.pages)) return "INVALID_ID";
    for (let j = 0; j < i; j++) if (pages[j] === pages[i]) return "INVALID_ARGUMENT";
  }
  return undefined;
}

/** True iff a name fits Penglai's 16-byte field (NUL included). */
export function nameFits(name: string): boolean {
  return name.length < NAME_LEN;
}

/**
 * True iff page `p` is in enclave `e`'s domain: owned by it, in a relay region it holds, in the
 * shm segment attached to it, or a read-only page of its parent shadow (MI-1's own ∪ shared).
 */
export function belongsTo(s: System, p: number, e: number): boolean {
  const page = s.pages[p]!;
  switch (page.owner) {
    case "enclave":
      return page.id === e;
    case "shadowRO":
      return page.id === e || s.enclaves[e]!.parent === page.id;
    case "relayEnclave": {
      const r = s.relays[page.id]!;
      return r.holder === "enclave" && r.eid === e;
    }
    case "shm":
      return s.enclaves[e]!.shm === page.id;
    case "secureShm":
      return s.secureShms[page.id]!.attached.includes(e);
    case "kbuffer": // a callee uses its top caller's kbuffer (PGL §3.3)
      return page.id === e || page.id === topCaller(s, e);
    default:
      return false;
  }
}

/** What the pageOwnership machine says about `op` on page `p` acted on by enclave `actor` (or NONE). */
export function pageOutcome(s: System, p: number, op: PageEvent["type"], actor: number): Outcome {
  const facts = actor !== NONE && belongsTo(s, p, actor) ? PageFact.belongsToActor : 0;
  return pageTable.lookup(s.pages[p]!.owner, op, facts);
}

/** The first refusal of `op` over `pages` by `actor`, or undefined if every page allows it. */
export function pagesRefusal(
  s: System,
  pages: readonly number[],
  op: PageEvent["type"],
  actor: number,
): CodeName | undefined {
  for (const p of pages) {
    const o = pageOutcome(s, p, op, actor);
    if (!o.ok) return o.code;
  }
  return undefined;
}

/** What the machine of enclave `e` says about `op` under `facts`. */
export function enclaveOutcome(s: System, e: number, op: EnclaveOp, facts: number): Outcome<LifecycleState> {
  const en = s.enclaves[e]!;
  return tableForKind(en.kind).lookup(en.state, op, facts);
}

/** The `isCreator` fact for host `host` acting on enclave `e`. */
export function creatorFact(s: System, e: number, host: number): number {
  return s.enclaves[e]!.creator === host ? EnclaveFact.isCreator : 0;
}

/** The innermost callee of `e`'s call chain (e itself when it calls nobody). */
export function innermost(s: System, e: number): number {
  let x = e;
  for (let i = 0; i < s.enclaves.length && s.enclaves[x]!.callee !== NONE; i++) x = s.enclaves[x]!.callee;
  return x;
}

/** The top caller of `e`'s call chain (e itself when nobody called it). */
export function topCaller(s: System, e: number): number {
  let x = e;
  for (let i = 0; i < s.enclaves.length && s.enclaves[x]!.caller !== NONE; i++) x = s.enclaves[x]!.caller;
  return x;
}

/** The live secure shm segment with key `key`, or NONE. */
export function secureShmByKey(s: System, key: number): number {
  return s.secureShms.findIndex((k) => k.live && k.key === key);
}

/** The first free enclave slot, or NONE. */
export function freeSlot(s: System): number {
  return s.enclaves.findIndex((e) => e.kind === "none");
}

/** Number of live fork instances of shadow `sh`. */
export function instanceCount(s: System, sh: number): number {
  let n = 0;
  for (const e of s.enclaves) if (e.kind === "instance" && e.parent === sh) n++;
  return n;
}

/** True iff relay `r` is live and held by enclave `e` (not merely lent to it by a caller). */
export function holdsRelay(s: System, r: number, e: number): boolean {
  if (!inRange(r, s.relays.length)) return false;
  const relay = s.relays[r]!;
  return relay.live && relay.holder === "enclave" && relay.eid === e && s.enclaves[e]!.callRelay !== r;
}

/** True iff every page is owned by `e` itself (not lent by a caller), as the page machine's `op` decides. */
export function ownsPages(s: System, pages: readonly number[], e: number, op: PageEvent["type"]): boolean {
  const lent = s.enclaves[e]!.callPages;
  // a shadow's read-only page is its instances' to read, never to give away (IPC-6; found by the explorer:
  // an instance's unmap released its shadow's shared text to the host)
  const shared = (p: number) => s.pages[p]!.owner === "shadowRO" && s.pages[p]!.id !== e;
  return pages.every((p) => !lent.includes(p) && !shared(p) && pageOutcome(s, p, op, e).ok);
}
