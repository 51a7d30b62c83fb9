/** CSR addresses and mstatus/mip field masks (Privileged Vol. II "CSR Listing"). */
export const CSR = {
  // Unprivileged counters (Zicntr)
  cycle: 0xc00,
  time: 0xc01,
  instret: 0xc02,
  // Supervisor
  sstatus: 0x100,
  sie: 0x104,
  stvec: 0x105,
  scounteren: 0x106,
  senvcfg: 0x10a,
  sscratch: 0x140,
  sepc: 0x141,
  scause: 0x142,
  stval: 0x143,
  sip: 0x144,
  satp: 0x180,
  // Machine information
  mvendorid: 0xf11,
  marchid: 0xf12,
  mimpid: 0xf13,
  mhartid: 0xf14,
  mconfigptr: 0xf15,
  // Machine trap setup / handling
  mstatus: 0x300,
  misa: 0x301,
  medeleg: 0x302,
  mideleg: 0x303,
  mie: 0x304,
  mtvec: 0x305,
  mcounteren: 0x306,
  menvcfg: 0x30a,
  mcountinhibit: 0x320,
  mscratch: 0x340,
  mepc: 0x341,
  mcause: 0x342,
  mtval: 0x343,
  mip: 0x344,
  // PMP
  pmpcfg0: 0x3a0,
  pmpaddr0: 0x3b0,
  // Machine counters
  mcycle: 0xb00,
  minstret: 0xb02,
} as const;

// mstatus bits
export const MS_SIE = 1 << 1;
export const MS_MIE = 1 << 3;
export const MS_SPIE = 1 << 5;
export const MS_MPIE = 1 << 7;
export const MS_SPP = 1 << 8;
export const MS_MPP_SHIFT = 11;
export const MS_MPP = 3 << MS_MPP_SHIFT;
export const MS_MPRV = 1 << 17;
export const MS_SUM = 1 << 18;
export const MS_MXR = 1 << 19;
export const MS_TVM = 1 << 20;
export const MS_TW = 1 << 21;
export const MS_TSR = 1 << 22;
/** Fields of mstatus[31:0] that M-mode can write (FS/VS/XS are read-only 0: no F/V). */
export const MSTATUS_WRITABLE =
  MS_SIE | MS_MIE | MS_SPIE | MS_MPIE | MS_SPP | MS_MPP | MS_MPRV | MS_SUM | MS_MXR | MS_TVM | MS_TW | MS_TSR;
/** The sstatus view of mstatus (§6.1). */
export const SSTATUS_MASK = MS_SIE | MS_SPIE | MS_SPP | MS_SUM | MS_MXR;
/** mstatus[63:32]: UXL = SXL = 2 (64-bit), read-only. */
export const MSTATUS_HI = 0xan << 32n;
export const SSTATUS_HI = 0x2n << 32n;

// interrupt bits (mip/mie)
export const IRQ_SSI = 1;
export const IRQ_MSI = 3;
export const IRQ_STI = 5;
export const IRQ_MTI = 7;
export const IRQ_SEI = 9;
export const IRQ_MEI = 11;
export const MIP_SSIP = 1 << IRQ_SSI;
export const MIP_MSIP = 1 << IRQ_MSI;
export const MIP_STIP = 1 << IRQ_STI;
export const MIP_MTIP = 1 << IRQ_MTI;
export const MIP_SEIP = 1 << IRQ_SEI;
export const MIP_MEIP = 1 << IRQ_MEI;
/** Supervisor-level interrupts: the only delegable ones. */
export const S_INTERRUPTS = MIP_SSIP | MIP_STIP | MIP_SEIP;
export const ALL_INTERRUPTS = S_INTERRUPTS | MIP_MSIP | MIP_MTIP | MIP_MEIP;
/** Interrupt priority, highest first (§6.2): MEI > MSI > MTI > SEI > SSI > STI. */
export const IRQ_PRIORITY = [IRQ_MEI, IRQ_MSI, IRQ_MTI, IRQ_SEI, IRQ_SSI, IRQ_STI] as const;

/** Exception causes (§6.2). */
export const Cause = {
  fetchMisaligned: 0,
  fetchAccess: 1,
  illegal: 2,
  breakpoint: 3,
  loadMisaligned: 4,
  loadAccess: 5,
  storeMisaligned: 6,
  storeAccess: 7,
  ecallU: 8,
  ecallS: 9,
  ecallM: 11,
  fetchPage: 12,
  loadPage: 13,
  storePage: 15,
} as const;
/** medeleg bits that can be set: every exception except ecall-from-M (11) and reserved 10, 14. */
export const DELEGABLE_EXCEPTIONS = 0xb3ff;

/** misa: MXL=2 (RV64), extensions A C I M S U. Read-only (WARL). */
export const MISA = (2n << 62n) | BigInt((1 << 0) | (1 << 2) | (1 << 8) | (1 << 12) | (1 << 18) | (1 << 20));

export const PRIV_U = 0;
export const PRIV_S = 1;
export const PRIV_M = 3;
