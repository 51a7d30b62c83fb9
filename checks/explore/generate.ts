/**
 * The explorer's event generator: reads the current spec state to choose mostly enabled events —
 * the agent-running hart for enclave actions, a free host hart for host calls, live eids in the
 * right lifecycle state, free host pages shaped as the implementation needs them (a create region is
 * a power-of-two, aligned run) — and now and then a wrong, refused or malicious one (an enclave
 * probing a page it does not own, the host touching private memory, calls in the wrong state,
 * malformed SBI calls). checking-stack.md §1: state-driven generation wastes no steps on rejects.
 */
import { HostFid, MAX_RANDOM_BYTES, PLATFORM_SBI_EXTENSIONS } from "../../model/abi.ts";
import type { Event } from "../../model/events.ts";
import { HOST, NONE, type System } from "../../model/state.ts";
import { between, pick } from "../../spec/gen/rng.ts";
import { normalName, relayEnclaveEvent, relayHostEvent } from "./families/relayGen.ts";
import { secureShmEnclaveEvent } from "./families/secureShmGen.ts";
import { familyEnclaveEvent, familyHostEvent, type FamilyHints } from "./families/index.ts";
import { pageTableEvent } from "./families/pageTableGen.ts";
import { alignedHostRuns, hostPages, hostRuns, indexesWhere, range } from "./families/pageRuns.ts";
import { wrongEid } from "./families/wrongId.ts";

/** What the generator may ask the implementation (addressing it cannot read from the spec state). */
export interface GenerationHints {
  /** Model pages the agent enclave `eid` maps (load) and may store to without harming itself. */
  accessible(eid: number): { load: number[]; store: number[] };
  /** Pages of an agent region (a power of two). */
  regionPages: number;
  /** Image name the agent's measurement stands for. */
  image: string;
  /** What the later event families read (shadow/fork, host shm, heap; families/index.ts). */
  families?: FamilyHints;
}

type Rand = () => number;

/** Public pages that are some enclave's shared window (never named as a report buffer: the host keeps them for the enclave). */
const PUBLIC_WINDOWS = ["shm", "kbuffer", "relayHost"];

/**
 * What the measurement stands for (AT-1): the ELF, and which shared windows the enclave maps —
 * their presence is measured, their content is not.
 */
function imageName(elf: string, kind: string, kbuffer: number, shm: number): string {
  return `${elf}/${kind}${kbuffer !== NONE ? "+kbuffer" : ""}${shm !== NONE ? "+shm" : ""}`;
}

/** Pages private to an enclave. */
function privatePages(s: System): number[] {
  const out: number[] = [];
  for (let p = 0; p < s.pages.length; p++) if (s.pages[p]!.owner === "enclave") out.push(p);
  return out;
}

/** Starts of aligned runs of `n` pages that hold some enclave's pages. */
function enclaveRegions(s: System, n: number): number[] {
  const first = s.config.monitorPages + s.config.ptaPages;
  const out: number[] = [];
  for (let p = first; p + n <= s.pages.length; p += n)
    if (s.pages.slice(p, p + n).some((x) => x.owner === "enclave")) out.push(p);
  return out;
}

function eidsIn(s: System, states: readonly string[]): number[] {
  const out: number[] = [];
  s.enclaves.forEach((e, i) => states.includes(e.state) && out.push(i));
  return out;
}

/** A shm segment nobody uses: the record page of the next agent. */
function unusedShm(s: System): number {
  return s.shms.findIndex((k) => k.live && k.enclaves.length === 0);
}

/** Mostly the enclave key (so that keys of different measurements meet), sometimes the storage key, now and then an unsupported type. */
const keyType = (rand: Rand): number => (rand() < 0.7 ? 0 : rand() < 0.8 ? 1 : 2);

