import { KeyType, MAX_RANDOM_BYTES } from "../../model/abi.ts";
import { fault, ok } from "../../model/result.ts";
import { HOST, NONE, type System } from "../../model/state.ts";
import { EnclaveFact as F } from "../machines/enclaveOps.ts";
import { Change, insertSorted, without } from "./change.ts";
import { giveRelayToHost, killChain, movePage, moveEnclave, newRelay, releaseEnclave } from "./effects.ts";
import { checkPageList, enclaveOutcome, holdsRelay, inRange, nameFits, ownsPages, pageOutcome } from "./queries.ts";
import { unchanged, type Handlers, type StepOutput } from "./types.ts";


/** An enclave call that leaves the state alone once its machine allows SERVICE. */
function service(s: System, e: number, value: number): StepOutput {
  const o = enclaveOutcome(s, e, "SERVICE", 0);
  return o.ok ? { state: s, result: ok("SUCCESS", value) } : unchanged(s, o.code);
}

/** The enclave leaves for the host with a recorded pending ocall (PGL §6.2, design.md). */
function toHost(
  s: System,
  hart: number,
  e: number,
  op: "OCALL" | "OCALL_RELEASE",
  facts: number,
  pending: System["enclaves"][number]["pending"],
  pendingPages: number,
  release: readonly number[],
): Change {
  const c = new Change(s);
  moveEnclave(c, e, op, facts);
  for (const p of release) movePage(c, p, "RELEASE", true, { id: NONE, zeroed: true }); // scrubbed first (CS-1)
  c.setEnclave(e, { pending, pendingPages });
  c.setHart(hart, HOST);
  return c;
}

/** Enclave calls other than server calls (PGL §2.2, §2.3); `cur(ev.hart)` is the calling enclave. */
export const enclaveCalls: Handlers<
  | "enclave.exit"
  | "enclave.print"
  | "enclave.mmap"
  | "enclave.unmap"
  | "enclave.sbrk"
  | "enclave.returnRelay"
  | "enclave.getReport"
  | "enclave.asyncCall"
  | "enclave.splitRelay"
  | "enclave.getEnclaveId"
  | "enclave.getCallerId"
  | "enclave.yield"
  | "enclave.getKey"
  | "enclave.getRandom"
  | "enclave.access"
  | "enclave.platformSbi"
