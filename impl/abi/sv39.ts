/** Sv39 page-table entry bits (riscv.md §6.3), shared by the host kernel, its driver and the monitor. */
export const PTE_V = 1n,
  PTE_R = 2n,
  PTE_W = 4n,
  PTE_X = 8n,
  PTE_U = 16n,
  PTE_G = 32n,
  PTE_A = 64n,
  PTE_D = 128n;