/** One event for the spec state `s`. */
export function generateEvent(s: System, hints: GenerationHints, rand: Rand): Event {
  const enclaveHarts = indexesWhere(s.harts, (e) => e !== HOST);
  const hostHarts = indexesWhere(s.harts, (e) => e === HOST);
  if (enclaveHarts.length && (hostHarts.length === 0 || rand() < 0.5))
    return enclaveEvent(s, hints, rand, pick(rand, enclaveHarts));
  if (hostHarts.length === 0) return { type: "env.timer", hart: between(rand, 0, s.config.harts - 1) };
  const hart = pick(rand, hostHarts);
  const r = rand();
  if (r < 0.08) return adversaryEvent(s, rand, hart);
  if (r < 0.12) return wrongStateEvent(s, rand, hart);
  return hostEvent(s, hints, rand, hart);
}

function hostEvent(s: System, hints: GenerationHints, rand: Rand, hart: number): Event {
  const host = 0;
  const relay = relayHostEvent(s, rand, hart); // families/relayGen.ts
  if (relay) return relay;
  // process 0 answers its own enclaves' ocalls (process 1's: families/secondHost.ts), now and then another's
  const ocalling = eidsIn(s, ["ocalling"]).filter((e) => s.enclaves[e]!.creator === host || rand() < 0.1);
  if (ocalling.length && rand() < 0.8) {
    const eid = pick(rand, ocalling);
    const n = s.enclaves[eid]!.pendingPages;
    const runs = n > 0 ? hostRuns(s, n) : [0];
    const priv = privatePages(s);
    // now and then the host answers with somebody's private page (M16: must be refused)
    if (n > 0 && priv.length && rand() < 0.15) return { type: "host.ocallReturn", hart, host, eid, pages: [pick(rand, priv)] };
    return { type: "host.ocallReturn", hart, host, eid, pages: n > 0 && runs.length ? range(pick(rand, runs), n) : [] };
  }
  const family = () => (hints.families ? familyHostEvent(s, hints.families, rand, hart) : undefined);
  const options: (() => Event | undefined)[] = [
    family,
    family,
    () => {
      const k = unusedShm(s);
      if (k === NONE) {
        const free = hostPages(s);
        return free.length ? { type: "host.shmget", hart, host, pages: [pick(rand, free)] } : undefined;
      }
      const runs = alignedHostRuns(s, hints.regionPages);
      const priv = privatePages(s);
      const taken = enclaveRegions(s, hints.regionPages);
      // malicious: a region over another enclave's pages (M09), a kbuffer that is private (M17)
      const overlap = taken.length > 0 && rand() < 0.1;
      if (!runs.length && !overlap) return undefined;
      const pages = range(overlap ? pick(rand, taken) : pick(rand, runs), hints.regionPages);
      const kb = hostPages(s, pages);
      const kbuffer = priv.length && rand() < 0.12 ? pick(rand, priv) : kb.length ? pick(rand, kb) : NONE;
      // a server (named; no kbuffer of its own — now and then one anyway, which must be refused)
      if (rand() < 0.3 && s.config.names.length) {
        const name = pick(rand, s.config.names);
        const kb2 = rand() < 0.1 ? kbuffer : NONE;
        const image = imageName(hints.image, "server", kb2, k);
        return { type: "host.create", hart, host, kind: "server", name, image, pages, textPages: 0, shm: k, kbuffer: kb2 };
      }
      return {
        type: "host.create",
        hart,
        host,
        kind: "normal",
        name: normalName(rand), // the relay pipeline's target now and then
        image: imageName(hints.image, "normal", kbuffer, k),
        pages,
        textPages: 0,
        shm: k,
        kbuffer,
      };
    },
    () => {
      const fresh = eidsIn(s, ["fresh"]);
      return fresh.length ? { type: "host.run", hart, host, eid: pick(rand, fresh), inherit: false } : undefined;
    },
    () => {
      const runnable = eidsIn(s, ["runnable"]);
      return runnable.length ? { type: "host.resume", hart, host, eid: pick(rand, runnable), reason: "timer" } : undefined;
    },
    () => {
      const stopped = eidsIn(s, ["stopped"]);
      return stopped.length ? { type: "host.resume", hart, host, eid: pick(rand, stopped), reason: "stop" } : undefined;
    },
    () => {
      const live = eidsIn(s, ["fresh", "running", "runnable", "stopped", "blocked"]); // blocked: refused (IPC-2)
      return live.length ? { type: "host.stop", hart, host, eid: pick(rand, live) } : undefined;
    },
    () => {
      // blocked: refused (IPC-2, M39); idle servers less often (they are there to be called)
      const live = eidsIn(s, [
        "fresh",
        "running",
        "runnable",
        "stopped",
        "ocalling",
        "blocked",
        ...(rand() < 0.3 ? ["idle"] : []),
      ]);
      return live.length && rand() < 0.5 ? { type: "host.destroy", hart, host, eid: pick(rand, live) } : undefined;
    },
    () => {
      const live = eidsIn(s, ["fresh", "running", "runnable", "stopped", "ocalling"]);
      if (!live.length) return undefined;
      // now and then the host names the report's page: its own, or a private one (refused: SP-2, M21)
      const priv = indexesWhere(s.pages, (p) => p.owner !== "host" && !PUBLIC_WINDOWS.includes(p.owner));
      const own = hostPages(s);
      const q = rand();
      const report = q < 0.15 && own.length ? pick(rand, own) : q < 0.3 && priv.length ? pick(rand, priv) : undefined;
      return {
        type: "host.attest",
        hart,
        host,
        eid: pick(rand, live),
        nonce: between(rand, 0, 99),
        ...(report === undefined ? {} : { report }),
      };
    },
  ];
  for (let tries = 0; tries < 8; tries++) {
    const ev = pick(rand, options)();
    if (ev) return ev;
  }
  return adversaryEvent(s, rand, hart);
}

