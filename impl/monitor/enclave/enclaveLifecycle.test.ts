import { beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { bootPlatform, type Platform } from "../../host/boot.ts";
import { PenglaiDriver } from "../../host/penglaiDriver.ts";
import { BULK_REGS } from "../../host/hostStubs.ts";
import { ReturnCode } from "../../../model/codes.ts";
import { HostFid } from "../../../model/abi.ts";
import { decodeReport } from "../attest/report.ts";
import { verifyReport } from "../attest/attestation.ts";
import { deriveSealingKey } from "../attest/sealing.ts";

// Real enclaves (impl/eapp, RISC-V ELF fixtures) on the real monitor, driven by the real host.
const elf = (name: string) => new Uint8Array(readFileSync(new URL(`../../eapp/bin/${name}.elf`, import.meta.url)));
let P: Platform;
let D: PenglaiDriver;

/** The compute demo's checksum, computed independently (impl/eapp/demos/compute). */
function computeChecksum(): bigint {
  const M = (1n << 64n) - 1n;
  const table = new Array<bigint>(8192).fill(0n);
  let x = 0x9e3779b97f4a7c15n,
    sum = 0n;
  for (let i = 0; i < 1 << 20; i++) {
    x = (x * 6364136223846793005n + 1442695040888963407n) & M;
    const j = Number((x >> 33n) & 8191n);
    table[j] ^= x;
    sum = (((sum << 7n) | (sum >> 57n)) & M) ^ table[j];
  }
  return sum;
}

beforeAll(() => {
  P = bootPlatform();
  D = new PenglaiDriver(P.kernel);
});

describe("normal enclaves end to end (PGL §3.1, §3.2, §6)", () => {
  it("hello-world prints through the ocall and exits with a value the host reads", () => {
    const eid = D.create(elf("hello-world"));
    expect(eid).toBeGreaterThanOrEqual(0);
    const e = D.enclaves.get(eid)!;
    const r = D.run(eid);
    expect(r.code).toBe(0n);
    expect(r.ocalls).toBe(1);
    expect(e.output).toMatch(/^hello world!+ \d+\n$/);
    expect(r.retval).toBe(BigInt(e.output.length)); // printf's return value
    expect(P.monitor.state.enclaves[eid]).toBeNull(); // slot freed
  });

  it("a compute enclave preempted many times by the timer still gets the right answer", () => {
    D.timeSlice = 200n;
    const eid = D.create(elf("compute"));
    const r = D.run(eid);
    expect(r.code).toBe(0n);
    expect(r.timerPreemptions).toBeGreaterThan(20);
    expect(r.retval).toBe(computeChecksum());
  });

  it("CS-1 and MI-4: the region is private while the enclave lives and zero when it returns", () => {
    const eid = D.create(elf("hello-world"));
    const { paddr, size } = D.enclaves.get(eid)!.region;
    const bitmap = P.monitor.state.bitmap!;
    expect(bitmap.isPublicRange(paddr, 4096n)).toBe(false);
    expect(() => P.kernel.read64(paddr + 0x3000n)).toThrow(/faulted/); // the host lost its mapping
    D.run(eid);
    expect(bitmap.isPublicRange(paddr, size)).toBe(true);
    expect(P.machine.mem.read(paddr, Number(size)).every((b) => b === 0)).toBe(true);
    expect(P.kernel.read64(paddr + 0x3000n)).toBe(0n); // host mapping restored
  });

  it("attests a fresh enclave: the report verifies, same ELF gives the same measurement, one byte changes it", () => {
    const a = D.create(elf("hello-world"));
    const b = D.create(elf("hello-world"));
    const patched = elf("hello-world");
    patched[0x1000 + 0x40] ^= 1; // a byte of .text
    const c = D.create(patched);
    const ra = decodeReport(D.attest(a, 7n) as Uint8Array);
    const rb = decodeReport(D.attest(b, 7n) as Uint8Array);
    const rc = decodeReport(D.attest(c, 7n) as Uint8Array);
    expect(verifyReport(ra).ok).toBe(true);
    expect(ra.enclave.nonce).toBe(7n);
    expect(Buffer.from(ra.enclave.hash).equals(Buffer.from(rb.enclave.hash))).toBe(true);
    expect(Buffer.from(ra.enclave.hash).equals(Buffer.from(rc.enclave.hash))).toBe(false);
    // AT-2: attesting again with the same nonce gives the same hash (the stored measurement is untouched)
    expect(Buffer.from(decodeReport(D.attest(a, 7n) as Uint8Array).enclave.hash).equals(Buffer.from(ra.enclave.hash))).toBe(true);
    for (const eid of [a, b, c]) expect(D.destroy(eid)).toBe(0);
  });

  it("refuses lifecycle calls in the wrong state or from another host, and changes nothing", () => {
    const eid = D.create(elf("hello-world"));
    expect(D.stop(eid)).toBe(ReturnCode.BAD_STATE); // FRESH cannot be stopped
    expect(Number(P.kernel.sbi(HostFid.RESUME_ENCLAVE, [BigInt(eid), 0n]))).toBe(ReturnCode.BAD_STATE);
    expect(Number(P.kernel.sbi(HostFid.RUN_ENCLAVE, [99n, 0n]))).toBe(ReturnCode.INVALID_ID);
    // another host process (another root in the PGD sub-area) may not touch it (M08)
    const h = P.machine.harts[0];
    const mine = h.csrRead(0x180);
    const otherRoot = P.monitor.state.ptArea!.base + 4096n * 3n;
    P.kernel.ports[0].exec("bulkLoad", { 10: P.kernel.root }); // copy our root's entries …
    const entries = BULK_REGS.map((r) => h.x(r));
    expect(entries.some((v) => v !== 0n)).toBe(true);
    const copy = P.kernel.sbi(HostFid.SET_PTE, [3n, otherRoot, P.kernel.root, 4096n]); // … with MEMCPY through the monitor
    expect(copy).toBe(0n);
    P.kernel.ports[0].exec("writeSatp", { 10: (8n << 60n) | (otherRoot / 4096n) });
    expect(D.destroy(eid)).toBe(ReturnCode.NOT_CREATOR);
    P.kernel.ports[0].exec("writeSatp", { 10: mine });
    expect(P.monitor.state.enclaves[eid]).not.toBeNull();
    expect(D.destroy(eid)).toBe(0);
  });
});

describe("enclave services (PGL §2.3, §5.3, §5.4)", () => {
  it("mem demo: malloc on sbrk, mmap/unmap and sbrk(−) work on memory the host donates", () => {
    const eid = D.create(elf("mem"));
    const e = D.enclaves.get(eid)!;
    const r = D.run(eid);
    expect(r.code).toBe(0n);
    expect(e.output).toContain("malloc ok");
    // MMAP_SIZE/8 ones + 4 pages of 8s between the breaks (impl/eapp/demos/mem)
    expect(r.retval).toBe((2n * 1024n * 1024n - 4096n) / 8n + 4n * 4096n);
    expect(r.ocalls).toBeGreaterThan(2); // prints plus donations
  });

  it("attest demo: get_report on itself verifies and carries the nonce; get_key is bound to the measurement", () => {
    const shm = P.kernel.allocPages(4096n);
    P.kernel.zero(shm, 4096n);
    P.kernel.write64(shm, 0xabcdefn);
    const eid = D.create(elf("attest"), { shm: { pa: shm, size: 4096n } });
    const stored = Buffer.from(P.monitor.state.enclaves[eid]!.hash);
    const r = D.run(eid);
    expect(r.code).toBe(0n);
    expect(r.retval).toBe(0n); // report ok, nonce ok, key ok
    const page = P.kernel.readBytes(shm, 4096);
    const report = decodeReport(page.subarray(8, 8 + 328));
    expect(report.enclave.nonce).toBe(0xabcdefn);
    expect(verifyReport(report).ok).toBe(true);
    const key = page.subarray(336, 336 + 32);
    expect(Buffer.from(key)).toEqual(Buffer.from(deriveSealingKey(P.monitor.state.sealingRoot, stored, 0, 32)));
  });
});

describe("stop and resume (PGL §3.2)", () => {
  it("a preempted enclave can be stopped, is not entered while stopped, and finishes right after a wake", () => {
    D.timeSlice = 300n;
    const eid = D.create(elf("compute"));
    expect(D.runOneSlice(eid, true).code).toBe(BigInt(ReturnCode.TIMER_IRQ));
    expect(D.stop(eid)).toBe(0);
    expect(P.monitor.state.enclaves[eid]!.state).toBe("stopped");
    // the run loop's timer resume does not enter a stopped enclave: refused until it is woken (spec: stopped RESUME)
    expect(Number(P.kernel.sbi(HostFid.RESUME_ENCLAVE, [BigInt(eid), 0n]))).toBe(ReturnCode.BAD_STATE);
    expect(D.stop(eid)).toBe(ReturnCode.BAD_STATE); // already stopped
    expect(D.wake(eid)).toBe(0);
    const r = D.runOneSlice(eid, false); // resumes where it was preempted
    expect(r.code).toBe(BigInt(ReturnCode.TIMER_IRQ));
    expect(D.run(eid).code).toBe(BigInt(ReturnCode.BAD_STATE)); // LC-2: RUN only a FRESH enclave
    let out = D.runOneSlice(eid, false);
    while (out.code === BigInt(ReturnCode.TIMER_IRQ)) out = D.runOneSlice(eid, false);
    expect(out.code).toBe(0n);
    expect(out.retval).toBe(computeChecksum());
  });
});

describe("NO_MEM (PGL §4.6)", () => {
  it("when the slots are full the driver donates memory once, retries, then stops donating; failing creates change nothing", () => {
    const p = bootPlatform({ harts: 1 }, { maxEnclaves: 1 });
    const monitor = p.monitor;
    const d = new PenglaiDriver(p.kernel);
    const hello = elf("hello-world");
    expect(d.create(hello)).toBe(0);
    const pool = monitor.state.ledger.heldBy(-2).length;
    expect(d.create(hello)).toBe(ReturnCode.NO_MEM);
    expect(monitor.state.ledger.heldBy(-2).length).toBe(pool + 512); // one 2 MiB donation (MEMORY_EXTEND)
    expect(d.donateOnNoMem).toBe(false);
    expect(d.create(hello)).toBe(ReturnCode.NO_MEM);
    expect(monitor.state.ledger.heldBy(-2).length).toBe(pool + 512); // no second donation
  });
});
