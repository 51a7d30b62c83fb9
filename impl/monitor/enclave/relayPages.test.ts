import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { bootPlatform } from "../../host/boot.ts";
import { PenglaiDriver } from "../../host/penglaiDriver.ts";
import { HostFault } from "../../host/sModePort.ts";
import { ReturnCode } from "../../../model/codes.ts";

// The seed's IPC tutorial (seed 003): host shm shared with the enclave, and Schrödinger/relay pages
// that are the enclave's while it runs and the host's again when it hands them back (PGL §4.7).
const elf = (name: string) => new Uint8Array(readFileSync(new URL(`../../eapp/bin/${name}.elf`, import.meta.url)));

describe("relay (Schrödinger) pages and host shm (seed 003, PGL §4.7, §4.10)", () => {
  it("the host cannot read relay pages while the enclave holds them, gets them back with the enclave's output, edits and re-runs", () => {
    const p = bootPlatform({ harts: 1 });
    const d = new PenglaiDriver(p.kernel);
    const k = p.kernel;
    const shm = k.allocPages(4096n);
    const relay = k.allocPages(4n * 4096n);
    k.zero(shm, 4096n);
    k.zero(relay, 4n * 4096n);
    for (let i = 0n; i < 4n; i++) k.write64(shm + 8n * i, 0x0000_0001_0000_0001n); // eight ints of 1
    k.write64(relay, 0x0000_0002_0000_0002n); // two ints of 2
    const eid = d.create(elf("ipc"), { shm: { pa: shm, size: 4096n } });
    d.timeSlice = 20n; // preempted while it holds the relay pages
    let r = d.runOneSliceWithRelay(eid, { pa: relay, size: 4n * 4096n });
    let probed = false;
    while (r.code === BigInt(ReturnCode.TIMER_IRQ)) {
      if (!probed && p.monitor.state.enclaves[eid]!.dyn.mmaps.some((m) => m.relay)) {
        // MI-4 / OW-6: a host load of a relay page faults while the enclave holds it
        expect(() => k.read64(relay)).toThrow(HostFault);
        probed = true;
      }
      r = d.runOneSlice(eid, false);
    }
    expect(probed).toBe(true);
    expect(r.code).toBe(BigInt(ReturnCode.RETURN_USER_MODE)); // eapp_return_relay_page()
    // the enclave wrote the shm sum (8) into relay word 0 and the relay sum (4) into shm word 0
    expect(k.read64(relay) & 0xffffffffn).toBe(8n);
    expect(k.read64(shm) & 0xffffffffn).toBe(4n);
    k.write64(relay + 8n, 0x0000_0010_0000_0010n); // the host edits the page, then re-runs
    const end = d.rerun(eid);
    expect(end.code).toBe(0n);
    expect(end.retval).toBe(8n + 2n + 0x10n + 0x10n); // the enclave sees the host's edit
    expect(p.monitor.state.bitmap!.isPublicRange(relay, 4n * 4096n)).toBe(true);
    expect(k.read64(relay + 8n)).toBe(0x0000_0010_0000_0010n); // relay content survives the exit (not scrubbed)
  });
});

describe("asynchronous pipeline (PGL §4.7: split_mem_region + asyn_enclave_call)", () => {
  it("A splits its relay region and hands the halves to named enclaves B and C, which pick them up when they start", () => {
    const p = bootPlatform({ harts: 1 });
    const d = new PenglaiDriver(p.kernel);
    const k = p.kernel;
    const relay = k.allocPages(4n * 4096n);
    k.zero(relay, 4n * 4096n);
    const a = d.create(elf("async-producer"), { name: "async-a" });
    const b = d.create(elf("async-consumer"), { name: "async-b" });
    const c = d.create(elf("async-consumer"), { name: "async-c" });
    const ra = d.run(a, 0, { pa: relay, size: 4n * 4096n });
    expect(ra.code).toBe(0n);
    expect(ra.retval).toBe(0n); // split and both hand-overs succeeded
    // the halves are nobody's mapping now and private: the host cannot read them
    expect(p.monitor.state.pendingRelays.map((r) => r.name)).toEqual(["async-b", "async-c"]);
    expect(p.monitor.state.bitmap!.isPublicRange(relay, 4096n)).toBe(false);
    const rb = d.run(b, 0, { pa: 0xffffn, size: 0n });
    const rc = d.run(c, 0, { pa: 0xffffn, size: 0n });
    // first half: 2 pages of int 1; second half: 2 pages of int 2
    expect(rb.retval).toBe((2n * 4096n) / 4n);
    expect(rc.retval).toBe(((2n * 4096n) / 4n) * 2n);
    expect(p.monitor.state.pendingRelays).toEqual([]);
    expect(p.monitor.state.bitmap!.isPublicRange(relay, 4n * 4096n)).toBe(true); // back to the host with the data
    expect(k.read64(relay + 2n * 4096n) & 0xffffffffn).toBe(2n);
  });
});
