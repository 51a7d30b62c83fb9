/**
 * A second host process (LC-3, M08; design.md "every host operation on an enclave requires its
 * creator"). The monitor knows a host process by its page-table root (satp, PGL §3.2 host_ptbr); the
 * S-mode kernel gives process 1 a root of its own: a second PGD page in the page-table area's PGD
 * sub-area, filled with SET_PTE's memcpy from process 0's root (pgd_alloc copies the kernel half),
 * so both see the same memory. Before a host event the hart switches to the event's process (a
 * trapped csrw satp, checked by the monitor: PT-1).
 *
 * Process 1 makes its own segments and enclaves and drives them; now and then it drives process 0's
 * enclaves and segments, and process 0 drives its — all refused (NOT_CREATOR, NO_SUCH_SHM).
 */
import { HostFid } from "../../../model/abi.ts";
import type { Event } from "../../../model/events.ts";
import { NONE, type System } from "../../../model/state.ts";
import { between, pick } from "../../../spec/gen/rng.ts";
import { SetPteFlag } from "../../../impl/monitor/gpt/setPte.ts";
import type { CheckedPlatform } from "../platform.ts";
import { alignedHostRuns, eidsIn, hostPages, hostRuns, range } from "./pageRuns.ts";

type Rand = () => number;
const PAGE = 4096n;
const SATP_SV39 = 8n << 60n;

/** The host processes' page-table roots, and which one each hart runs. */
export class HostProcesses {
  /** Root (PGD page) of process i. */
  readonly roots: bigint[];
  private readonly current: number[];

  constructor(private readonly cp: CheckedPlatform) {
    const k = cp.p.kernel;
    const root1 = k.root + PAGE; // the PGD sub-area's second page: the kernel took only the first
    const r = k.sbi(HostFid.SET_PTE, [BigInt(SetPteFlag.MEMCPY), root1, k.root, PAGE]);
    if (r !== 0n) throw new Error(`SET_PTE could not build the second process's root: ${r}`);
    this.roots = [k.root, root1];
    this.current = new Array<number>(cp.config.harts).fill(0);
  }

  /** Hart h runs the host routines of process `host` from now on; false if there is no such process. */
  select(h: number, host: number): boolean {
    if (!Number.isInteger(host) || host < 0 || host >= this.roots.length) return false;
    if (this.current[h] === host) return true;
    const port = this.cp.p.kernel.ports[h]!;
    port.exec("writeSatp", { 10: SATP_SV39 | (this.roots[host]! / PAGE) });
    port.exec("sfence");
    this.current[h] = host;
    return true;
  }
}

/** What the second process's generator needs: the agent's region size and image name. */
export interface SecondHostHints {
  regionPages: number;
  image: string;
  /** Pages of a fork region (shadowLayout.ts). */
  forkPages: number;
}

const LIVE = ["fresh", "running", "runnable", "stopped", "ocalling", "blocked", "idle", "ready"];

/** An event of host process 1 (its own work), or one process aimed at the other's objects. */
export function secondHostEvent(s: System, h: SecondHostHints, rand: Rand, hart: number): Event | undefined {
  const host = 1;
  const mine = (e: number) => s.enclaves[e]!.creator === host;
  const own = eidsIn(s, LIVE).filter(mine);
  const theirs = eidsIn(s, LIVE).filter((e) => !mine(e));
  const q = rand();
  // process 1's ocalls and preemptions are its own to answer (process 0's generator never is)
  const waiting = own.filter((e) => ["ocalling", "runnable", "stopped", "fresh"].includes(s.enclaves[e]!.state));
  if (waiting.length && q < 0.35) {
    const eid = pick(rand, waiting);
    const en = s.enclaves[eid]!;
    if (en.state === "fresh") return { type: "host.run", hart, host, eid, inherit: false };
    if (en.state === "stopped") return { type: "host.resume", hart, host, eid, reason: "stop" };
    if (en.state === "runnable") return { type: "host.resume", hart, host, eid, reason: "timer" };
    const runs = en.pendingPages > 0 ? hostRuns(s, en.pendingPages) : [];
    const pages = en.pendingPages > 0 && runs.length ? range(pick(rand, runs), en.pendingPages) : [];
    return { type: "host.ocallReturn", hart, host, eid, pages };
  }
  if (q < 0.6 && own.length === 0 && rand() < 0.4) {
    // a segment of its own for the record, then an agent over it (one at a time: process 0's calls on it are refused)
    const seg = s.shms.findIndex((k) => k.live && k.creator === host && k.enclaves.length === 0);
    if (seg === NONE) {
      const free = hostPages(s);
      return free.length ? { type: "host.shmget", hart, host, pages: [pick(rand, free)] } : undefined;
    }
    const runs = alignedHostRuns(s, h.regionPages);
    if (!runs.length) return undefined;
    const pages = range(pick(rand, runs), h.regionPages);
    const kb = hostPages(s, pages);
    if (!kb.length) return undefined;
    const image = `${h.image}/normal+kbuffer+shm`;
    return {
      type: "host.create",
      hart,
      host,
      kind: "normal",
      name: "",
      image,
      pages,
      textPages: 0,
      shm: seg,
      kbuffer: pick(rand, kb),
    };
  }
  if (q < 0.75 && own.length) {
    const eid = pick(rand, own);
    return rand() < 0.7
      ? { type: "host.destroy", hart, host, eid }
      : { type: "host.attest", hart, host, eid, nonce: between(rand, 0, 99) };
  }
  // across processes: one drives the other's enclave or segment (refused: NOT_CREATOR, NO_SUCH_SHM)
  const [actor, targets] = rand() < 0.6 ? [1, theirs] : [0, own];
  const segs = s.shms.flatMap((k, i) => (k.live && k.creator !== actor ? [i] : []));
  const r = rand();
  if (r < 0.2 && segs.length) {
    const shm = pick(rand, segs);
    return pick(rand, [
      { type: "host.shmat", hart, host: actor, shm },
      { type: "host.shmdt", hart, host: actor, shm },
      { type: "host.shmctl", hart, host: actor, shm },
    ] as Event[]);
  }
  if (!targets.length) return undefined;
  const eid = pick(rand, targets);
  const ev: Event[] = [
    { type: "host.stop", hart, host: actor, eid },
    { type: "host.resume", hart, host: actor, eid, reason: rand() < 0.5 ? "timer" : "stop" },
    { type: "host.destroy", hart, host: actor, eid },
    { type: "host.attest", hart, host: actor, eid, nonce: 1 },
    { type: "host.run", hart, host: actor, eid, inherit: false },
    { type: "host.ocallReturn", hart, host: actor, eid, pages: [] },
  ];
  if (s.enclaves[eid]!.kind === "shadow") {
    const runs = alignedHostRuns(s, h.forkPages);
    const pages = runs.length ? range(pick(rand, runs), h.forkPages) : [];
    if (pages.length) ev.push({ type: "host.fork", hart, host: actor, shadow: eid, name: "", pages, kbuffer: NONE });
  }
  return pick(rand, ev);
}