/** A host call aimed at an enclave in a state that does not allow it, or at no enclave at all. */
function wrongStateEvent(s: System, rand: Rand, hart: number): Event {
  const host = 0;
  // mostly a live enclave (in whatever state it is), sometimes a free slot, sometimes just out of range (SP-3)
  const live = indexesWhere(s.enclaves, (e) => e.state !== "free");
  const eid = wrongEid(s, rand, live, [-1, s.config.enclaves, s.config.enclaves + 1, 2 ** 31 - 1], 0.6, 0.9);
  const r = rand();
  if (r < 0.2) return { type: "host.run", hart, host, eid, inherit: false };
  if (r < 0.4) return { type: "host.resume", hart, host, eid, reason: rand() < 0.5 ? "timer" : "stop" };
  if (r < 0.55) return { type: "host.stop", hart, host, eid };
  if (r < 0.7) return { type: "host.destroy", hart, host, eid };
  if (r < 0.85) return { type: "host.attest", hart, host, eid, nonce: 1 };
  return { type: "host.ocallReturn", hart, host, eid, pages: [] };
}

function adversaryEvent(s: System, rand: Rand, hart: number): Event {
  const host = 0;
  if (rand() < 0.3) return pageTableEvent(s, rand, hart); // families/pageTableGen.ts
  if (rand() < 0.75) {
    // private pages (enclave, monitor) and the page-table area are the interesting targets (MI-4, PT-2)
    const priv = indexesWhere(s.pages, (p) => p.owner !== "host");
    const page = priv.length && rand() < 0.8 ? pick(rand, priv) : between(rand, 0, s.config.pages - 1);
    return { type: "adversary.touch", hart, host, page, write: rand() < 0.5 };
  }
  const fid = rand() < 0.5 ? pick(rand, [HostFid.SM_INIT, HostFid.PT_AREA_SEPARATION]) : between(rand, 0, 60);
  return { type: "adversary.sbi", hart, host, fid, args: [between(rand, 0, 3)] };
}

