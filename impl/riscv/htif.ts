/**
 * Host side of the HTIF `tohost`/`fromhost` protocol of bare-metal programs (riscv.md §1), as
 * QEMU's `spike` machine implements it:
 * - `tohost == 1` → pass; odd and > 1 → fail with test number `tohost >> 1`;
 * - device 1, command 1 (bits 63:56 = 1, 55:48 = 1) → console putchar of the low byte; the host
 *   then sets `fromhost` non-zero and clears `tohost`.
 * The doubleword may be written as one 64-bit store or as two 32-bit halves, so a decision is
 * taken only once both halves have been written since the last one.
 */

/** What the program asked for by its last complete write of `tohost`. */
export type HtifEvent =
  | { kind: "none" }
  | { kind: "putchar"; char: number }
  | { kind: "exit"; tohost: bigint; code: number }
  | { kind: "unknown"; tohost: bigint };

/** Memory the HTIF device works on (physical addresses). */
export interface HtifMemory {
  read64(pa: bigint): bigint;
  write64(pa: bigint, v: bigint): void;
  onWrite(pa: bigint, len: number, cb: () => void): void;
}

/** Classifies a complete `tohost` value (pure). */
export function decodeTohost(v: bigint): HtifEvent {
  if (v === 0n) return { kind: "none" };
  const device = v >> 56n;
  const command = (v >> 48n) & 0xffn;
  if (device === 1n && command === 1n) return { kind: "putchar", char: Number(v & 0xffn) };
  if (device === 0n && (v & 1n) === 1n) return { kind: "exit", tohost: v, code: Number(v >> 1n) };
  return { kind: "unknown", tohost: v };
}

/**
 * Watches `tohost` in `mem` and reports each complete write to `onEvent`. Console writes are
 * answered here (fromhost ← non-zero, tohost ← 0); other commands that are not an exit are
 * acknowledged by clearing tohost.
 */
export class HtifDevice {
  private lowWritten = false;
  private highWritten = false;

  constructor(
    private readonly mem: HtifMemory,
    readonly tohost: bigint,
    readonly fromhost: bigint,
    private readonly onEvent: (e: HtifEvent) => void,
  ) {
    mem.onWrite(tohost, 4, () => this.written(true));
    mem.onWrite(tohost + 4n, 4, () => this.written(false));
  }

  private written(low: boolean): void {
    if (low) this.lowWritten = true;
    else this.highWritten = true;
    if (!(this.lowWritten && this.highWritten)) return;
    this.lowWritten = this.highWritten = false;
    const v = this.mem.read64(this.tohost);
    const e = decodeTohost(v);
    if (e.kind === "putchar" || e.kind === "unknown") {
      if (e.kind === "putchar") this.mem.write64(this.fromhost, (1n << 56n) | (1n << 48n));
      this.mem.write64(this.tohost, 0n);
    }
    if (e.kind !== "none") this.onEvent(e);
  }
}
