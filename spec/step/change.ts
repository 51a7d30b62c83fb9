import type { Enclave, Page, Relay, SecureShm, Shm, System } from "../../model/state.ts";

/**
 * A copy-on-write edit of a `System`: arrays are copied on first write only, so one step costs
 * a few small copies; `done()` returns the new state and never mutates the old one.
 */
export class Change {
  private harts?: number[];
  private enclaves?: Enclave[];
  private pages?: Page[];
  private shms?: Shm[];
  private secureShms?: SecureShm[];
  private relays?: Relay[];
  private servers?: System["servers"];

  constructor(readonly base: System) {}

  hart(h: number): number {
    return (this.harts ?? this.base.harts)[h]!;
  }
  setHart(h: number, runs: number): void {
    (this.harts ??= this.base.harts.slice())[h] = runs;
  }
  enclave(e: number): Enclave {
    return (this.enclaves ?? this.base.enclaves)[e]!;
  }
  setEnclave(e: number, patch: Partial<Enclave>): void {
    const a = (this.enclaves ??= this.base.enclaves.slice());
    a[e] = Object.assign(enclaveRecord(a[e]!), patch);
  }
  /** `setEnclave(e, { state })` without a generic patch. */
  setEnclaveState(e: number, state: Enclave["state"]): void {
    const a = (this.enclaves ??= this.base.enclaves.slice());
    const x = enclaveRecord(a[e]!);
    x.state = state;
    a[e] = x;
  }
  replaceEnclave(e: number, value: Enclave): void {
    (this.enclaves ??= this.base.enclaves.slice())[e] = enclaveRecord(value);
  }
  page(p: number): Page {
    return (this.pages ?? this.base.pages)[p]!;
  }
  putPage(p: number, value: Page): void {
    (this.pages ??= this.base.pages.slice())[p] = pageRecord(value);
  }
  setPage(p: number, patch: Partial<Page>): void {
    const a = (this.pages ??= this.base.pages.slice());
    a[p] = Object.assign(pageRecord(a[p]!), patch);
  }
  /** `setPage(p, { zeroed })` without a generic patch. */
  setPageZeroed(p: number, zeroed: boolean): void {
    const a = (this.pages ??= this.base.pages.slice());
    const x = a[p]!;
    a[p] = { owner: x.owner, id: x.id, secure: x.secure, zeroed };
  }
  shm(k: number): Shm {
    return (this.shms ?? this.base.shms)[k]!;
  }
  setShm(k: number, value: Shm): void {
    (this.shms ??= this.base.shms.slice())[k] = shmRecord(value);
  }
  secureShm(k: number): SecureShm {
    return (this.secureShms ?? this.base.secureShms)[k]!;
  }
  setSecureShm(k: number, value: SecureShm): void {
    (this.secureShms ??= this.base.secureShms.slice())[k] = secureShmRecord(value);
  }
  relay(r: number): Relay {
    return (this.relays ?? this.base.relays)[r]!;
  }
  setRelay(r: number, value: Relay): void {
    (this.relays ??= this.base.relays.slice())[r] = relayRecord(value);
  }
  setServers(servers: System["servers"]): void {
    this.servers = servers;
  }
  /** Runs on hart h → HOST for every hart running `e`. */
  unscheduleEverywhere(e: number): void {
    const hs = this.harts ?? this.base.harts;
    for (let h = 0; h < hs.length; h++) if (hs[h] === e) this.setHart(h, -1);
  }
  done(): System {
    const b = this.base;
    return {
      config: b.config,
      harts: this.harts ?? b.harts,
      enclaves: this.enclaves ?? b.enclaves,
      pages: this.pages ?? b.pages,
      shms: this.shms ?? b.shms,
      secureShms: this.secureShms ?? b.secureShms,
      relays: this.relays ?? b.relays,
      servers: this.servers ?? b.servers,
    };
  }
}

/** `xs` with `x` inserted in ascending order (no duplicates). */
export function insertSorted(xs: readonly number[], x: number): number[] {
  if (xs.includes(x)) return xs.slice();
  const out = xs.slice();
  let i = out.length;
  while (i > 0 && out[i - 1]! > x) i--;
  out.splice(i, 0, x);
  return out;
}

/** `xs` without `x`. */
export function without(xs: readonly number[], x: number): number[] {
  return xs.filter((y) => y !== x);
}

// Every record a step stores is built by one of these literals (fields in schema order): records of
// one type then share one hidden class, and the property reads of `step`, the invariants and the
// model checker stay monomorphic (spreads and patches of different keys made up to ten classes).
// change.test.ts checks that each lists exactly its schema's fields.

/** A copy of `x` with exactly the fields of `Enclave`, in schema order. */
export function enclaveRecord(x: Enclave): Enclave {
  return {
    kind: x.kind,
    state: x.state,
    name: x.name,
    creator: x.creator,
    measurement: x.measurement,
    parent: x.parent,
    caller: x.caller,
    callee: x.callee,
    relays: x.relays,
    shm: x.shm,
    memArg: x.memArg,
    callPages: x.callPages,
    callRelay: x.callRelay,
    pending: x.pending,
    pendingPages: x.pendingPages,
    pendingKey: x.pendingKey,
    retval: x.retval,
  };
}

/** A copy of `x` with exactly the fields of `Page`, in schema order. */
export function pageRecord(x: Page): Page {
  return { owner: x.owner, id: x.id, secure: x.secure, zeroed: x.zeroed };
}

/** A copy of `x` with exactly the fields of `Shm`, in schema order. */
export function shmRecord(x: Shm): Shm {
  return { live: x.live, creator: x.creator, pages: x.pages, hostAttached: x.hostAttached, enclaves: x.enclaves };
}

/** A copy of `x` with exactly the fields of `SecureShm`, in schema order. */
export function secureShmRecord(x: SecureShm): SecureShm {
  return {
    live: x.live,
    key: x.key,
    owner: x.owner,
    pages: x.pages,
    allowed: x.allowed,
    attached: x.attached,
    destroyPending: x.destroyPending,
  };
}

/** A copy of `x` with exactly the fields of `Relay`, in schema order. */
export function relayRecord(x: Relay): Relay {
  return {
    live: x.live,
    creator: x.creator,
    pages: x.pages,
    holder: x.holder,
    eid: x.eid,
    name: x.name,
    hostMapped: x.hostMapped,
  };
}
