import { describe, expect, it } from "vitest";
import { HtifDevice, type HtifEvent, type HtifMemory } from "./htif.ts";

/** A doubleword memory with write watches, standing in for the machine's RAM. */
class FakeMemory implements HtifMemory {
  readonly words = new Map<bigint, bigint>();
  private readonly watches: { pa: bigint; len: number; cb: () => void }[] = [];
  read64(pa: bigint): bigint {
    return this.words.get(pa) ?? 0n;
  }
  write64(pa: bigint, v: bigint): void {
    this.words.set(pa, v);
  }
  onWrite(pa: bigint, len: number, cb: () => void): void {
    this.watches.push({ pa, len, cb });
  }
  /** A guest store of `len` bytes (4 or 8, aligned) at `pa`. */
  store(pa: bigint, len: 4 | 8, v: bigint): void {
    const base = pa & ~7n;
    const old = this.read64(base);
    const shift = (pa - base) * 8n;
    const mask = ((1n << BigInt(len * 8)) - 1n) << shift;
    this.words.set(base, (old & ~mask) | ((v << shift) & mask));
    for (const w of this.watches) if (pa < w.pa + BigInt(w.len) && pa + BigInt(len) > w.pa) w.cb();
  }
}

const TOHOST = 0x8000_1000n;
const FROMHOST = 0x8000_1040n;

function setup() {
  const mem = new FakeMemory();
  const events: HtifEvent[] = [];
  new HtifDevice(mem, TOHOST, FROMHOST, (e) => events.push(e));
  return { mem, events };
}

describe("HtifDevice (riscv.md §1)", () => {
  it("decides on a 64-bit store", () => {
    const { mem, events } = setup();
    mem.store(TOHOST, 8, 1n);
    expect(events).toEqual([{ kind: "exit", tohost: 1n, code: 0 }]);
  });

  it("waits for the high word when the program writes two halves", () => {
    const { mem, events } = setup();
    mem.store(TOHOST, 4, 0x41n); // would read as "fail 32" on its own
    expect(events).toEqual([]);
    mem.store(TOHOST + 4n, 4, 0x0101_0000n);
    expect(events).toEqual([{ kind: "putchar", char: 0x41 }]);
  });

  it("also decides when the high word comes first", () => {
    const { mem, events } = setup();
    mem.store(TOHOST + 4n, 4, 0n);
    expect(events).toEqual([]);
    mem.store(TOHOST, 4, 7n);
    expect(events).toEqual([{ kind: "exit", tohost: 7n, code: 3 }]);
  });

  it("answers putchar: fromhost non-zero, tohost cleared", () => {
    const { mem } = setup();
    mem.store(TOHOST, 8, 0x0101_0000_0000_000an);
    expect(mem.read64(FROMHOST)).not.toBe(0n);
    expect(mem.read64(TOHOST)).toBe(0n);
  });

  it("ignores writes of 0 and acknowledges unknown commands", () => {
    const { mem, events } = setup();
    mem.store(TOHOST, 8, 0n);
    expect(events).toEqual([]);
    mem.store(TOHOST, 8, 0x8000_2000n); // even: a syscall pointer, not supported
    expect(events).toEqual([{ kind: "unknown", tohost: 0x8000_2000n }]);
    expect(mem.read64(TOHOST)).toBe(0n);
  });
});
