/**
 * Shadow enclaves and fork (PGL §3.4): PLenclave_create of a shadow (the agent's image loaded without
 * a stack, never run), SBI_RUN_SHADOW_ENCLAVE forking an instance that runs at once on the hart, the
 * run / attest / destroy of shadows and instances — destroying a shadow is refused while instances
 * live (IPC-6, design.md). Now and then a fork from a non-shadow, a free or out-of-range slot, into a
 * region too small or over private pages, and runs of what cannot run.
 *
 * An instance is driven like any agent: its command record is a host page outside the model's window
 * (the model's fork names no shm, so α must not see one), as are its run parameters and mailbox.
 */
import { HostFid } from "../../../model/abi.ts";
import type { Event, EventOf } from "../../../model/events.ts";
import { err, ok, type Result } from "../../../model/result.ts";
import { NONE, type System } from "../../../model/state.ts";
import { between, pick } from "../../../spec/gen/rng.ts";
import { loadEnclaveAt, type LoadedEnclave } from "../../../impl/host/enclaveLoader.ts";
import { HostFault } from "../../../impl/host/sModePort.ts";
import { EnclaveType, KBUFFER_SIZE, ShadowRunParam } from "../../../impl/abi/enclaveAbi.ts";
import { Handback, REC } from "../../../impl/eapp/agentRecord.ts";
import type { FamilyExecutor, FamilyHost } from "./familyHost.ts";
import type { ShadowLayout } from "./shadowLayout.ts";
import { alignedHostRuns, alignedTakenRuns, eidsIn, hostPages, range } from "./pageRuns.ts";
import { wrongEid } from "./wrongId.ts";

type Rand = () => number;
const PAGE = 4096n;
const MAILBOX = 0x100n;

/** What the shadow generator needs beyond the spec state. */
export interface ShadowHints {
  regionPages: number;
  /** Image name of the agent (its shadow's image is `${image}/shadow`). */
  image: string;
  layout: ShadowLayout;
}

/** Pages of a shadow create at aligned run `p`: the read-only text first (the spec's `textPages`), then the rest. */
export function shadowPages(p: number, h: ShadowHints): number[] {
  const ro = h.layout.roOffsets.map((o) => p + o);
  return [...ro, ...range(p, h.regionPages).filter((x) => !ro.includes(x))];
}

/** One event of the shadow family by host 0, or undefined if nothing fits the state. */
export function shadowEvent(s: System, h: ShadowHints, rand: Rand, hart: number): Event | undefined {
  const host = 0;
  const shadows = eidsIn(s, ["ready"], "shadow");
  const instances = s.enclaves.flatMap((e, i) => (e.kind === "instance" ? [i] : []));
  const q = rand();
  if (q < 0.3 || (q < 0.65 && !shadows.length)) {
    const runs = alignedHostRuns(s, h.regionPages);
    if (!runs.length) return undefined;
    const pages = shadowPages(pick(rand, runs), h);
    const image = `${h.image}/shadow`;
    const ev: EventOf<"host.create"> = {
      ...{ type: "host.create", hart, host, kind: "shadow", name: "", image, pages },
      ...{ textPages: h.layout.roOffsets.length, shm: NONE, kbuffer: NONE },
    };
    // a shadow maps no shared window of its own (PGL §3.4): refused with one
    if (rand() < 0.1) {
      const kb = hostPages(s, pages);
      if (kb.length) return { ...ev, kbuffer: pick(rand, kb), image: `${image}+kbuffer` };
    }
    return ev;
  }
  if (q < 0.65) return fork(s, h, rand, hart, pick(rand, shadows));
  if (q < 0.8) {
    // destroy a shadow, mostly one with instances (SHADOW_HAS_INSTANCES), or an instance
    const withKids = shadows.filter((sh) => instances.some((i) => s.enclaves[i]!.parent === sh));
    const eid =
      withKids.length && rand() < 0.5
        ? pick(rand, withKids)
        : instances.length && rand() < 0.4
          ? pick(rand, instances)
          : shadows.length
            ? pick(rand, shadows)
            : undefined;
    return eid === undefined ? undefined : { type: "host.destroy", hart, host, eid };
  }
  if (q < 0.85 && shadows.length)
    return { type: "host.attest", hart, host, eid: pick(rand, shadows), nonce: between(rand, 0, 99) };
  if (q < 0.92) {
    // run: a shadow (never runnable), an instance (never fresh), a fresh enclave, now and then taking the relays pending for its name (inherit)
    const fresh = eidsIn(s, ["fresh"]);
    const all = [...shadows, ...instances, ...fresh, ...fresh];
    return all.length ? { type: "host.run", hart, host, eid: pick(rand, all), inherit: rand() < 0.3 } : undefined;
  }
  // a fork that must be refused: from a non-shadow, a free slot, an id out of range
  const live = s.enclaves.flatMap((e, i) => (e.kind !== "none" && e.kind !== "shadow" ? [i] : []));
  return fork(s, h, rand, hart, wrongEid(s, rand, live, [-1, s.config.enclaves], 0.5, 0.8));
}

