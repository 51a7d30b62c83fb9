/**
 * Test-side driver of the agent demo through its command record (include/agent.h), on top of the
 * ECALL RECORDER (not a monitor). The agent hands back with EAPP_YIELD when the record is idle
 * (done == seq); at each such yield the driver collects the finished command and posts the next.
 */
import { EcallRecorder, VA, type Answer, type Ecall, type RecorderOptions } from "./ecallRecorder.ts";
import { EnclaveFid } from "../../../model/abi.ts";

/** Byte offsets in struct agent_record (include/agent.h). */
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
  DATA: 0x100,
} as const;
export const AGENT_MAGIC = 0x544e454741474c50n;

/** enum agent_op (include/agent.h). */
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

export interface Command {
  op: number;
  args?: readonly bigint[];
  name?: string;
  callArg?: readonly bigint[];
  data?: Uint8Array;
}

export interface Completed {
  result: bigint;
  status: bigint;
  /** The ecalls the command made (the handback yield excluded). */
  calls: Ecall[];
}

const at = (off: number): bigint => VA.SHM + BigInt(off);

export class AgentDriver {
  readonly rec: EcallRecorder;
  readonly completed: Completed[] = [];
  private queue: Command[] = [];
  private firstCall = 0;
  private posted = false;

  constructor(elf: Uint8Array, opts: RecorderOptions = {}) {
    const inner = opts.answer;
    const answer: Answer = (call, rec) => {
      const idle = rec.read64(at(REC.SEQ)) === rec.read64(at(REC.DONE));
      if (call.a7 === BigInt(EnclaveFid.YIELD) && idle) return this.handback(rec);
      return inner?.(call, rec);
    };
    this.rec = new EcallRecorder(elf, { ...opts, shmBytes: Math.max(opts.shmBytes ?? 0, 4096), answer });
  }

  /** Run the commands; returns what each finished with (EXIT/SERVER_RETURN end the run). */
  run(commands: readonly Command[], maxInstructions = 20_000_000): Completed[] {
    this.queue = [...commands];
    this.rec.run(maxInstructions);
    if (this.posted && this.rec.outcome.kind !== "running") {
      this.completed.push({ result: 0n, status: 0n, calls: this.rec.calls.slice(this.firstCall) });
      this.posted = false;
    }
    return this.completed;
  }

  /** Bytes of the record (host view of the shm page). */
  read(off: number, len: number): Uint8Array {
    return this.rec.read(at(off), len);
  }

  read64(off: number): bigint {
    return this.rec.read64(at(off));
  }

  private handback(rec: EcallRecorder): bigint {
    if (this.posted) {
      this.completed.push({
        result: rec.read64(at(REC.RESULT)),
        status: rec.read64(at(REC.STATUS)),
        calls: rec.calls.slice(this.firstCall, rec.calls.length - 1),
      });
      this.posted = false;
    }
    const next = this.queue.shift();
    if (!next) {
      rec.machine.stop();
      return 0n;
    }
    this.post(rec, next);
    return 0n;
  }

  private post(rec: EcallRecorder, c: Command): void {
    rec.write64(at(REC.OPCODE), BigInt(c.op));
    (c.args ?? []).forEach((v, i) => rec.write64(at(REC.ARG + 8 * i), BigInt.asUintN(64, v)));
    if (c.name !== undefined) {
      const name = new Uint8Array(16);
      name.set(new TextEncoder().encode(c.name).subarray(0, 16));
      rec.write(at(REC.NAME), name);
    }
    (c.callArg ?? []).forEach((v, i) => rec.write64(at(REC.CALL_ARG + 8 * i), v));
    if (c.data) rec.write(at(REC.DATA), c.data);
    rec.write64(at(REC.SEQ), rec.read64(at(REC.DONE)) + 1n);
    this.firstCall = rec.calls.length; // the handback yield in flight is not this command's
    this.posted = true;
  }
}
