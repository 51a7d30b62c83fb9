/**
 * What the explorer's Implementation lends the executors of the event families wired in later
 * (shadow/fork, host shm, heap and donations): its platform, the S-mode host calls it issues, the
 * agents it drives. A family executor answers the events it knows and `undefined` for the others.
 */
import type { Event } from "../../../model/events.ts";
import type { Result } from "../../../model/result.ts";
import type { Command } from "../../../impl/eapp/agentRecord.ts";
import type { CheckedPlatform } from "../platform.ts";
import type { Mapping } from "../enclaveMappings.ts";

/** An agent enclave the checker drives: its command record (a host page), its mailbox page. */
export interface AgentRef {
  eid: number;
  record: bigint;
  paramPage: bigint;
  /** VAs the agent got from mmap (safe to store to: the agent keeps nothing there). */
  mmapped: bigint[];
}

/** The Implementation's side of a family executor. */
export interface FamilyHost {
  readonly platform: CheckedPlatform;
  /** The eid the monitor runs on hart h, or NONE. */
  running(h: number): number;
  /** Start host SBI function `fid` on hart h and settle; the answer, or null if an enclave now runs there. */
  hostCall(h: number, fid: number, args: bigint[]): bigint | null;
  /** A host SBI answer as a model result. */
  answer(r: bigint): Result;
  /** What hart h's run loop entered (its mailbox carries what the enclave leaves with). */
  setEntered(h: number, eid: number): void;
  agent(eid: number): AgentRef | undefined;
  addAgent(a: AgentRef): void;
  /** Forget the agent of `eid` (or put `restore` back in its place). */
  dropAgent(eid: number, restore?: AgentRef): void;
  /** Every agent the host knows alive. */
  agents(): Iterable<AgentRef>;
  /** The host zeroes a page with S-mode stores; false if it cannot write there. */
  hostZero(pa: bigint, h: number): boolean;
  /** Is `pa` a shared window (shm page, kbuffer) of a live enclave? */
  inLiveWindow(pa: bigint): boolean;
  mappings(eid: number): Mapping[];
}

/** An enclave event as one agent command; `data`: the command's value is not the model's (a VA, a loaded word). */
export interface FamilyCommand {
  cmd: Command;
  data?: boolean;
}

/** The executor of one event family. */
export interface FamilyExecutor {
  /** The host's own work before the call (invisible to the monitor); the model pages it wrote. */
  prepare?(ev: Event): number[] | undefined;
  /** A host event on a hart that runs the host. */
  exec?(ev: Event): Result | undefined;
  /** An enclave event as a command to the agent `a` running it. */
  command?(ev: Event, a: AgentRef): FamilyCommand | undefined;
}
