/**
 * HTIF helpers (riscv.md §1): console putchar (device 1, command 1) and pass/fail exit through
 * `tohost`, plus packaging an assembled image as an ELF with the `tohost`/`fromhost` symbols QEMU's
 * spike machine requires. `fromhost` is placed at `tohost + 8`: QEMU maps the whole span
 * [min, max + 8) of the two symbols as HTIF MMIO, so keeping them adjacent keeps that span small.
 */
import type { Asm } from "./asm.ts";
import { writeElf } from "./elf.ts";

/** Byte offset of `fromhost` from `tohost`. */
export const FROMHOST_OFFSET = 8;

/**
 * Emit an inline console putchar: `tohost = (1<<56)|(1<<48)|ch`, wait until the host has cleared
 * `tohost`, then clear `fromhost`. `base` holds the address of `tohost`; `ch` holds the byte;
 * `tmp` is clobbered. `uniq` makes the internal label unique.
 */
export function emitPutc(a: Asm, base: number, ch: number, tmp: number, uniq: string): void {
  a.i("addi", tmp, 0, 0x101).i("slli", tmp, tmp, 48).i("or", tmp, tmp, ch);
  a.i("sd", tmp, base, 0);
  a.label(`putc_wait_${uniq}`).i("ld", tmp, base, 0).br("bne", tmp, 0, `putc_wait_${uniq}`);
  a.i("sd", 0, base, FROMHOST_OFFSET);
}

/** Emit `tohost = value` (1 = pass, (n<<1)|1 = fail n) and spin forever. */
export function emitExit(a: Asm, base: number, value: number, tmp: number, uniq: string): void {
  a.li(tmp, BigInt(value)).i("sd", tmp, base, 0);
  a.label(`exit_spin_${uniq}`).jal(0, `exit_spin_${uniq}`);
}

/** Package a finished image (linked at `a.base`) as an ELF with `tohost`/`fromhost` symbols. */
export function htifElf(a: Asm, image: Uint8Array, tohost: bigint): Uint8Array {
  return writeElf({
    base: a.base,
    image,
    symbols: [
      { name: "tohost", value: tohost, size: 8 },
      { name: "fromhost", value: tohost + BigInt(FROMHOST_OFFSET), size: 8 },
    ],
  });
}
