/**
 * Test-side driver of the agent demo through its command record (include/agent.h), on top of the
 * ECALL RECORDER (not a monitor). The agent hands back with EAPP_YIELD when the record is idle
 * (done == seq); at each such yield the driver collects the finished command and posts the next.
 */
import { EcallRecorder, VA, type Answer, type Ecall, type RecorderOptions } from "./ecallRecorder.ts";
import { EnclaveFid } from "../../../model/abi.ts";
import { completion, idle, postCommand, type Command, type RecordPort } from "../agentRecord.ts";

export interface Completed {
  result: bigint;
  status: bigint;
  /** The ecalls the command made (the handback yield excluded). */
  calls: Ecall[];
}

const at = (off: number): bigint => VA.SHM + BigInt(off);

/** The record page as the recorder sees it (the shm at 0x39_0000_0000). */
const port = (rec: EcallRecorder): RecordPort => ({
  read64: (off) => rec.read64(at(off)),
  write64: (off, v) => rec.write64(at(off), v),
  read: (off, len) => rec.read(at(off), len),
  write: (off, bytes) => rec.write(at(off), bytes),
});

export class AgentDriver {
  readonly rec: EcallRecorder;
  readonly completed: Completed[] = [];
  private queue: Command[] = [];
  private firstCall = 0;
  private posted = false;

  constructor(elf: Uint8Array, opts: RecorderOptions = {}) {
    const inner = opts.answer;
    const answer: Answer = (call, rec) => {
      if (call.a7 === BigInt(EnclaveFid.YIELD) && idle(port(rec))) return this.handback(rec);
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
      this.completed.push({ ...completion(port(rec)), calls: rec.calls.slice(this.firstCall, rec.calls.length - 1) });
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
    postCommand(port(rec), c);
    this.firstCall = rec.calls.length; // the handback yield in flight is not this command's
    this.posted = true;
  }
}