/** A fork of `shadow` into a fresh aligned region (now and then too small, or over private pages). */
function fork(s: System, h: ShadowHints, rand: Rand, hart: number, shadow: number): Event | undefined {
  const r = rand();
  const n = r < 0.08 ? h.regionPages / 2 : h.layout.forkPages; // too small: fewer pages than copies + stack
  const runs = r > 0.92 ? alignedTakenRuns(s, n) : alignedHostRuns(s, n);
  if (!runs.length) return undefined;
  const pages = range(pick(rand, runs), n);
  const kb = hostPages(s, pages);
  const q = rand();
  // now and then a window that is one of the region's own pages (a shape error) or a private page (not the host's)
  const priv = s.pages.flatMap((p, i) => (p.secure ? [i] : []));
  const kbuffer =
    q < 0.05 ? pick(rand, pages) : q < 0.1 && priv.length ? pick(rand, priv) : kb.length && q < 0.75 ? pick(rand, kb) : NONE;
  return { type: "host.fork", hart, host: 0, shadow, name: "", pages, kbuffer };
}

/** The host's side: create a shadow over a laid-out region, fork instances and register them as agents. */
export class ShadowExecutor implements FamilyExecutor {
  private loaded: LoadedEnclave | undefined;

  constructor(
    private readonly host: FamilyHost,
    private readonly elf: Uint8Array,
  ) {}

  private get k() {
    return this.host.platform.p.kernel;
  }

  /** The pages as one region, whatever their order (a shadow's pages list its text first). */
  private region(pages: readonly number[]): { pa: bigint; size: bigint } | undefined {
    const pas = pages.map((p) => this.host.platform.pa(p));
    if (!pas.length || pas.some((x) => x === undefined)) return undefined;
    const sorted = (pas as bigint[]).slice().sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    for (let i = 1; i < sorted.length; i++) if (sorted[i] !== sorted[0]! + BigInt(i) * PAGE) return undefined;
    return { pa: sorted[0]!, size: BigInt(sorted.length) * PAGE };
  }

  prepare(ev: Event): number[] | undefined {
    if (ev.type !== "host.create" || ev.kind !== "shadow") return undefined;
    this.loaded = undefined;
    const region = this.region(ev.pages);
    if (!region || this.host.running(ev.hart) !== NONE) return [];
    if (ev.pages.some((p) => this.host.inLiveWindow(this.host.platform.pa(p)!))) return [];
    try {
      this.loaded = loadEnclaveAt(this.k, this.elf, region.pa, region.size, 0n, ev.hart); // a shadow has no stack (PGL §3.4)
    } catch (e) {
      if (!(e instanceof HostFault) && !(e instanceof RangeError)) throw e; // not the host's to write: it asks anyway
    }
    return [...ev.pages];
  }

  exec(ev: Event): Result | undefined {
    if (ev.type === "host.create" && ev.kind === "shadow") return this.create(ev);
    if (ev.type === "host.fork") return this.fork(ev);
    return undefined;
  }

