/**
 * The checker's host process's Schrödinger regions (PLenclave_schrodinger_get/at/dt/ctl, PGL §4.7)
 * and its PLenclave_set_mem_arg bindings, by model relay id: what α (impl/abstraction.ts) takes as
 * `hostRelays` and `memArgs`. The monitor never sees these ids; who holds the pages now is its to say.
 */
import type { HostRelayRegion } from "../../../impl/abstraction.ts";

/** The bindings of a host with none. */
const NO_BINDS: ReadonlyMap<number, number> = new Map();

export class RelayHost {
  /** Regions by model relay id (null = free id). */
  readonly regions: (HostRelayRegion | null)[];
  /** eid → (the monitor's record the binding was made for, relay id): a binding dies with its enclave. */
  private readonly binds = new Map<number, { record: object; relay: number }>();

  constructor(size: number) {
    this.regions = new Array<HostRelayRegion | null>(size).fill(null);
  }

  /** Bind `relay` to enclave `eid` (its current monitor record). */
  bind(eid: number, record: object, relay: number): void {
    this.binds.set(eid, { record, relay });
  }

  /** The relay bound to `eid`, if the binding was made for its current record. */
  boundTo(eid: number, record: object | null): number | undefined {
    const b = this.binds.get(eid);
    return b && record !== null && b.record === record ? b.relay : undefined;
  }

  /** α's `memArgs`: bindings of enclaves still alive in the slot they were made for. */
  memArgs(records: readonly (object | null)[]): ReadonlyMap<number, number> {
    if (this.binds.size === 0) return NO_BINDS; // (most steps: no binding, no map to build)
    const out = new Map<number, number>();
    this.binds.forEach((b, eid) => records[eid] === b.record && out.set(eid, b.relay));
    return out;
  }
}
