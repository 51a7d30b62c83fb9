/**
 * The driver's enclave loader (PGL §4.6, SDK `penglai-enclave-elfloader.c`): allocate a contiguous
 * power-of-two region, zero it, lay out page 0 (monitor bookkeeping), page 1 (root table), page 2
 * (reserved), then page tables and the ELF's PT_LOAD pages, then the stack below 0x38_0000_0000 —
 * all with S-mode stores by the host kernel. The monitor checks the result at create.
 */
import { parseElf, type ElfImage } from "../riscv/elf.ts";
import { DEFAULT_STACK_SIZE, EnclaveVa, MAX_STACK_SIZE, REGION_FIRST_FREE, REGION_ROOT_PAGE } from "../abi/enclaveAbi.ts";
import type { HostKernel } from "./hostKernel.ts";

const PAGE = 4096n;
import { PTE_A as A, PTE_D as D, PTE_R as R, PTE_U as U, PTE_V as V, PTE_W as W, PTE_X as X } from "../abi/sv39.ts";

export interface LoadedEnclave {
  paddr: bigint;
  size: bigint;
  entry: bigint;
  freeMem: bigint;
}

/**
 * The parsed image of `elf`, remembered per byte array while its bytes stay the same (a driver loads
 * the same file again and again; parsing its symbol table each time cost more than the copy check).
 */
const parsed = new WeakMap<Uint8Array, { bytes: Uint8Array; img: ElfImage }>();
function image(elf: Uint8Array): ElfImage {
  const hit = parsed.get(elf);
  if (hit && Buffer.compare(hit.bytes, elf) === 0) return hit.img;
  const img = parseElf(elf);
  parsed.set(elf, { bytes: elf.slice(), img });
  return img;
}

/** Pages an enclave region needs for `elf`: its segments, the stack and `slackPages` (PGL §4.6: 256). */
export function regionPages(elf: Uint8Array, stackSize = DEFAULT_STACK_SIZE, slackPages = 256n): bigint {
  const img = image(elf);
  let pages = 0n;
  for (const s of img.segments) {
    const first = s.vaddr - (s.vaddr % PAGE);
    pages += (s.vaddr + BigInt(s.memsz) - first + PAGE - 1n) / PAGE;
  }
  return pages + stackSize / PAGE + slackPages;
}

/** Load `elf` for an enclave with `stackSize` bytes of stack (0 for a shadow, PGL §3.4). */
export function loadEnclave(k: HostKernel, elf: Uint8Array, stackSize = DEFAULT_STACK_SIZE): LoadedEnclave {
  checkStack(stackSize);
  const pages = regionPages(elf, stackSize);
  let size = PAGE;
  while (size < pages * PAGE) size <<= 1n;
  const paddr = k.allocPages(size);
  return loadEnclaveAt(k, elf, paddr, size, stackSize);
}

function checkStack(stackSize: bigint): void {
  if (stackSize < 0n || stackSize > MAX_STACK_SIZE || stackSize % PAGE !== 0n)
    throw new RangeError(`bad stack size ${stackSize}`);
}

/** Lay `elf` out in the host region [paddr, paddr + size) the caller chose (at least {@link regionPages}). */
export function loadEnclaveAt(
  k: HostKernel,
  elf: Uint8Array,
  paddr: bigint,
  size: bigint,
  stackSize = DEFAULT_STACK_SIZE,
  hart = 0,
): LoadedEnclave {
  checkStack(stackSize);
  const img = image(elf);
  k.zero(paddr, size, hart);
  const root = paddr + REGION_ROOT_PAGE * PAGE;
  let next = paddr + REGION_FIRST_FREE * PAGE;
  const take = (): bigint => {
    const p = next;
    next += PAGE;
    return p;
  };
  // the tables this loader linked, by the entry that points at them: the region was zeroed above, so
  // every other entry is still invalid (no need to read the tables back through the hart)
  const linked = new Map<bigint, bigint>();
  const map = (va: bigint, pa: bigint, perm: bigint): void => {
    let table = root;
    for (const shift of [30n, 21n]) {
      const slot = table + ((va >> shift) & 511n) * 8n;
      const next = linked.get(slot);
      if (next !== undefined) table = next;
      else {
        const t = take(); // already zero
        k.write64(slot, ((t / PAGE) << 10n) | V, hart);
        linked.set(slot, t);
        table = t;
      }
    }
    leaves.push([table + ((va >> 12n) & 511n) * 8n, ((pa / PAGE) << 10n) | perm | V | U | A | D]);
  };
  /** Leaf entries to write: consecutive pages have consecutive entries, stored as runs (bulk stores). */
  const leaves: [slot: bigint, pte: bigint][] = [];
  const mapped = new Map<bigint, bigint>(); // va page → pa page (segments may share a page)
  for (const s of img.segments) {
    const perm = s.flags & 2 ? R | W | X : R | X; // PGL §4.6: a W segment is RWX, else R X
    const start = s.vaddr - (s.vaddr % PAGE);
    for (let va = start; va < s.vaddr + BigInt(s.memsz); va += PAGE) {
      if (!mapped.has(va)) {
        const pa = take();
        mapped.set(va, pa);
        map(va, pa, perm);
      }
    }
    // file bytes, padded to 8-byte alignment
    const from = s.vaddr - (s.vaddr % 8n);
    const lead = Number(s.vaddr - from);
    const data = new Uint8Array(Math.ceil((lead + s.data.length) / 8) * 8);
    data.set(s.data, lead);
    for (let o = 0; o < data.length; o += 4096) {
      const va = from + BigInt(o);
      const chunk = data.subarray(o, Math.min(data.length, o + 4096));
      const pageVa = va - (va % PAGE);
      const pa = mapped.get(pageVa)! + (va % PAGE);
      const inPage = Math.min(chunk.length, Number(PAGE - (va % PAGE)));
      k.writeBytes(pa, chunk.subarray(0, inPage), hart);
      if (inPage < chunk.length) k.writeBytes(mapped.get(pageVa + PAGE)!, chunk.subarray(inPage), hart);
    }
  }
  for (let va = EnclaveVa.STACK_TOP - stackSize; va < EnclaveVa.STACK_TOP; va += PAGE) map(va, take(), R | W);
  writeRuns(k, leaves, hart);
  return { paddr, size, entry: img.entry, freeMem: next };
}

/** Store each (address, doubleword) pair, runs of consecutive addresses with one bulk store each. */
function writeRuns(k: HostKernel, words: readonly (readonly [bigint, bigint])[], hart: number): void {
  const sorted = [...words].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  for (let i = 0; i < sorted.length;) {
    let j = i + 1;
    while (j < sorted.length && sorted[j]![0] === sorted[j - 1]![0] + 8n) j++;
    const run = new DataView(new ArrayBuffer(8 * (j - i)));
    for (let x = i; x < j; x++) run.setBigUint64(8 * (x - i), sorted[x]![1], true);
    k.writeBytes(sorted[i]![0], new Uint8Array(run.buffer), hart);
    i = j;
  }
}
