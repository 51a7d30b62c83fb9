/**
 * The agent enclave's command record (include/agent.h) for TypeScript hosts: offsets, opcodes, and
 * posting/reading a command through any byte port onto the record page (the host's view of the
 * shm page, or a test harness's). agent.test.ts checks these numbers against the C header.
 */

/** Byte offsets in struct agent_record. */
export const REC = {
  MAGIC: 0x00,
  SEQ: 0x08,
  DONE: 0x10,
  HANDBACK: 0x18,
  OPCODE: 0x20,
  ARG: 0x28,
  RESULT: 0x58,
  STATUS: 0x60,
  ENTRIES: 0x68,
  ENTRY_ARGS: 0x70,
  SCRATCH_VA: 0x98,
  NAME: 0xa0,
  CALL_ARG: 0xb0,
  TARGET: 0xe0,
  DATA: 0x100,
} as const;
export const AGENT_RECORD_VA = 0x39_0000_0000n;
export const AGENT_MAGIC = 0x544e454741474c50n; // "PLGAGENT"
export const AGENT_DATA_SIZE = 3840;
export const Handback = { YIELD: 0n, SPIN: 1n } as const;
export const AgentStatus = { OK: 0n, BAD_OPCODE: 1n } as const;

/** enum agent_op. */
export const AgentOp = {
  NOP: 0,
  EXIT: 1,
  PRINT: 2,
  MMAP: 3,
  UNMAP: 4,
  SBRK: 5,
  RETURN_RELAY: 6,
  ACQUIRE: 7,
  CALL: 8,
  SERVER_RETURN: 9,
  GET_REPORT: 10,
  ASYN_CALL: 11,
  SPLIT: 12,
  GET_CALLER_ID: 13,
  GET_ENCLAVE_ID: 14,
  YIELD: 15,
  GET_KEY: 16,
  LOAD: 17,
  STORE: 18,
  RAW_ECALL: 19,
  MALLOC: 20,
  FREE: 21,
  GETRANDOM: 22,
} as const;

/** One command: operands up to 6, and the name / call_arg / data fields where the op uses them. */
export interface Command {
  op: number;
  args?: readonly bigint[];
  name?: string;
  callArg?: readonly bigint[];
  data?: Uint8Array;
  /** Only the agent of this eid runs it (several may share the record); default: any. */
  target?: number;
}

/** Access to the record page by byte offset. */
export interface RecordPort {
  read64(off: number): bigint;
  write64(off: number, v: bigint): void;
  read(off: number, len: number): Uint8Array;
  write(off: number, bytes: Uint8Array): void;
}

/** What a host kernel offers to reach its memory (impl/host/hostKernel.ts: S-mode loads and stores). */
export interface HostMemoryAccess {
  read64(va: bigint): bigint;
  write64(va: bigint, v: bigint): void;
  readBytes(va: bigint, len: number): Uint8Array;
  writeBytes(va: bigint, bytes: Uint8Array): void;
}

/** The host's port onto an agent enclave's record page at `base` (its host shm page). */
export function hostRecordPort(k: HostMemoryAccess, base: bigint): RecordPort {
  return {
    read64: (o) => k.read64(base + BigInt(o)),
    write64: (o, v) => k.write64(base + BigInt(o), v),
    read: (o, len) => k.readBytes(base + BigInt(o), len),
    write: (o, bytes) => k.writeBytes(base + BigInt(o), bytes),
  };
}

/** True when no command is pending (the agent finished the last one it was given). */
export const idle = (p: RecordPort): boolean => p.read64(REC.SEQ) === p.read64(REC.DONE);

/** Write the command's fields, then publish it with seq = done + 1 (seq last). */
export function postCommand(p: RecordPort, c: Command): void {
  if ((c.args?.length ?? 0) > 6 || (c.callArg?.length ?? 0) > 6) throw new RangeError("at most 6 operands");
  if (c.data && c.data.length > AGENT_DATA_SIZE) throw new RangeError("data larger than the record's area");
  // opcode and operands are one run of doublewords (REC.ARG = REC.OPCODE + 8): one write
  const head = new DataView(new ArrayBuffer(8 * (1 + (c.args?.length ?? 0))));
  head.setBigUint64(0, BigInt(c.op), true);
  (c.args ?? []).forEach((v, i) => head.setBigUint64(8 * (1 + i), BigInt.asUintN(64, v), true));
  p.write(REC.OPCODE, new Uint8Array(head.buffer));
  if (c.name !== undefined) {
    const name = new Uint8Array(16); // 16 bytes, zero-padded (PGL §3.3)
    name.set(new TextEncoder().encode(c.name).subarray(0, 16));
    p.write(REC.NAME, name);
  }
  (c.callArg ?? []).forEach((v, i) => p.write64(REC.CALL_ARG + 8 * i, BigInt.asUintN(64, v)));
  if (c.data) p.write(REC.DATA, c.data);
  p.write64(REC.TARGET, c.target === undefined ? 0n : BigInt(c.target) + 1n);
  p.write64(REC.SEQ, p.read64(REC.DONE) + 1n);
}

/** Result and status of the last completed command. */
export const completion = (p: RecordPort): { result: bigint; status: bigint } => ({
  result: p.read64(REC.RESULT),
  status: p.read64(REC.STATUS),
});
