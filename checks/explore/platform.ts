/**
 * The implementation side of one checked step (design.md "One checked step"): a booted platform —
 * RV64 machine, secure monitor, host kernel — and the page window the model sees. Model page i is a
 * physical page: the first pages of the SM region, then page-table-area pages, then a window of the
 * host's free memory from which every page the checker hands around is taken. Host-private pages
 * (the driver's parameter pages) lie outside the window, so the model never sees them.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { bootPlatform, type Platform } from "../../impl/host/boot.ts";
import { PenglaiDriver } from "../../impl/host/penglaiDriver.ts";
import { abstractState, type HostShmSegment } from "../../impl/abstraction.ts";
import type { System } from "../../model/state.ts";
import { RelayHost } from "./families/relayHost.ts";
import { Remembered } from "../../impl/remembered.ts";

const PAGE = 4096n;

/** A file of this repository, found from this module whether it runs from source or from the CLI's bundle. */
function repoFile(rel: string): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    if (existsSync(join(dir, rel))) return join(dir, rel);
    if (dirname(dir) === dir) throw new Error(`cannot find ${rel} above ${fileURLToPath(import.meta.url)}`);
  }
}

/** The agent enclave (impl/eapp/demos/agent): every enclave action of the checker is one of its commands. */
export const AGENT_ELF = new Uint8Array(readFileSync(repoFile("impl/eapp/bin/agent.elf")));

export interface PlatformConfig {
  harts: number;
  /** Host pages in the model's window (the rest of host memory is the driver's own). */
  windowPages: number;
  /** Monitor enclave slots. */
  enclaves: number;
  /** Host shm ids of the model. */
  shms: number;
  /** Seed of the machine's hart interleaving. */
  seed: number;
  /** Relay (Schrödinger) ids and secure shm ids of the model (families/relay*.ts, families/secureShm*.ts). */
  relays: number;
  secureShms: number;
}

export const defaultPlatformConfig: PlatformConfig = {
  harts: 2,
  windowPages: 256,
  enclaves: 4,
  shms: 6,
  seed: 1,
  relays: 4,
  secureShms: 3,
};

/** Model pages taken from the SM region and from the page-table area. */
export const MONITOR_PAGES = 2;
export const PTA_PAGES = 2;

export class CheckedPlatform {
  readonly p: Platform;
  readonly driver: PenglaiDriver;
  /** PA of model page i. */
  readonly pas: readonly bigint[];
  private readonly index: ReadonlyMap<bigint, number>;
  /** Host shm segments by model shm id (host-side objects, PLenclave_shmget). */
  readonly shms: (HostShmSegment | null)[];
  /** Page-table roots of the host processes (families/secondHost.ts); empty: the kernel's one root. */
  readonly hostRoots: bigint[] = [];
  /** The host's Schrödinger regions and set_mem_arg bindings by model relay id. */
  readonly relayHost: RelayHost;

  constructor(readonly config: PlatformConfig) {
    this.p = bootPlatform({ harts: config.harts, ramSize: 16 << 20, seed: config.seed }, { maxEnclaves: config.enclaves });
    this.driver = new PenglaiDriver(this.p.kernel);
    const k = this.p.kernel;
    const L = k.layout;
    let size = PAGE;
    while (size < BigInt(config.windowPages) * PAGE) size <<= 1n;
    const window = k.allocPages(size); // the window is one block of the host's memory; the checker places pages in it
    const sm = [0n, 1n].map((i) => L.ramBase + i * PAGE);
    // the last pages of the page-table area: never used by the host's own tables
    const pta = [2n, 1n].map((i) => L.ptArea.base + L.ptArea.size - i * PAGE);
    ({ pas: this.pas, index: this.index } = pageWindow([...sm, ...pta], window, config.windowPages));
    this.shms = new Array(config.shms).fill(null);
    this.relayHost = new RelayHost(config.relays);
    // no host timer: every preemption is an explicit env.timer event
    for (let h = 0; h < config.harts; h++) this.setTimer(h, false);
  }

  /** PA of model page `page`, or undefined outside the model. */
  pa(page: number): bigint | undefined {
    return Number.isInteger(page) && page >= 0 && page < this.pas.length ? this.pas[page] : undefined;
  }

  /** Model page of `pa`, or undefined. */
  page(pa: bigint): number | undefined {
    return this.index.get(pa - (pa % PAGE));
  }

  /** α of the platform in the model's terms. */
  abstract(names: string[], zeroedPages?: (page: number) => boolean): System {
    return abstractState(this.p, {
      zeroedPages,
      pageMap: { pas: this.pas, monitorPages: MONITOR_PAGES, ptaPages: PTA_PAGES },
      hostShms: this.shms,
      ...(this.hostRoots.length ? { hostRoots: this.hostRoots } : {}),
      hostRelays: this.relayHost.regions,
      memArgs: this.relayHost.memArgs(this.p.monitor.state.enclaves),
      names,
      relays: this.config.relays,
      secureShms: this.config.secureShms,
    });
  }

  /** Arm (fire now) or disarm the M timer of hart `h` directly in the CLINT: the environment's timer. */
  setTimer(h: number, fire: boolean): void {
    this.p.machine.clint.store(0x4000 + 8 * h, 8, fire ? 0n : (1n << 64n) - 1n);
  }
}

/**
 * The model's page map: `fixed` pages, then `count` pages from `window`, with its index by PA. Every
 * boot of a run lays the platform out alike, so the same map (the same array) serves every run, and
 * what α derives from it (abstraction.ts, remembered per array) is derived once.
 */
function pageWindow(
  fixed: readonly bigint[],
  window: bigint,
  count: number,
): { pas: readonly bigint[]; index: ReadonlyMap<bigint, number> } {
  return pageWindows.get(`${fixed.join(",")}|${window}|${count}`, () => {
    const pas = Object.freeze([...fixed, ...Array.from({ length: count }, (_, i) => window + BigInt(i) * PAGE)]);
    return { pas, index: new Map(pas.map((pa, i) => [pa, i])) };
  });
}
const pageWindows = new Remembered<{ pas: readonly bigint[]; index: ReadonlyMap<bigint, number> }>(16);
