/**
 * Minimal reproductions of emulator/QEMU disagreements found by the differential suite, kept as
 * regression programs (regressions.qemu.test.ts). Each program reports through HTIF:
 * tohost = (mcause << 1) | 1 of the first trap, so the exit code is that trap's cause (riscv.md §1).
 */
import { Asm } from "../asm/asm.ts";
import { htifElf } from "../asm/htif.ts";

const ROOT = 0x8000_3000n;
const L1 = 0x8000_4000n;
const L0 = 0x8000_5000n;
const DATA = 0x8000_6000n;
const pte = (pa: bigint, f: bigint) => ((pa >> 12n) << 10n) | f;

/** Emit the trap handler, tohost at 0x8000_2000 and the given dwords (ascending addresses ≥ 0x8000_3000). */
function finish(a: Asm, dwords: Array<[bigint, bigint]>): Uint8Array {
  a.label("trap").i("csrrs", 5, 0x342, 0).i("slli", 5, 5, 1).i("ori", 5, 5, 1);
  a.la(4, "tohost").i("sd", 5, 4, 0).label("spin").jal(0, "spin");
  a.padTo(0x2000).label("tohost").dword(0n).dword(0n);
  for (const [pa, v] of dwords) a.padTo(Number(pa - a.base)).dword(v);
  a.padTo(0x7000);
  return htifElf(a, a.finish(), a.addr("tohost"));
}

/**
 * Sv39 walk through a non-leaf PTE with U, A or D set (`flags`, e.g. 0x11 = V|U): those bits are
 * "reserved for future standard use" in non-leaf PTEs, and the translation algorithm raises a page
 * fault when reserved bits are set (priv. spec "Virtual Address Translation Process" step 3).
 * S-mode loads VA 0x10: expected cause 13 (load page fault); with flags = 1 the load succeeds and the
 * following ecall gives 9.
 */
export function nonLeafReservedBits(flags: bigint): Uint8Array {
  const a = new Asm(0x8000_0000n);
  a.la(4, "trap").i("csrrw", 0, 0x305, 4);
  a.li(4, (8n << 60n) | (ROOT >> 12n)).i("csrrw", 0, 0x180, 4).i("sfence.vma", 0, 0);
  a.li(4, (1n << 54n) - 1n).i("csrrw", 0, 0x3b0, 4).li(4, 0x1fn).i("csrrw", 0, 0x3a0, 4); // PMP: all RWX
  a.li(4, 0x1800n).i("csrrc", 0, 0x300, 4).li(4, 0x800n).i("csrrs", 0, 0x300, 4); // MPP = S
  a.la(4, "s").i("csrrw", 0, 0x341, 4).i("mret");
  a.label("s").li(6, 0x10n).i("ld", 5, 6, 0).i("ecall");
  // root[0] → L1 (with the flags under test), root[2] identity for S code; L1[0] → L0; L0[0] → DATA
  return finish(a, [[ROOT, pte(L1, flags)], [ROOT + 16n, pte(0x8000_0000n, 0xcfn)], [L1, pte(L0, 1n)], [L0, pte(DATA, 0xc7n)]]);
}

/**
 * M-mode 8-byte store at 0x8000_6ffc straddling the end of a NAPOT PMP region (entry 0, 4 KiB at
 * 0x8000_6000, R only, unlocked): the lowest-numbered entry matching any byte must match all bytes
 * or the access fails, even in M-mode (riscv.md §3.4). Expected cause 7 (store access fault); an
 * emulator that lets M-mode through gives 11 (the ecall after the store).
 */
export function pmpPartialMatchM(): Uint8Array {
  const a = new Asm(0x8000_0000n);
  a.la(4, "trap").i("csrrw", 0, 0x305, 4);
  a.li(4, (DATA >> 2n) | 0x1ffn).i("csrrw", 0, 0x3b0, 4).li(4, 0x19n).i("csrrw", 0, 0x3a0, 4);
  a.li(5, 0x1122334455667788n).li(6, DATA + 0xffcn).i("sd", 5, 6, 0).i("ecall");
  return finish(a, []);
}

