/**
 * Where the driver's loader puts the agent's pages when it is loaded as a shadow (no stack, PGL §3.4),
 * computed once by laying the image out in a scratch memory with the real loader: which region pages
 * hold read-only leaves (the text fork instances share: the spec's first `textPages` pages of a shadow
 * create), and how many writable leaves an instance copies (its region must hold them, its tables, a
 * 64 KiB stack — impl/monitor/enclave/forkShadow.ts).
 */
import { loadEnclaveAt } from "../../../impl/host/enclaveLoader.ts";
import type { HostKernel } from "../../../impl/host/hostKernel.ts";
import { DEFAULT_STACK_SIZE, REGION_FIRST_FREE, REGION_ROOT_PAGE } from "../../../impl/abi/enclaveAbi.ts";
import { PTE_R, PTE_V, PTE_W, PTE_X } from "../../../impl/abi/sv39.ts";

const PAGE = 4096n;
/** Table pages forkShadow reserves besides copies and stack. */
const FORK_TABLE_SLACK = 16n;

export interface ShadowLayout {
  /** Region page offsets of the read-only leaves, ascending. */
  roOffsets: number[];
  /** Writable leaves (copied into every instance). */
  writable: number;
  /** Pages of the power-of-two region a fork needs. */
  forkPages: number;
}

/** Word-addressed scratch memory with the four kernel calls the loader makes. */
function scratchKernel(): { k: HostKernel; read: (pa: bigint) => bigint } {
  const words = new Map<bigint, bigint>();
  const read = (pa: bigint): bigint => words.get(pa) ?? 0n;
  const k = {
    zero: (pa: bigint, size: bigint): void => {
      for (let a = pa; a < pa + size; a += 8n) words.delete(a);
    },
    read64: (pa: bigint): bigint => read(pa),
    write64: (pa: bigint, v: bigint): void => void words.set(pa, v),
    writeBytes: (pa: bigint, bytes: Uint8Array): void => {
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      for (let o = 0; o + 8 <= bytes.length; o += 8) words.set(pa + BigInt(o), view.getBigUint64(o, true));
    },
  };
  return { k: k as unknown as HostKernel, read };
}

const cache = new Map<Uint8Array, ShadowLayout>();

/** The layout of `elf` loaded as a shadow in a region of `regionPages` pages. */
export function shadowLayout(elf: Uint8Array, regionPages: number): ShadowLayout {
  const hit = cache.get(elf);
  if (hit) return hit;
  const base = 1n << 32n;
  const size = BigInt(regionPages) * PAGE;
  const { k, read } = scratchKernel();
  loadEnclaveAt(k, elf, base, size, 0n);
  const ro: number[] = [];
  let writable = 0;
  const walk = (table: bigint, level: number): void => {
    for (let i = 0n; i < 512n; i++) {
      const pte = read(table + 8n * i);
      if ((pte & PTE_V) === 0n) continue;
      const pa = ((pte >> 10n) & ((1n << 44n) - 1n)) * PAGE;
      if ((pte & (PTE_R | PTE_W | PTE_X)) === 0n) walk(pa, level - 1);
      else if (pte & PTE_W) writable++;
      else ro.push(Number((pa - base) / PAGE));
    }
  };
  walk(base + REGION_ROOT_PAGE * PAGE, 2);
  const need = REGION_FIRST_FREE + BigInt(writable) + DEFAULT_STACK_SIZE / PAGE + FORK_TABLE_SLACK;
  let forkPages = 1n;
  while (forkPages < need) forkPages <<= 1n;
  const out = { roOffsets: ro.sort((a, b) => a - b), writable, forkPages: Number(forkPages) };
  cache.set(elf, out);
  return out;
}
