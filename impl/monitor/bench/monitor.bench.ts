/**
 * `npm run bench:monitor` — the cost of the real monitor path (issue 5 "Speed"):
 *   monitor.create-run-exit.ms  hello-world: load + SBI_CREATE + RUN (one print ocall) + exit, median
 *   monitor.ocall.us            one ocall round trip (enclave → monitor → host → monitor → enclave),
 *                               measured as an agent PRINT command minus an agent NOP command, medians
 *   monitor.guest-mips          instructions per second while the compute demo runs, timer-preempted
 *   monitor.fork.ms             shadow-hello: fork + run + exit of an instance (PGL §3.4), median
 *   monitor.fork-speedup        create-run-exit / fork (the OSDI'21 paper: fork cuts initialisation)
 *   monitor.server-call.us      one server call/return round trip (agent CALL minus agent NOP), medians
 */
import { readFileSync } from "node:fs";
import { bootPlatform } from "../../host/boot.ts";
import { PenglaiDriver } from "../../host/penglaiDriver.ts";
import type { HostKernel } from "../../host/hostKernel.ts";
import { AgentOp, hostRecordPort, postCommand, REC, type RecordPort } from "../../eapp/agentRecord.ts";
import { EnclaveType } from "../../abi/enclaveAbi.ts";

const elf = (name: string) => new Uint8Array(readFileSync(new URL(`../../eapp/bin/${name}.elf`, import.meta.url)));
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function createRunExit(): number {
  const p = bootPlatform({ harts: 1 });
  const d = new PenglaiDriver(p.kernel);
  const hello = elf("hello-world");
  const times: number[] = [];
  for (let i = 0; i < 15; i++) {
    const t0 = performance.now();
    const eid = d.create(hello);
    const r = d.run(eid);
    times.push(performance.now() - t0);
    if (r.code !== 0n) throw new Error(`hello-world failed: ${r.code}`);
  }
  return median(times.slice(3));
}

function ocallMicros(): number {
  const p = bootPlatform({ harts: 1 });
  const d = new PenglaiDriver(p.kernel);
  d.timeSlice = 1_000_000n;
  const shm = p.kernel.allocPages(4096n);
  p.kernel.zero(shm, 4096n);
  const eid = d.create(elf("agent"), { shm: { pa: shm, size: 4096n } });
  const k: HostKernel = p.kernel;
  const rec = hostRecordPort(k, shm);
  d.runUntilYield(eid, true);
  const text = new Uint8Array(16);
  text.set(new TextEncoder().encode("x\n"));
  const sample = (op: number): number => {
    postCommand(rec, op === AgentOp.PRINT ? { op, data: text } : { op });
    const t0 = performance.now();
    d.runUntilYield(eid, false);
    return performance.now() - t0;
  };
  const nop: number[] = [],
    print: number[] = [];
  for (let i = 0; i < 300; i++) {
    nop.push(sample(AgentOp.NOP));
    print.push(sample(AgentOp.PRINT));
  }
  return (median(print.slice(50)) - median(nop.slice(50))) * 1000;
}

function guestMips(): number {
  const p = bootPlatform({ harts: 1 });
  const d = new PenglaiDriver(p.kernel);
  d.timeSlice = 500n;
  const eid = d.create(elf("compute"));
  const n0 = p.machine.instructions;
  const t0 = performance.now();
  const r = d.run(eid);
  const dt = performance.now() - t0;
  if (r.code !== 0n || r.timerPreemptions < 10) throw new Error(`compute: ${r.code}, ${r.timerPreemptions} preemptions`);
  return (p.machine.instructions - n0) / (dt * 1000);
}

/** Fork + run + exit of a shadow instance (PGL §3.4), median. */
function forkRunExit(): number {
  const p = bootPlatform({ harts: 1 });
  const d = new PenglaiDriver(p.kernel);
  const shadow = d.create(elf("shadow-hello"), { type: EnclaveType.SHADOW });
  const times: number[] = [];
  for (let i = 0; i < 15; i++) {
    const t0 = performance.now();
    const r = d.fork(shadow, "bench");
    times.push(performance.now() - t0);
    if (r.code !== 0n) throw new Error(`fork failed: ${r.code}`);
  }
  return median(times.slice(3));
}

/** One server call/return round trip (PGL §3.3): the agent calls an idle server that returns at once. */
function serverCallMicros(): number {
  const p = bootPlatform({ harts: 1 });
  const d = new PenglaiDriver(p.kernel);
  d.timeSlice = 1_000_000n;
  const k: HostKernel = p.kernel;
  const shmOf = (): bigint => {
    const pa = k.allocPages(4096n);
    k.zero(pa, 4096n);
    return pa;
  };
  const serverShm = shmOf();
  const server = d.create(elf("agent"), { name: "bench-server", type: EnclaveType.SERVER, shm: { pa: serverShm, size: 4096n } });
  const shm = shmOf();
  const caller = d.create(elf("agent"), { shm: { pa: shm, size: 4096n } });
  const rec = hostRecordPort(k, shm);
  const srv = hostRecordPort(k, serverShm);
  d.runUntilYield(caller, true);
  // the server's agent answers every call with SERVER_RETURN: preload its command
  const sample = (op: number): number => {
    srv.write64(REC.OPCODE, BigInt(AgentOp.SERVER_RETURN));
    srv.write64(REC.SEQ, srv.read64(REC.DONE) + 1n);
    postCommand(rec, op === AgentOp.CALL ? { op, args: [BigInt(server)], callArg: [0n, 0n, 0n, 0n, 0n, 0n] } : { op });
    const t0 = performance.now();
    d.runUntilYield(caller, false);
    return performance.now() - t0;
  };
  const call: number[] = [],
    nop: number[] = [];
  for (let i = 0; i < 200; i++) {
    nop.push(sample(AgentOp.NOP));
    call.push(sample(AgentOp.CALL));
  }
  if (BigInt.asIntN(64, rec.read64(REC.RESULT)) !== 0n)
    throw new Error(`server call failed: ${BigInt.asIntN(64, rec.read64(REC.RESULT))}`);
  return (median(call.slice(30)) - median(nop.slice(30))) * 1000;
}

const cre = createRunExit();
const fork = forkRunExit();
console.log(`monitor.create-run-exit.ms: ${cre.toFixed(1)}`);
console.log(`monitor.fork.ms: ${fork.toFixed(1)}`);
console.log(`monitor.fork-speedup: ${(cre / fork).toFixed(2)}`);
console.log(`monitor.server-call.us: ${serverCallMicros().toFixed(1)}`);
console.log(`monitor.ocall.us: ${ocallMicros().toFixed(1)}`);
console.log(`monitor.guest-mips: ${guestMips().toFixed(1)}`);
