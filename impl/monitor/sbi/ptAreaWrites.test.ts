import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { bootPlatform } from "../../host/boot.ts";
import { PenglaiDriver } from "../../host/penglaiDriver.ts";
import { HostFid } from "../../../model/abi.ts";
import { ReturnCode } from "../../../model/codes.ts";

// Found by the live-object fuzz (issue 6): the page-table area is public (the host maps and reads
// it) but read-only to S-mode, and changes only through SET_PTE/MAP_PTE (PT-2). The monitor wrote an
// attestation report there for the host, and would have secured its pages for an enclave, a relay
// region or its pool, or let an enclave's kbuffer/shm window or mailbox point there.
const hello = new Uint8Array(readFileSync(new URL("../../eapp/bin/hello-world.elf", import.meta.url)));
const PAGE = 4096n;

describe("the monitor never writes or hands over the page-table area (PT-2)", () => {
  it("refuses a report, a donation, a relay region and an shm window there, writing nothing", () => {
    const p = bootPlatform({ harts: 1 });
    const d = new PenglaiDriver(p.kernel);
    const k = p.kernel;
    const pt = k.layout.ptArea;
    const eid = d.create(hello);
    const area = p.machine.mem.read(pt.base, Number(pt.size));
    const writes = p.machine.mem.firmwareWrites;
    for (const at of [pt.base + pt.size - PAGE, pt.base + 0x1000n, pt.base - 8n])
      expect(k.sbi(HostFid.ATTEST_ENCLAVE, [BigInt(eid), at, 1234n])).toBe(BigInt(ReturnCode.INVALID_ARGUMENT));
    expect(k.sbi(HostFid.MEMORY_EXTEND, [pt.base + pt.size - 4n * PAGE, 4n * PAGE])).toBe(BigInt(ReturnCode.PAGES_NOT_AVAILABLE));
    // a relay region that cannot be secured: the spec's "relay not ready" refusal (host.run ✗ RELAY_UNAVAILABLE)
    expect(d.run(eid, 0, { pa: pt.base + pt.size - 4n * PAGE, size: 4n * PAGE }).code).toBe(BigInt(ReturnCode.RELAY_UNAVAILABLE));
    expect(p.machine.mem.firmwareWrites).toBe(writes);
    expect(Buffer.from(p.machine.mem.read(pt.base, Number(pt.size))).equals(Buffer.from(area))).toBe(true);
    expect(d.create(hello, { shm: { pa: pt.base + pt.size - PAGE, size: PAGE } })).toBe(ReturnCode.PAGES_NOT_AVAILABLE);
    expect(p.monitor.state.enclaves.filter((e) => e !== null)).toHaveLength(1);
    // a report in ordinary host memory is still written
    const report = k.allocPages(PAGE);
    expect(k.sbi(HostFid.ATTEST_ENCLAVE, [BigInt(eid), report, 1234n])).toBe(0n);
    expect(d.run(eid).code).toBe(0n);
  });
});
