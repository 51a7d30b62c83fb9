import { HostFid, MAX_PTE_BATCH, ONE_SHOT_FIDS } from "../../model/abi.ts";
import { ok } from "../../model/result.ts";
import { HOST, NONE, type System } from "../../model/state.ts";
import { Change } from "./change.ts";
import { moveEnclave } from "./effects.ts";
import { enclaveOutcome, inRange, pageOutcome } from "./queries.ts";
import { unchanged, type Handlers } from "./types.ts";

/** The host fids (model/abi.ts `isHostFid`, as a set: that one lists them on every call). */
const HOST_FIDS: ReadonlySet<number> = new Set(Object.values(HostFid) as number[]);


/** Untrusted-host actions beyond the SDK, and the environment (timer, IPI). */
export const adversaryAndEnvironment: Handlers<
  "adversary.setPte" | "adversary.mapPte" | "adversary.writeSatp" | "adversary.touch" | "adversary.sbi" | "env.timer" | "env.ipi"
> = {
  // PGL §4.3, intended rule: validate everything, write nothing on failure (PT-3, LC-6)
  "adversary.setPte"(s, ev) {
    const n = ev.entries.length;
    const shapeOk =
      ev.mode === "one" ? n === 1 : ev.mode === "memset" || ev.mode === "batchZero" ? n === 0 : n >= 1 && n <= MAX_PTE_BATCH;
    if (!shapeOk) return unchanged(s, "INVALID_ARGUMENT");
    if (!inRange(ev.dest, s.config.pages)) return unchanged(s, "PTE_DEST_NOT_PTA");
    const dest = pageOutcome(s, ev.dest, "PTE_DEST", NONE);
    if (!dest.ok) return unchanged(s, dest.code);
    for (const entry of ev.entries) {
      if (!entry.valid) continue;
      if (!inRange(entry.target, s.config.pages)) return unchanged(s, entry.leaf ? "PTE_TARGET_PRIVATE" : "PTE_DEST_NOT_PTA");
      // a leaf may map only public pages; a pointer must lead to another page-table page
      const target = pageOutcome(s, entry.target, entry.leaf ? "PTE_LEAF" : "PTE_DEST", NONE);
      if (!target.ok) return unchanged(s, target.code);
    }
    const zeroed = ev.entries.every((entry) => !entry.valid);
    if (s.pages[ev.dest]!.zeroed === zeroed) return { state: s, result: ok() };
    const c = new Change(s);
    c.setPageZeroed(ev.dest, zeroed);
    return { state: c.done(), result: ok() };
  },
  // PGL §4.3 (e), intended rule: MAP_PTE validated like SET_PTE — both pages in the page-table area
  "adversary.mapPte"(s, ev) {
    for (const p of [ev.pmd, ev.pte]) {
      if (!inRange(p, s.config.pages)) return unchanged(s, "PTE_DEST_NOT_PTA");
      const o = pageOutcome(s, p, "PTE_DEST", NONE);
      if (!o.ok) return unchanged(s, o.code);
    }
    if (!s.pages[ev.pte]!.zeroed) return { state: s, result: ok() };
    const c = new Change(s);
    c.setPageZeroed(ev.pte, false);
    return { state: c.done(), result: ok() };
  },
  // PGL §4.4: full PPN compared; a rejected write changes nothing (PT-1)
  "adversary.writeSatp"(s, ev) {
    if (!inRange(ev.root, s.config.pages)) return unchanged(s, "ILLEGAL_SATP");
    const o = pageOutcome(s, ev.root, "SATP_ROOT", NONE);
    return o.ok ? { state: s, result: ok() } : unchanged(s, o.code);
  },
  // a host load/store: only public, host-accessible pages (MI-4)
  "adversary.touch"(s, ev) {
    if (!inRange(ev.page, s.config.pages)) return unchanged(s, "INVALID_ID");
    const o = pageOutcome(s, ev.page, ev.write ? "HOST_STORE" : "HOST_LOAD", NONE);
    if (!o.ok) return unchanged(s, o.code);
    if (!ev.write || !s.pages[ev.page]!.zeroed) return { state: s, result: ok() };
    const c = new Change(s);
    c.setPageZeroed(ev.page, false);
    return { state: c.done(), result: ok() };
  },
  // malformed arguments never reach a handler: one code per cause (PGL §1.1)
  "adversary.sbi"(s, ev) {
    if (ONE_SHOT_FIDS.includes(ev.fid)) return unchanged(s, "ALREADY_INITIALISED");
    return unchanged(s, HOST_FIDS.has(ev.fid) ? "INVALID_ARGUMENT" : "NOT_SUPPORTED");
  },
  // PGL §6.1: the enclave on this hart is preempted; the host's own timer changes nothing here
  "env.timer"(s, ev) {
    const e = s.harts[ev.hart]!;
    if (e === HOST) return { state: s, result: ok() };
    const o = enclaveOutcome(s, e, "TIMER", 0);
    if (!o.ok) return unchanged(s, o.code);
    const c = new Change(s);
    moveEnclave(c, e, "TIMER", 0);
    c.setHart(ev.hart, HOST);
    return { state: c.done(), result: ok("TIMER_IRQ", 1) };
  },
  // stop/destroy IPIs are delivered inside their host call; any other IPI (TLB shootdown) has no abstract effect
  "env.ipi"(s) {
    return { state: s, result: ok() };
  },
};