function enclaveEvent(s: System, hints: GenerationHints, rand: Rand, hart: number): Event {
  const eid = s.harts[hart]!;
  const fam = rand(); // families/relayGen.ts, families/secureShmGen.ts
  const famEv = fam < 0.3 ? relayEnclaveEvent(s, rand, hart) : fam < 0.45 ? secureShmEnclaveEvent(s, rand, hart) : undefined;
  if (famEv) return famEv;
  const heap = hints.families && fam < 0.53 ? familyEnclaveEvent(s, hints.families, rand, hart) : undefined; // sbrk, unmap
  if (heap) return heap;
  const r = rand();
  if (r < 0.03) return wrongStateEvent(s, rand, hart); // a host-only call made by the enclave (LC-3, M01)
  // a platform SBI call: the enclave is killed (SP-5, M25)
  if (r < 0.045) return { type: "enclave.platformSbi", hart, ext: pick(rand, PLATFORM_SBI_EXTENSIONS) };
  if (r < 0.1) return { type: "env.timer", hart };
  if (r < 0.35) {
    const { load, store } = hints.accessible(eid);
    const q = rand();
    if (q < 0.4 && store.length) return { type: "enclave.access", hart, page: pick(rand, store), write: true };
    if (q < 0.8 && load.length) return { type: "enclave.access", hart, page: pick(rand, load), write: false };
    // a probe of a page that is not its own: it must fault (MI-5) — from a server inside a call, the
    // whole chain goes (spec killChain, monitor killCallChain)
    const foreign = indexesWhere(s.pages, (p, i) => !load.includes(i) && !(p.owner === "enclave" && p.id === eid));
    return { type: "enclave.access", hart, page: pick(rand, foreign), write: rand() < 0.5 };
  }
  const en = s.enclaves[eid]!;
  if (en.caller !== NONE && rand() < 0.08) {
    // a server that faults inside a call: the whole chain goes (spec killChain, monitor killCallChain)
    const mine = hints.accessible(eid).load;
    const foreign = indexesWhere(s.pages, (p, i) => !mine.includes(i) && !(p.owner === "enclave" && p.id === eid));
    if (foreign.length) return { type: "enclave.access", hart, page: pick(rand, foreign), write: false };
  }
  // inside a call: a server's measurement differs from its callers' (its keys must too: AT-5, M37), and
  // its caller id is the real caller (IPC-4)
  if (en.caller !== NONE && rand() < 0.2)
    return rand() < 0.5 ? { type: "enclave.getKey", hart, keyType: keyType(rand) } : { type: "enclave.getCallerId", hart };
  if (en.kind === "server" && en.caller !== NONE && rand() < 0.3) {
    const { store } = hints.accessible(eid);
    const respPages = store.length && rand() < 0.3 ? [pick(rand, store)] : [];
    return { type: "enclave.serverReturn", hart, respPages, value: between(rand, 0, 99) };
  }
  // calls to an idle server are worth many steps: what a server does inside a call (nested calls,
  // probes that kill the chain, returns with response regions) only happens there
  const idleServer = s.servers.some((x) => x.eid !== eid && s.enclaves[x.eid]!.state === "idle");
  if ((r < 0.42 || (idleServer && rand() < 0.25)) && s.servers.length) {
    const q = rand();
    if (q < 0.3) return { type: "enclave.acquireServer", hart, name: rand() < 0.9 ? pick(rand, s.servers).name : "nobody" };
    const server = rand() < 0.9 ? pick(rand, s.servers).eid : between(rand, 0, s.config.enclaves - 1);
    const { store } = hints.accessible(eid);
    const reqPages = store.length && rand() < 0.4 ? [pick(rand, store)] : [];
    return { type: "enclave.callServer", hart, server, reqPages, reqRelay: NONE };
  }
  if (r < 0.45) return { type: "enclave.getEnclaveId", hart };
  if (r < 0.5) return { type: "enclave.getCallerId", hart };
  if (r < 0.57) {
    // now and then a size at or over the bound (SP-4, M24) or none
    const size =
      rand() < 0.85 ? between(rand, 1, 64) : pick(rand, [0, MAX_RANDOM_BYTES, MAX_RANDOM_BYTES + 1, 2 * MAX_RANDOM_BYTES]);
    return { type: "enclave.getRandom", hart, size };
  }
  // sealing keys: every enclave asks now and then, so keys of different measurements meet (AT-5, M37)
  if (r < 0.64 || rand() < 0.06) return { type: "enclave.getKey", hart, keyType: keyType(rand) };
  if (r < 0.72) return { type: "enclave.yield", hart };
  if (r < 0.8) return { type: "enclave.print", hart };
  if (r < 0.9) return { type: "enclave.mmap", hart, count: 1 };
  return { type: "enclave.exit", hart, retval: between(rand, 0, 99) };
}