> = {
  // fid 99: memory scrubbed and returned, relay pages back to the host (PGL §3.5)
  "enclave.exit"(s, ev) {
    const e = s.harts[ev.hart]!;
    const o = enclaveOutcome(s, e, "EXIT", 0);
    if (!o.ok) return unchanged(s, o.code);
    const c = new Change(s);
    moveEnclave(c, e, "EXIT", 0);
    releaseEnclave(c, e);
    return { state: c.done(), result: ok("SUCCESS", ev.retval) };
  },
  // ocall 3
  "enclave.print"(s, ev) {
    const e = s.harts[ev.hart]!;
    const o = enclaveOutcome(s, e, "OCALL", 0);
    if (!o.ok) return unchanged(s, o.code);
    return { state: toHost(s, ev.hart, e, "OCALL", 0, "print", 0, []).done(), result: ok("OCALL", 3) };
  },
  // ocall 1: the host answers with pages through host.ocallReturn
  "enclave.mmap"(s, ev) {
    const e = s.harts[ev.hart]!;
    if (ev.count < 1 || ev.count > s.config.pages) return unchanged(s, "INVALID_ARGUMENT");
    const o = enclaveOutcome(s, e, "OCALL", 0);
    if (!o.ok) return unchanged(s, o.code);
    return { state: toHost(s, ev.hart, e, "OCALL", 0, "mmap", ev.count, []).done(), result: ok("OCALL", 1) };
  },
  // ocall 2: pages scrubbed and made public before the host frees them
  "enclave.unmap"(s, ev) {
    const e = s.harts[ev.hart]!;
    const bad = checkPageList(s, ev.pages) ?? (ev.pages.length === 0 ? "INVALID_ARGUMENT" : undefined);
    if (bad) return unchanged(s, bad);
    const facts = ownsPages(s, ev.pages, e, "RELEASE") ? F.namedPagesAreOwned : 0;
    const o = enclaveOutcome(s, e, "OCALL_RELEASE", facts);
    if (!o.ok) return unchanged(s, o.code);
    return { state: toHost(s, ev.hart, e, "OCALL_RELEASE", facts, "unmap", 0, ev.pages).done(), result: ok("OCALL", 2) };
  },
  // ocall 4: 0 reads the heap top without leaving; > 0 grows; < 0 gives pages back
  "enclave.sbrk"(s, ev) {
    const e = s.harts[ev.hart]!;
    if (ev.delta === 0) return ev.pages.length ? unchanged(s, "INVALID_ARGUMENT") : service(s, e, 0);
    if (ev.delta > 0) {
      if (ev.pages.length || ev.delta > s.config.pages) return unchanged(s, "INVALID_ARGUMENT");
      const o = enclaveOutcome(s, e, "OCALL", 0);
      if (!o.ok) return unchanged(s, o.code);
      return { state: toHost(s, ev.hart, e, "OCALL", 0, "sbrk", ev.delta, []).done(), result: ok("OCALL", 4) };
    }
    const bad = checkPageList(s, ev.pages) ?? (ev.pages.length !== -ev.delta ? "INVALID_ARGUMENT" : undefined);
    if (bad) return unchanged(s, bad);
    const facts = ownsPages(s, ev.pages, e, "RELEASE") ? F.namedPagesAreOwned : 0;
    const o = enclaveOutcome(s, e, "OCALL_RELEASE", facts);
    if (!o.ok) return unchanged(s, o.code);
    return { state: toHost(s, ev.hart, e, "OCALL_RELEASE", facts, "sbrk", 0, ev.pages).done(), result: ok("OCALL", 4) };
  },
  // ocall 7: every relay region back to the host, unscrubbed (it carries the output)
  "enclave.returnRelay"(s, ev) {
    const e = s.harts[ev.hart]!;
    const o = enclaveOutcome(s, e, "RETURN_RELAY", 0);
    if (!o.ok) return unchanged(s, o.code);
    // nothing to hand back: refused, the enclave goes on (PGL §2.3 ocall 7 reports the first region
    // handed back; with none the host would re-run for a region it never had — LC-6)
    if (s.enclaves[e]!.relays.length === 0) return unchanged(s, "NO_SUCH_RELAY");
    const c = new Change(s);
    moveEnclave(c, e, "RETURN_RELAY", 0);
    for (const r of s.enclaves[e]!.relays) giveRelayToHost(c, r);
    c.setEnclave(e, { pending: "returnRelay", pendingPages: 0 });
    c.setHart(ev.hart, HOST);
    return { state: c.done(), result: ok("RETURN_USER_MODE", 7) };
  },
  // fid 94: a report is derived; stored measurements never change (AT-2, M32)
  "enclave.getReport"(s, ev) {
    const e = s.harts[ev.hart]!;
    if (ev.name !== "" && !s.servers.some((x) => x.name === ev.name)) return unchanged(s, "NO_SUCH_SERVER");
    return service(s, e, 0);
  },
  // fid 93: the region leaves the caller now and waits, private, for an enclave named `name`
  "enclave.asyncCall"(s, ev) {
    const e = s.harts[ev.hart]!;
    if (!inRange(ev.relay, s.relays.length)) return unchanged(s, "INVALID_ID");
    if (ev.name === "" || !nameFits(ev.name)) return unchanged(s, "INVALID_ARGUMENT");
    const owned = holdsRelay(s, ev.relay, e) && s.relays[ev.relay]!.pages.every((p) => pageOutcome(s, p, "RELAY_MOVE", e).ok);
    const facts = owned ? F.namedPagesAreOwned : 0;
    const o = enclaveOutcome(s, e, "RELAY_OP", facts);
    if (!o.ok) return unchanged(s, o.code);
    const c = new Change(s);
    moveEnclave(c, e, "RELAY_OP", facts);
    for (const p of s.relays[ev.relay]!.pages) movePage(c, p, "RELAY_MOVE", true, {});
    c.setRelay(ev.relay, { ...s.relays[ev.relay]!, holder: "pending", eid: NONE, name: ev.name });
    c.setEnclave(e, { relays: without(s.enclaves[e]!.relays, ev.relay) });
    return { state: c.done(), result: ok() };
  },
  // fid 92: split a held region before page index `at` into a new relay id
  "enclave.splitRelay"(s, ev) {
    const e = s.harts[ev.hart]!;
    if (!inRange(ev.relay, s.relays.length)) return unchanged(s, "INVALID_ID");
    const facts = holdsRelay(s, ev.relay, e) ? F.namedPagesAreOwned : 0;
    const o = enclaveOutcome(s, e, "RELAY_OP", facts);
    if (!o.ok) return unchanged(s, o.code);
    const r = s.relays[ev.relay]!;
    if (ev.at < 1 || ev.at >= r.pages.length) return unchanged(s, "INVALID_ARGUMENT");
    const r2 = s.relays.findIndex((x) => !x.live);
    if (r2 === NONE) return unchanged(s, "NO_FREE_ID");
    const c = new Change(s);
    moveEnclave(c, e, "RELAY_OP", facts);
    c.setRelay(ev.relay, { ...r, pages: r.pages.slice(0, ev.at) });
    c.setRelay(r2, newRelay(r.creator, r.pages.slice(ev.at), e));
    for (const p of r.pages.slice(ev.at)) movePage(c, p, "RELAY_MOVE", true, { id: r2 });
    c.setEnclave(e, { relays: insertSorted(s.enclaves[e]!.relays, r2) });
    return { state: c.done(), result: ok("SUCCESS", r2) };
  },
  // fid 90
  "enclave.getEnclaveId"(s, ev) {
    const e = s.harts[ev.hart]!;
    return service(s, e, e);
  },
  // fid 91: the real caller (IPC-4; the original always answers 0)
  "enclave.getCallerId"(s, ev) {
    const e = s.harts[ev.hart]!;
    if (s.enclaves[e]!.caller === NONE) return unchanged(s, "NO_CALLER");
    return service(s, e, s.enclaves[e]!.caller);
  },
  // fid 89: RUNNABLE, and the run loop resumes it (design.md)
  "enclave.yield"(s, ev) {
    const e = s.harts[ev.hart]!;
    const o = enclaveOutcome(s, e, "YIELD", 0);
    if (!o.ok) return unchanged(s, o.code);
    const c = new Change(s);
    moveEnclave(c, e, "YIELD", 0);
    c.setHart(ev.hart, HOST);
    return { state: c.done(), result: ok("YIELD", 3) };
  },
  // ocall 8: answered in M-mode from a seeded CSPRNG, no exit; the size is bounded (SP-4)
  "enclave.getRandom"(s, ev) {
    const e = s.harts[ev.hart]!;
    if (ev.size < 1 || ev.size > MAX_RANDOM_BYTES) return unchanged(s, "INVALID_ARGUMENT");
    return service(s, e, ev.size);
  },
  // fid 88: ENCLAVE_KEY and STORAGE_KEY; ATTEST_KEY is unsupported
  "enclave.getKey"(s, ev) {
    const e = s.harts[ev.hart]!;
    if (ev.keyType !== KeyType.ENCLAVE_KEY && ev.keyType !== KeyType.STORAGE_KEY) return unchanged(s, "INVALID_KEY_TYPE");
    return service(s, e, 0);
  },
  // a load/store: allowed inside its domain (MI-1, MI-5); anything else traps and kills it (PGL §2.1)
  "enclave.access"(s, ev) {
    const e = s.harts[ev.hart]!;
    if (!inRange(ev.page, s.config.pages)) return unchanged(s, "INVALID_ID");
    const o = enclaveOutcome(s, e, "SERVICE", 0);
    if (!o.ok) return unchanged(s, o.code);
    const access = pageOutcome(s, ev.page, ev.write ? "ENCLAVE_STORE" : "ENCLAVE_LOAD", e);
    if (access.ok) {
      if (!ev.write || !s.pages[ev.page]!.zeroed) return { state: s, result: ok() };
      const c = new Change(s);
      c.setPageZeroed(ev.page, false);
      return { state: c.done(), result: ok() };
    }
    return trapKills(s, e, ev.hart);
  },
  // an extension other than Penglai's: the monitor kills the enclave (PGL §2.1) — the platform's SBI
  // (shutdown, IPIs, timers, fences) is never the enclave's (SP-5)
  "enclave.platformSbi"(s, ev) {
    const e = s.harts[ev.hart]!;
    const o = enclaveOutcome(s, e, "SERVICE", 0);
    return o.ok ? trapKills(s, e, ev.hart) : unchanged(s, o.code);
  },
};

/** A trap the monitor does not handle, in enclave `e` on `hart`: its chain is killed, the host sees ERROR (PGL §2.1). */
function trapKills(s: System, e: number, hart: number): StepOutput {
  const c = new Change(s);
  killChain(c, e, hart);
  return { state: c.done(), result: fault() };
}
