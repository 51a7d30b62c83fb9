import { HOST, NONE, freeEnclave, freeRelay, freeSecureShm, type Page } from "../../model/state.ts";
import type { EnclaveOp } from "../machines/enclaveOps.ts";
import { PageFact, type PageEvent } from "../machines/pageOwnership.machine.ts";
import { pageTable, tableForKind } from "../tables/tables.ts";
import { insertSorted, without, type Change } from "./change.ts";

// State changes shared by several events. Every owner or lifecycle change goes through the
// machines' tables, so a change the machines do not allow throws (a bug in step, never a refusal).

/** Moves page `p` along the pageOwnership transition `op`, then applies `patch`. */
export function movePage(c: Change, p: number, op: PageEvent["type"], belongs: boolean, patch: Partial<Page>): void {
  const page = c.page(p);
  const o = pageTable.lookup(page.owner, op, belongs ? PageFact.belongsToActor : 0);
  if (!o.ok) throw new Error(`step bug: page ${p} ${page.owner} refuses ${op} (${o.code})`);
  c.putPage(p, {
    owner: o.target,
    id: patch.id ?? page.id,
    secure: isSecure(o.target),
    zeroed: patch.zeroed ?? page.zeroed,
  });
}

/** The bitmap PRIVATE bit of an owner class (OW-1). */
export function isSecure(owner: Page["owner"]): boolean {
  return owner === "monitor" || owner === "enclave" || owner === "shadowRO" || owner === "relayEnclave" || owner === "secureShm";
}

/** Moves enclave `e` along its machine's transition `op` (facts already checked), returning the target. */
export function moveEnclave(c: Change, e: number, op: EnclaveOp, facts: number): void {
  const en = c.enclave(e);
  const o = tableForKind(en.kind).lookup(en.state, op, facts);
  if (!o.ok) throw new Error(`step bug: enclave ${e} ${en.state} refuses ${op} (${o.code})`);
  c.setEnclaveState(e, o.target);
}

/** Hands relay region `r` to enclave `e`: its pages become private to e (PGL §4.7, OW-6). */
export function giveRelayToEnclave(c: Change, r: number, e: number): void {
  const relay = c.relay(r);
  const op = relay.holder === "host" ? "RELAY_SECURE" : "RELAY_MOVE";
  for (const p of relay.pages) movePage(c, p, op, true, {});
  const prev = relay.holder === "enclave" ? relay.eid : NONE;
  if (prev !== NONE) c.setEnclave(prev, { relays: without(c.enclave(prev).relays, r) });
  c.setRelay(r, { ...relay, holder: "enclave", eid: e, name: "" });
  c.setEnclave(e, { relays: insertSorted(c.enclave(e).relays, r) });
}

/** Returns relay region `r` to the host, unscrubbed: it carries the enclave's output (PGL §3.5). */
export function giveRelayToHost(c: Change, r: number): void {
  const relay = c.relay(r);
  for (const p of relay.pages) movePage(c, p, "RELAY_RETURN", true, {});
  if (relay.holder === "enclave") c.setEnclave(relay.eid, { relays: without(c.enclave(relay.eid).relays, r) });
  c.setRelay(r, { ...relay, holder: "host", eid: NONE, name: "" });
}

/** Scrubs and returns to the host every page of enclave `e` (CS-1), its relay regions, its shm attachment, its slot. */
export function releaseEnclave(c: Change, e: number): void {
  const en = c.enclave(e);
  for (let p = 0; p < c.base.config.pages; p++) {
    const pg = c.page(p);
    if ((pg.owner === "enclave" || pg.owner === "shadowRO") && pg.id === e)
      movePage(c, p, "RELEASE", true, { id: NONE, zeroed: true });
    else if (pg.owner === "kbuffer" && pg.id === e) movePage(c, p, "UNSHARE_WINDOW", true, { id: NONE });
  }
  for (const r of en.relays) giveRelayToHost(c, r);
  if (en.shm !== NONE) {
    const k = c.shm(en.shm);
    c.setShm(en.shm, { ...k, enclaves: without(k.enclaves, e) });
  }
  detachSecureShms(c, e);
  if (en.kind === "server") c.setServers(c.base.servers.filter((x) => x.eid !== e));
  c.unscheduleEverywhere(e);
  c.replaceEnclave(e, freeEnclave);
}

/** Frees secure shm `k` once destroy was asked and nobody is attached: scrubbed, back to the host (IPC-5, CS-1). */
export function freeSecureShmIfUnused(c: Change, k: number): void {
  const seg = c.secureShm(k);
  if (!seg.live || !seg.destroyPending || seg.attached.length > 0) return;
  for (const p of seg.pages) movePage(c, p, "SECURE_SHM_FREE", false, { id: NONE, zeroed: true });
  c.setSecureShm(k, freeSecureShm);
}

/** A dying enclave leaves every secure shm: detached, forgotten by the allow lists, its own segments marked for destroy. */
function detachSecureShms(c: Change, e: number): void {
  for (let k = 0; k < c.base.secureShms.length; k++) {
    const seg = c.secureShm(k);
    if (!seg.live) continue;
    const owner = seg.owner === e;
    if (!owner && !seg.attached.includes(e) && !seg.allowed.includes(e)) continue;
    c.setSecureShm(k, {
      ...seg,
      owner: owner ? NONE : seg.owner,
      destroyPending: seg.destroyPending || owner,
      attached: without(seg.attached, e),
      allowed: without(seg.allowed, e),
    });
    freeSecureShmIfUnused(c, k);
  }
}

/**
 * An unhandled trap in enclave `e` (PGL §2.1): e is killed, the top caller of its chain is
 * killed (the host sees ERROR), servers in between abort the call and return to idle.
 */
export function killChain(c: Change, e: number, hart: number): void {
  const chain: number[] = [e];
  while (c.enclave(chain[0]!).caller !== NONE) chain.unshift(c.enclave(chain[0]!).caller);
  moveEnclave(c, e, "FAULT", 0);
  releaseEnclave(c, e);
  for (const x of chain.slice(0, -1).reverse()) {
    moveEnclave(c, x, "CALLEE_FAULT", 0);
    if (c.enclave(x).state === "free") releaseEnclave(c, x);
    else {
      // the server survives; what its caller lent it goes back to the host, scrubbed
      const en = c.enclave(x);
      for (const p of en.callPages)
        if (c.page(p).owner === "enclave" && c.page(p).id === x) movePage(c, p, "RELEASE", true, { id: NONE, zeroed: true });
      if (en.callRelay !== NONE && c.relay(en.callRelay).eid === x) giveRelayToHost(c, en.callRelay);
      c.setEnclave(x, { caller: NONE, callee: NONE, callPages: [], callRelay: NONE });
    }
  }
  c.setHart(hart, HOST);
}

/** A relay slot freshly split off (PGL §4.7 split_mem_region). */
export function newRelay(creator: number, pages: number[], e: number) {
  return { ...freeRelay, live: true, creator, pages, holder: "enclave" as const, eid: e };
}
