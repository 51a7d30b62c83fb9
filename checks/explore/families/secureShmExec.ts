/**
 * Executes the secure shared memory family (PGL §4.9, IPC-5) as agent commands: every call is one
 * real ecall of the agent (RAW_ECALL) — OCALL_SHM_GET / DETACH / DESTROY (fid 98, ocall 9–11),
 * SHM_ALLOW (fid 82), SHM_ATTACH (fid 84), SHM_STAT (fid 83). Results are read in the model's
 * terms: an attach answers the segment's VA, the model its id (the monitor's slot); a stat writes
 * {count, size} into the agent's scratch page, the model answers the count.
 */
import { ENCLAVE_EXTENSION, EnclaveFid, OcallId } from "../../../model/abi.ts";
import type { Event } from "../../../model/events.ts";
import { ok, type Result } from "../../../model/result.ts";
import { AgentOp, REC } from "../../../impl/eapp/agentRecord.ts";
import type { FamilyCommand, FamilyContext } from "./relayExec.ts";

const PAGE = 4096n;
const EXT = BigInt(ENCLAVE_EXTENSION);
const ocall = (id: number, ...a: bigint[]) => [EXT, BigInt(EnclaveFid.ENCLAVE_OCALL), BigInt(id), ...a];
const key64 = (k: number) => BigInt.asUintN(64, BigInt(k));

/**
 * A secure shm event of enclave `eid` as an agent command, or undefined if it is not one; `record`
 * is the host's view of the agent's command record (its shm page).
 */
export function secureShmCommand(ctx: FamilyContext, ev: Event, eid: number, record: bigint): FamilyCommand | undefined {
  const st = ctx.platform.p.monitor.state;
  switch (ev.type) {
    case "enclave.shmGet":
      return { cmd: { op: AgentOp.RAW_ECALL, args: ocall(OcallId.SHM_GET, key64(ev.key), BigInt(ev.count) * PAGE) } };
    case "enclave.shmAllow":
      return {
        cmd: {
          op: AgentOp.RAW_ECALL,
          args: [EXT, BigInt(EnclaveFid.SHM_ALLOW), key64(ev.key), BigInt.asUintN(64, BigInt(ev.eid))],
        },
      };
    case "enclave.shmAttach": {
      const interpret = (r: Result): Result => {
        if (r.status !== "ok" || r.code !== "SUCCESS") return r;
        const seg = st.secureShms.get(key64(ev.key));
        return seg ? ok("SUCCESS", seg.id) : r;
      };
      return { cmd: { op: AgentOp.RAW_ECALL, args: [EXT, BigInt(EnclaveFid.SHM_ATTACH), key64(ev.key)] }, interpret };
    }
    case "enclave.shmDetach":
      return { cmd: { op: AgentOp.RAW_ECALL, args: ocall(OcallId.SHM_DETACH, key64(ev.key)) } };
    case "enclave.shmDestroy":
      return { cmd: { op: AgentOp.RAW_ECALL, args: ocall(OcallId.SHM_DESTROY, key64(ev.key)) } };
    case "enclave.shmStat": {
      const mem = ctx.platform.p.machine.mem;
      const scratch = mem.read64(record + BigInt(REC.SCRATCH_VA));
      const m = ctx.mappings(eid).find((x) => x.va === scratch);
      const interpret = (r: Result): Result => {
        if (r.status !== "ok" || r.code !== "SUCCESS" || !m) return r;
        return ok("SUCCESS", Number(mem.read64(m.pa))); // the reference count the monitor wrote
      };
      return { cmd: { op: AgentOp.RAW_ECALL, args: [EXT, BigInt(EnclaveFid.SHM_STAT), key64(ev.key), scratch] }, interpret };
    }
    default:
      return undefined;
  }
}
