import { describe, expect, it } from "vitest";
import { eventSchema, eventTypes } from "./events.ts";

describe("event union", () => {
  it("covers host SDK calls, enclave calls, adversary actions and the environment", () => {
    for (const t of [
      "host.create", "host.fork", "host.run", "host.stop", "host.resume", "host.attest", "host.destroy",
      "host.shmget", "host.shmat", "host.shmdt", "host.shmctl", "host.schrodingerGet", "host.schrodingerAt",
      "host.schrodingerDt", "host.schrodingerCtl", "host.setMemArg", "host.rerun", "host.ocallReturn",
      "enclave.exit", "enclave.print", "enclave.mmap", "enclave.unmap", "enclave.sbrk", "enclave.returnRelay",
      "enclave.acquireServer", "enclave.callServer", "enclave.serverReturn", "enclave.getReport",
      "enclave.asyncCall", "enclave.splitRelay", "enclave.getEnclaveId", "enclave.getCallerId",
      "enclave.yield", "enclave.getKey", "enclave.access", "enclave.shmGet", "enclave.shmAllow",
      "enclave.shmAttach", "enclave.shmDetach", "enclave.shmDestroy", "enclave.shmStat",
      "adversary.setPte", "adversary.mapPte", "adversary.writeSatp", "host.memoryExtend", "enclave.getRandom", "adversary.touch", "adversary.sbi", "env.timer", "env.ipi",
    ]) expect(eventTypes).toContain(t);
  });
  it("parses a valid event and rejects an unknown tag or a missing field", () => {
    expect(eventSchema.parse({ type: "env.timer", hart: 1 })).toEqual({ type: "env.timer", hart: 1 });
    expect(eventSchema.safeParse({ type: "env.nothing", hart: 1 }).success).toBe(false);
    expect(eventSchema.safeParse({ type: "host.run", hart: 0, host: 0 }).success).toBe(false);
  });
});
