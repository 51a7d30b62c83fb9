import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { bootPlatform } from "../../host/boot.ts";
import { PenglaiDriver } from "../../host/penglaiDriver.ts";
import { EnclaveType, ResumeReason } from "../../abi/enclaveAbi.ts";
import { HostFid } from "../../../model/abi.ts";
import { ReturnCode } from "../../../model/codes.ts";
import { PTE_W, walkTable } from "./enclavePageTable.ts";

// The seed's shadow tutorial (seed 004): one shadow, instances forked from it (PGL §3.4).
const elf = (name: string) => new Uint8Array(readFileSync(new URL(`../../eapp/bin/${name}.elf`, import.meta.url)));

describe("shadow enclaves and fork (seed 004, PGL §3.4)", () => {
  it("forks instances that each start from the clean image, with their own writable pages, stack and heap", () => {
    const p = bootPlatform({ harts: 1 });
    const d = new PenglaiDriver(p.kernel);
    const shadow = d.create(elf("shadow-hello"), { type: EnclaveType.SHADOW });
    expect(p.monitor.state.enclaves[shadow]!.state).toBe("ready");
    expect(d.run(shadow).code).toBe(BigInt(ReturnCode.SHADOW_NOT_RUNNABLE)); // never runs itself
    // so it is neither stopped nor resumed (spec shadowEnclave); waking it is a plain BAD_STATE (it is not stopped)
    expect(d.stop(shadow)).toBe(ReturnCode.SHADOW_NOT_RUNNABLE);
    expect(p.kernel.sbi(HostFid.RESUME_ENCLAVE, [BigInt(shadow), ResumeReason.TIMER_IRQ])).toBe(
      BigInt(ReturnCode.SHADOW_NOT_RUNNABLE),
    );
    expect(d.wake(shadow)).toBe(ReturnCode.BAD_STATE);
    for (let i = 0; i < 4; i++) {
      const r = d.fork(shadow, `instance-${i}`);
      expect(r.code).toBe(0n);
      expect(r.retval).toBe(1n); // the run counter in .data starts at 0 in every instance
      expect(d.finished.get(r.eid)).toMatch(/instance run 1/);
    }
    expect(d.destroy(shadow)).toBe(0);
  });

  it("shares only read-only pages (held by the shadow), copies writable ones, reuses the measurement (AT-6)", () => {
    const p = bootPlatform({ harts: 1 });
    const d = new PenglaiDriver(p.kernel);
    d.timeSlice = 30n;
    const shadow = d.create(elf("shadow-hello"), { type: EnclaveType.SHADOW });
    const r = d.fork(shadow, "a", 0, [ReturnCode.TIMER_IRQ, ReturnCode.OCALL]);
    expect(r.eid).toBeGreaterThanOrEqual(0);
    const st = p.monitor.state;
    const inst = st.enclaves[r.eid]!;
    expect(inst.parent).toBe(shadow);
    expect(Buffer.from(inst.hash)).toEqual(Buffer.from(st.enclaves[shadow]!.hash));
    const shadowLeaves = new Map(walkTable(p.machine.mem, st.enclaves[shadow]!.root).leaves.map((l) => [l.va, l]));
    let shared = 0,
      copied = 0;
    for (const l of walkTable(p.machine.mem, inst.root).leaves) {
      const s = shadowLeaves.get(l.va);
      if (!s) continue;
      if ((s.pte & PTE_W) === 0n) {
        expect(l.pa).toBe(s.pa); // shared, read-only, still the shadow's
        expect(l.pte & PTE_W).toBe(0n);
        expect(st.ledger.holderOf(l.pa)).toBe(shadow);
        shared++;
      } else {
        expect(l.pa).not.toBe(s.pa); // a private copy
        expect(st.ledger.holderOf(l.pa)).toBe(r.eid);
        copied++;
      }
    }
    expect(shared).toBeGreaterThan(0);
    expect(copied).toBeGreaterThan(0);
    // IPC-6: the shadow cannot go while an instance lives
    expect(d.destroy(shadow)).toBe(ReturnCode.SHADOW_HAS_INSTANCES);
    expect(d.destroy(r.eid)).toBe(0);
    expect(st.ledger.heldBy(r.eid)).toEqual([]); // the copies went back to the host, the shared pages did not
    expect(d.destroy(shadow)).toBe(0);
  });
});
