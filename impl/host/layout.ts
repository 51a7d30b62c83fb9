/**
 * Physical layout of the emulated platform as the host kernel sets it up (Penglai's Linux does the
 * same with its own numbers, PGL §4.2, §1.5): the monitor's 2 MiB SM region at the bottom of DRAM,
 * then the page-table area (NAPOT, PGD/PMD/PTE sub-areas) — so that, as in the spec's model, the
 * monitor's pages come first and the page-table area next — then the host kernel's stub page and
 * doorbells, the page-metadata bitmap (NAPOT) and the host's free memory.
 */
export interface HostLayout {
  ramBase: bigint;
  ramSize: bigint;
  /** Host kernel text: the stub page (identity-mapped, R X). */
  stubs: bigint;
  /** One 16-byte doorbell per hart (identity-mapped, R W). */
  doorbells: bigint;
  /** Word the monitor sets to 1 at SM_INIT (`enclave_module_installed`). */
  installedFlag: bigint;
  ptArea: { base: bigint; size: bigint; pgdOrder: number; pmdOrder: number };
  bitmap: { base: bigint; size: bigint };
  /** [freeBase, ramBase + ramSize): pages the host allocates from. */
  freeBase: bigint;
}

const MiB = 1n << 20n;

/** The layout for `ramSize` bytes of RAM (≥ 16 MiB, a power of two). */
export function hostLayout(ramSize: number): HostLayout {
  const ram = BigInt(ramSize);
  if (ramSize < 16 << 20 || (ram & (ram - 1n)) !== 0n)
    throw new RangeError(`RAM must be a power of two ≥ 16 MiB, got ${ramSize}`);
  const base = 0x8000_0000n;
  const bitmapSize = roundPow2((ram / 4096n) * 4n);
  return {
    ramBase: base,
    ramSize: ram,
    ptArea: { base: base + 2n * MiB, size: 2n * MiB, pgdOrder: 5, pmdOrder: 7 },
    stubs: base + 4n * MiB,
    doorbells: base + 4n * MiB + 0x1000n,
    installedFlag: base + 4n * MiB + 0x2000n,
    bitmap: { base: base + 6n * MiB, size: bitmapSize },
    freeBase: base + 8n * MiB,
  };
}

function roundPow2(n: bigint): bigint {
  let p = 4096n;
  while (p < n) p <<= 1n;
  return p;
}
