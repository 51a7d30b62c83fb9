/**
 * `npm run bench:monitor` — the cost of the real monitor path (issue 5 "Speed"):
 *   monitor.create-run-exit.ms  hello-world: load + SBI_CREATE + RUN (one print ocall) + exit, median
 *   monitor.ocall.us            one ocall round trip (enclave → monitor → host → monitor → enclave),
 *                               measured as an agent PRINT command minus an agent NOP command, medians
 *   monitor.guest-mips          instructions per second while the compute demo runs, timer-preempted
 */
import { readFileSync } from "node:fs";
import { bootPlatform } from "../../host/boot.ts";
import { PenglaiDriver } from "../../host/penglaiDriver.ts";
import type { HostKernel } from "../../host/hostKernel.ts";
import { AgentOp, postCommand, type RecordPort } from "../../eapp/agentRecord.ts";

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
  const rec: RecordPort = {
    read64: (o) => k.read64(shm + BigInt(o)),
    write64: (o, v) => k.write64(shm + BigInt(o), v),
    read: (o, len) => k.readBytes(shm + BigInt(o), len),
    write: (o, b) => k.writeBytes(shm + BigInt(o), b),
  };
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

console.log(`monitor.create-run-exit.ms: ${createRunExit().toFixed(1)}`);
console.log(`monitor.ocall.us: ${ocallMicros().toFixed(1)}`);
console.log(`monitor.guest-mips: ${guestMips().toFixed(1)}`);
