import { ok } from "../../model/result.ts";
import { NONE, type System } from "../../model/state.ts";
import { EnclaveFact as F } from "../machines/enclaveOps.ts";
import { Change, insertSorted, without } from "./change.ts";
import { movePage, moveEnclave } from "./effects.ts";
import { checkPageList, enclaveOutcome, inRange, ownsPages, pageOutcome } from "./queries.ts";
import { unchanged, type Handlers } from "./types.ts";


/** Moves relay `r` (held by `from`) to enclave `to` without touching its pages' owner class (PGL §3.3). */
function lendRelay(c: Change, r: number, from: number, to: number): void {
  for (const p of c.relay(r).pages) movePage(c, p, "RELAY_MOVE", true, {});
  c.setRelay(r, { ...c.relay(r), eid: to });
  c.setEnclave(from, { relays: without(c.enclave(from).relays, r) });
  c.setEnclave(to, { relays: insertSorted(c.enclave(to).relays, r) });
}

/** Server enclave calls (PGL §3.3). */
export const serverCalls: Handlers<"enclave.acquireServer" | "enclave.callServer" | "enclave.serverReturn"> = {
  // fid 97: look a server up by name
  "enclave.acquireServer"(s, ev) {
    const e = s.harts[ev.hart]!;
    const entry = s.servers.find((x) => x.name === ev.name);
    if (!entry) return unchanged(s, "NO_SUCH_SERVER");
    const o = enclaveOutcome(s, e, "SERVICE", 0);
    return o.ok ? { state: s, result: ok("SUCCESS", entry.eid) } : unchanged(s, o.code);
  },

  // fid 96: the request region moves to the callee, unmapped from the caller first (OW-6, IPC-1)
  "enclave.callServer"(s, ev) {
    const e = s.harts[ev.hart]!;
    if (!inRange(ev.server, s.enclaves.length)) return unchanged(s, "INVALID_ID");
    const kind = s.enclaves[ev.server]!.kind;
    if (kind !== "server" && kind !== "none") return unchanged(s, "NOT_A_SERVER");
    // the callee must exist before the caller's argument is read (PGL §3.3): a free slot's machine refuses the call first
    if (kind === "none") {
      const free = enclaveOutcome(s, ev.server, "CALLED", 0);
      if (!free.ok) return unchanged(s, free.code);
    }
    const bad = checkPageList(s, ev.reqPages);
    if (bad) return unchanged(s, bad);
    if (ev.reqRelay !== NONE && !inRange(ev.reqRelay, s.relays.length)) return unchanged(s, "INVALID_ID");
    // a server may lend on what its caller lent it (seed 001: caller → server1 → server)
    const owned =
      ev.reqPages.every((p) => pageOutcome(s, p, "TRANSFER", e).ok) &&
      (ev.reqRelay === NONE ||
        (s.relays[ev.reqRelay]!.holder === "enclave" && s.relays[ev.reqRelay]!.eid === e &&
          s.relays[ev.reqRelay]!.pages.every((p) => pageOutcome(s, p, "RELAY_MOVE", e).ok)));
    const facts = owned ? F.namedPagesAreOwned : 0;
    const out = enclaveOutcome(s, e, "CALL_OUT", facts);
    if (!out.ok) return unchanged(s, out.code);
    const called = enclaveOutcome(s, ev.server, "CALLED", 0);
    if (!called.ok) return unchanged(s, called.code); // SERVER_BUSY: sequential servers (M38)
    const c = new Change(s);
    moveEnclave(c, e, "CALL_OUT", facts);
    moveEnclave(c, ev.server, "CALLED", 0);
    for (const p of ev.reqPages) movePage(c, p, "TRANSFER", true, { id: ev.server });
    if (ev.reqRelay !== NONE) lendRelay(c, ev.reqRelay, e, ev.server);
    c.setEnclave(e, { callee: ev.server });
    c.setEnclave(ev.server, { caller: e, callPages: ev.reqPages.slice(), callRelay: ev.reqRelay });
    c.setHart(ev.hart, ev.server); // the callee runs on the caller's host context
    return { state: c.done(), result: ok() };
  },

  // fid 95: the request region goes back, the response pages move to the caller
  "enclave.serverReturn"(s, ev) {
    const e = s.harts[ev.hart]!;
    const bad = checkPageList(s, ev.respPages);
    if (bad) return unchanged(s, bad);
    const facts = ownsPages(s, ev.respPages, e, "TRANSFER") ? F.namedPagesAreOwned : 0;
    const o = enclaveOutcome(s, e, "SERVER_RETURN", facts);
    if (!o.ok) return unchanged(s, o.code);
    const en = s.enclaves[e]!;
    const caller = en.caller;
    const c = new Change(s);
    moveEnclave(c, e, "SERVER_RETURN", facts);
    moveEnclave(c, caller, "CALL_RETURNED", 0);
    for (const p of en.callPages)
      if (c.page(p).owner === "enclave" && c.page(p).id === e) movePage(c, p, "TRANSFER", true, { id: caller });
    for (const p of ev.respPages) movePage(c, p, "TRANSFER", true, { id: caller });
    if (en.callRelay !== NONE && c.relay(en.callRelay).eid === e) lendRelay(c, en.callRelay, e, caller);
    c.setEnclave(e, { caller: NONE, callPages: [], callRelay: NONE });
    c.setEnclave(caller, { callee: NONE });
    c.setHart(ev.hart, caller);
    return { state: c.done(), result: ok("SUCCESS", ev.value) };
  },
};
