/**
 * Host shared memory beyond shmget (PGL §4.10, SDK penglai-shm.c): PLenclave_shmat / shmdt / shmctl.
 * The segment is a host-side object the monitor never sees by id; attaching maps it into the creating
 * process, revoking it frees its pages — refused while an enclave the host created still maps it
 * (IPC-5). The host knows which of its enclaves use a segment from its own bookkeeping (the agents it
 * created over it), so a host that forgot one would revoke memory the monitor still maps (α shows it).
 */
import type { Event, EventOf } from "../../../model/events.ts";
import { err, ok, type Result } from "../../../model/result.ts";
import type { System } from "../../../model/state.ts";
import { between, pick } from "../../../spec/gen/rng.ts";
import type { AgentRef, FamilyExecutor, FamilyHost } from "./familyHost.ts";

type Rand = () => number;
type ShmEvent = EventOf<"host.shmat"> | EventOf<"host.shmdt"> | EventOf<"host.shmctl">;

/**
 * A shmat / shmdt / shmctl by host 0: mostly on a live segment in a state that allows it; now and
 * then attached twice, detached while not attached, revoked while an enclave maps it, a free or
 * out-of-range id (SP-3).
 */
export function hostShmEvent(s: System, rand: Rand, hart: number): Event | undefined {
  const host = 0;
  const live = s.shms.flatMap((k, i) => (k.live ? [i] : []));
  const q = rand();
  const wrong = rand() < 0.15;
  let shm: number;
  if (!live.length || wrong)
    shm = rand() < 0.7 ? between(rand, 0, s.shms.length - 1) : pick(rand, [-1, s.shms.length, 2 ** 31 - 1]);
  else shm = pick(rand, live);
  const k = s.shms[shm];
  if (q < 0.35) {
    // attach the detached ones (the attached ones only when `wrong`: BAD_STATE)
    if (k?.live && k.hostAttached && !wrong) return { type: "host.shmdt", hart, host, shm };
    return { type: "host.shmat", hart, host, shm };
  }
  if (q < 0.7) {
    if (k?.live && !k.hostAttached && !wrong) return { type: "host.shmat", hart, host, shm };
    return { type: "host.shmdt", hart, host, shm };
  }
  // revoke: a segment no enclave uses (the next agent's record, usually), or one in use (SHM_IN_USE)
  if (!wrong && k?.live && k.enclaves.length > 0 && rand() < 0.7) {
    const idle = live.filter((i) => s.shms[i]!.enclaves.length === 0);
    if (idle.length) shm = pick(rand, idle);
  }
  return { type: "host.shmctl", hart, host, shm };
}

/** The host process's side of shmat / shmdt / shmctl over the checker's segment table. */
export class HostShmExecutor implements FamilyExecutor {
  constructor(
    private readonly host: FamilyHost,
    /** The agents the host created, to know which of them map a segment. */
    private readonly agents: () => Iterable<AgentRef>,
  ) {}

  exec(ev: Event): Result | undefined {
    if (ev.type !== "host.shmat" && ev.type !== "host.shmdt" && ev.type !== "host.shmctl") return undefined;
    return this.shm(ev);
  }

  private shm(ev: ShmEvent): Result {
    const table = this.host.platform.shms;
    if (!Number.isInteger(ev.shm) || ev.shm < 0 || ev.shm >= table.length) return err("INVALID_ID");
    const seg = table[ev.shm];
    if (!seg || seg.creator !== ev.host) return err("NO_SUCH_SHM"); // another process's segment is not in its table
    if (ev.type === "host.shmctl") {
      // IPC-5: never freed while one of the host's enclaves maps it
      for (const a of this.agents()) if (seg.pas.includes(a.record)) return err("SHM_IN_USE");
      table[ev.shm] = null;
      return ok();
    }
    const attach = ev.type === "host.shmat";
    if (seg.hostAttached === attach) return err("BAD_STATE");
    seg.hostAttached = attach; // the host maps all of its memory 1:1: attaching is the process's bookkeeping
    return ok();
  }
}
