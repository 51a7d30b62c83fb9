/**
 * The binary interface the host driver and the monitor share (Penglai's `enclave_args.h`, PGL §1.4,
 * §4.6): parameter struct layouts and the enclave virtual-address layout. Both sides import this
 * file; neither imports the other.
 */

/** Enclave VA layout (PGL §4.6, OS `enclave_vm.h`). */
export const EnclaveVa = {
  TEXT: 0x1000n,
  HEAP_BASE: 0x10_0000_0000n,
  MMAP_TOP: 0x30_0000_0000n,
  STACK_TOP: 0x38_0000_0000n,
  /** Relay ("mm arg") pages are mapped upward from here. */
  MM_ARG_BASE: 0x38_0000_0000n,
  SHM_BASE: 0x39_0000_0000n,
  SEC_SHM_TOP: 0x40_0000_0000n,
  KBUFFER: 0xffff_ffe0_0000_0000n,
} as const;

/** Default stack (PGL §4.6: 64 KiB) and limits (max ELF 512 MiB, max stack 64 MiB). */
export const DEFAULT_STACK_SIZE = 64n * 1024n;
export const MAX_STACK_SIZE = 64n << 20n;
export const KBUFFER_SIZE = 4096n;

/** Pages at the start of an enclave region: 0 = monitor bookkeeping, 1 = root table, 2 = reserved. */
export const REGION_META_PAGE = 0n;
export const REGION_ROOT_PAGE = 1n;
export const REGION_FIRST_FREE = 3n;

/** Enclave types (PGL §3.1; shadows live in a separate table in Penglai, a third type here). */
export const EnclaveType = { NORMAL: 0, SERVER: 1, SHADOW: 2 } as const;

/** `enclave_create_param` (PGL §1.4): byte offsets of its fields; 8-byte fields unless noted. */
export const CreateParam = {
  eidPtr: 0, // PA of a u32 the monitor writes the eid to
  name: 8, // char[16]
  type: 24, // u32 (+4 padding)
  paddr: 32,
  size: 40,
  entryPoint: 48,
  freeMem: 56,
  kbuffer: 64,
  kbufferSize: 72,
  shmPaddr: 80,
  shmSize: 88,
  ecallArg0: 96, // PA of the mailbox cell: ocall function id
  ecallArg1: 104, // ocall arg0
  ecallArg2: 112, // ocall arg1
  ecallArg3: 120, // ocall syscall number
  retval: 128, // PA of the u64 EAPP_RETURN writes
  SIZE: 136,
} as const;

/** `shadow_enclave_run_param` (PGL §1.4): the fresh region and windows of a fork instance. */
export const ShadowRunParam = {
  sptbr: 0, // unused
  freePage: 8, // PA of the instance's region (power of two, aligned)
  size: 16,
  eidPtr: 24,
  kbuffer: 32,
  kbufferSize: 40,
  shmPaddr: 48,
  shmSize: 56,
  mmArgAddr: 64,
  mmArgSize: 72,
  ecallArg0: 80,
  ecallArg1: 88,
  ecallArg2: 96,
  ecallArg3: 104,
  retval: 112,
  name: 120, // char[16]
  SIZE: 136,
} as const;

/** `enclave_run_param` (PGL §1.4): the relay region handed over at run. */
export const RunParam = { mmArgAddr: 0, mmArgSize: 8, SIZE: 16 } as const;

/** resume_func_id of RESUME_ENCLAVE (PGL §1.2). */
export const ResumeReason = { TIMER_IRQ: 0n, STOP: 1n, OCALL: 2n } as const;

export const NAME_LEN = 16;
