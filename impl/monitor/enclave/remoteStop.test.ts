import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { bootPlatform } from "../../host/boot.ts";
import { PenglaiDriver } from "../../host/penglaiDriver.ts";
import { ReturnCode } from "../../../model/codes.ts";

// Two harts (issue 6): the host on hart 0 stops and destroys an enclave running on hart 1; the
// monitor reaches it with an IPI (PGL §3.2), and at most one hart runs a given enclave (LC-5).
const elf = (name: string) => new Uint8Array(readFileSync(new URL(`../../eapp/bin/${name}.elf`, import.meta.url)));

function running(p: ReturnType<typeof bootPlatform>, eid: number): boolean {
  return p.monitor.state.cpus[1] === eid && p.monitor.state.enclaves[eid]!.state === "running";
}

describe("stop and destroy of an enclave running on another hart", () => {
  it("stop by IPI: hart 1's run loop sees TIMER_IRQ, the enclave is STOPPED, then woken and finished", () => {
    const p = bootPlatform({ harts: 2, seed: 3 });
    const d = new PenglaiDriver(p.kernel);
    d.timeSlice = 1_000_000n; // no preemption: only the IPI takes it off hart 1
    const eid = d.create(elf("compute"));
    d.startRun(eid, 1);
    while (!running(p, eid)) p.machine.run(100); // hart 1 enters the enclave
    expect(d.run(eid, 0).code).toBe(BigInt(ReturnCode.BAD_STATE)); // LC-5: not on a second hart
    expect(d.stop(eid)).toBe(0); // posted; hart 1 acts on the IPI
    const r = d.finishRun(eid, 1, [ReturnCode.TIMER_IRQ]);
    expect(r.code).toBe(BigInt(ReturnCode.TIMER_IRQ));
    expect(p.monitor.state.enclaves[eid]!.state).toBe("stopped");
    expect(p.monitor.state.cpus[1]).toBe(-1);
    expect(d.wake(eid)).toBe(0);
    d.timeSlice = 500n;
    let out = d.runOneSlice(eid, false, 1);
    while (out.code === BigInt(ReturnCode.TIMER_IRQ)) out = d.runOneSlice(eid, false, 1);
    expect(out.code).toBe(0n);
  });

  it("destroy by IPI: the enclave ends on hart 1, its run loop sees SUCCESS, its pages go back zeroed", () => {
    const p = bootPlatform({ harts: 2, seed: 5 });
    const d = new PenglaiDriver(p.kernel);
    d.timeSlice = 1_000_000n;
    const eid = d.create(elf("compute"));
    const { paddr, size } = d.enclaves.get(eid)!.region;
    d.startRun(eid, 1);
    while (!running(p, eid)) p.machine.run(100);
    expect(d.destroy(eid)).toBe(0);
    const r = d.finishRun(eid, 1);
    expect(r.code).toBe(0n);
    expect(p.monitor.state.enclaves[eid]).toBeNull();
    expect(p.monitor.state.bitmap!.isPublicRange(paddr, size)).toBe(true);
    expect(p.machine.mem.read(paddr, Number(size)).every((b) => b === 0)).toBe(true);
  });
});