  private create(ev: EventOf<"host.create">): Result {
    const region = this.region(ev.pages);
    const kbuffer = ev.kbuffer === NONE ? 0n : this.host.platform.pa(ev.kbuffer);
    const shm = ev.shm === NONE ? undefined : this.host.platform.shms[ev.shm];
    if (!region || kbuffer === undefined) return err("INVALID_ID");
    if (ev.shm !== NONE && !shm) return err("NO_SUCH_SHM");
    const loaded =
      this.loaded?.paddr === region.pa
        ? this.loaded
        : { paddr: region.pa, size: region.size, entry: 0x1000n, freeMem: region.pa + 3n * PAGE };
    this.loaded = undefined;
    const eid = this.host.platform.driver.create(this.elf, {
      type: EnclaveType.SHADOW,
      shm: shm ? { pa: shm.pas[0]!, size: BigInt(shm.pas.length) * PAGE } : undefined,
      placed: { region: loaded, kbuffer },
      hart: ev.hart,
    });
    return eid < 0 ? this.host.answer(BigInt(eid)) : ok("SUCCESS", eid);
  }

  /** SBI_RUN_SHADOW_ENCLAVE with a run parameter block in a host page outside the model (PGL §1.4). */
  private fork(ev: EventOf<"host.fork">): Result {
    const h = ev.hart;
    const region = this.region(ev.pages);
    const kbufferPa = ev.kbuffer === NONE ? undefined : this.host.platform.pa(ev.kbuffer);
    if (!region || (ev.kbuffer !== NONE && kbufferPa === undefined)) return err("INVALID_ID");
    const k = this.k;
    const hidden = [k.allocPages(PAGE), k.allocPages(PAGE), ...(kbufferPa === undefined ? [k.allocPages(PAGE)] : [])];
    for (const pa of hidden) k.zero(pa, PAGE, h);
    const [paramPage, record] = hidden as [bigint, bigint];
    const kbuffer = kbufferPa ?? hidden[2]!;
    k.write64(record + BigInt(REC.HANDBACK), Handback.SPIN, h); // the agent polls; control returns by timer
    const cells = paramPage + MAILBOX;
    const param = new Uint8Array(ShadowRunParam.SIZE);
    const v = new DataView(param.buffer);
    const set = (o: number, x: bigint): void => v.setBigUint64(o, x, true);
    set(ShadowRunParam.freePage, region.pa);
    set(ShadowRunParam.size, region.size);
    set(ShadowRunParam.eidPtr, cells + 40n);
    set(ShadowRunParam.kbuffer, kbuffer);
    set(ShadowRunParam.kbufferSize, KBUFFER_SIZE);
    set(ShadowRunParam.shmPaddr, record);
    set(ShadowRunParam.shmSize, PAGE);
    [ShadowRunParam.ecallArg0, ShadowRunParam.ecallArg1, ShadowRunParam.ecallArg2, ShadowRunParam.ecallArg3].forEach((o, i) =>
      set(o, cells + 8n * BigInt(i)),
    );
    set(ShadowRunParam.retval, cells + 32n);
    param.set(new TextEncoder().encode(ev.name.slice(0, 15)), ShadowRunParam.name);
    k.writeBytes(paramPage, param, h);
    k.write64(cells + 40n, (1n << 32n) - 1n, h);
    // the checker registers the agent under the slot the monitor will take, so the step can settle on it
    const slot = this.host.platform.p.monitor.state.enclaves.findIndex((e) => e === null);
    const before = this.host.agent(slot);
    if (slot >= 0) this.host.addAgent({ eid: slot, record, paramPage, mmapped: [] });
    this.host.platform.setTimer(h, false);
    const r = this.host.hostCall(h, HostFid.RUN_SHADOW_ENCLAVE, [BigInt(ev.shadow), paramPage]);
    if (r === null) {
      // hart h's host is inside the RUN call (the instance runs there): the checker reads the eid cell itself
      const eid = Number(this.host.platform.p.machine.mem.read64(cells + 40n) & 0xffffffffn);
      if (eid !== slot) throw new Error(`fork: the instance got slot ${eid}, not ${slot}`);
      this.host.setEntered(h, eid);
      return ok("SUCCESS", eid);
    }
    if (slot >= 0) this.host.dropAgent(slot, before);
    for (const pa of hidden) k.freePages(pa, PAGE);
    return this.host.answer(r);
  }
}
