/**
 * The event families wired into the explorer after its first version (shadow/fork, host shm, heap and
 * donations): one generator entry for host events, one for enclave events, and one executor that asks
 * each family's in turn. generate.ts and implementation.ts call these through small hooks.
 */
import type { Event } from "../../../model/events.ts";
import type { Result } from "../../../model/result.ts";
import type { System } from "../../../model/state.ts";
import type { AgentRef, FamilyCommand, FamilyExecutor, FamilyHost } from "./familyHost.ts";
import { HostShmExecutor, hostShmEvent } from "./hostShmEvents.ts";
import { ShadowExecutor, shadowEvent, type ShadowHints } from "./shadowEvents.ts";
import { shadowLayout } from "./shadowLayout.ts";
import { HeapExecutor, heapEvent, memoryExtendEvent, type HeapHints } from "./heapEvents.ts";
import { HostProcesses, secondHostEvent, type SecondHostHints } from "./secondHost.ts";

type Rand = () => number;

/** What the family generators read beyond the spec state. */
export interface FamilyHints {
  shadow: ShadowHints;
  heap: HeapHints;
  second: SecondHostHints;
}

/** A host event of one of the families on host hart `hart`, or undefined if none fits. */
export function familyHostEvent(s: System, hints: FamilyHints, rand: Rand, hart: number): Event | undefined {
  const q = rand();
  if (q < 0.3) return secondHostEvent(s, hints.second, rand, hart);
  if (q < 0.6) return shadowEvent(s, hints.shadow, rand, hart);
  if (q < 0.87) return hostShmEvent(s, rand, hart);
  return memoryExtendEvent(s, rand, hart); // pages donated are the monitor's for good: not too often
}

/** An enclave event of one of the families for the enclave on `hart`, or undefined. */
export function familyEnclaveEvent(s: System, hints: FamilyHints, rand: Rand, hart: number): Event | undefined {
  return heapEvent(s, hints.heap, rand, hart);
}

/** Every family's executor, asked in turn. */
export class FamilyExecutors {
  private readonly all: FamilyExecutor[];
  private readonly heap: HeapExecutor;
  /** The host processes (families/secondHost.ts). */
  readonly processes: HostProcesses;

  constructor(
    host: FamilyHost,
    private readonly elf: Uint8Array,
  ) {
    this.heap = new HeapExecutor(host);
    this.processes = new HostProcesses(host.platform);
    host.platform.hostRoots.push(...this.processes.roots); // α names each enclave's creating process
    this.all = [new ShadowExecutor(host, elf), new HostShmExecutor(host, () => host.agents()), this.heap];
  }

  prepare(ev: Event): number[] | undefined {
    for (const f of this.all) {
      const r = f.prepare?.(ev);
      if (r) return r;
    }
    return undefined;
  }

  exec(ev: Event): Result | undefined {
    for (const f of this.all) {
      const r = f.exec?.(ev);
      if (r) return r;
    }
    return undefined;
  }

  /** The event's host process takes hart h (its satp); false if there is no such process (INVALID_ID). */
  selectHost(ev: Event): boolean {
    return this.processes.select(ev.hart, (ev as { host: number }).host);
  }

  command(ev: Event, a: AgentRef): FamilyCommand | undefined {
    for (const f of this.all) {
      const r = f.command?.(ev, a);
      if (r) return r;
    }
    return undefined;
  }

  /** The generators' hints for agent regions of `regionPages` pages and the agent's image name. */
  hints(regionPages: number, image: string): FamilyHints {
    const layout = shadowLayout(this.elf, regionPages);
    return {
      shadow: { regionPages, image, layout },
      heap: this.heap.hints(),
      second: { regionPages, image, forkPages: layout.forkPages },
    };
  }
}
