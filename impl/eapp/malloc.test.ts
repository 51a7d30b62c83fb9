import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { EcallRecorder, demoElf, VA, type Ecall } from "./testing/ecallRecorder.ts";
import { AgentDriver } from "./testing/agentDriver.ts";
import { AgentOp } from "./agentRecord.ts";
import { EnclaveFid, OcallId } from "../../model/abi.ts";

// The allocator's documented policy (src/malloc.c): 16-byte header, 16-byte granule, 32-byte
// minimum block; growth by whole pages; top pages returned from 64 KiB up.
const HDR = 16n;
const PAGE = 4096n;
const TRIM = 64n * 1024n;
const need = (n: bigint) => (((n + 15n) & ~15n) + HDR < 32n ? 32n : ((n + 15n) & ~15n) + HDR);
const roundPage = (n: bigint) => (n + PAGE - 1n) & ~(PAGE - 1n);
const isOcall = (id: number) => (c: Ecall) => c.a7 === BigInt(EnclaveFid.ENCLAVE_OCALL) && c.a0 === BigInt(id);
const sbrkArg = (c: Ecall) => BigInt.asIntN(64, c.a1);

describe("malloc/free on sbrk (PGL §2.3 id 4: OCALL_SBRK takes a signed page multiple, returns the NEW top)", async () => {
  const agent = await demoElf("agent");

  it("a first malloc(n) grows the heap by ROUNDUP(need(n), 4 KiB) and returns heap base + header", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 600_000n }), (n) => {
        const d = new AgentDriver(agent);
        const [m, f] = d.run([
          { op: AgentOp.MALLOC, args: [n] },
          { op: AgentOp.FREE, args: [VA.HEAP_BASE + HDR] },
        ]);
        const grow = roundPage(need(n));
        expect(m.calls.map((c) => [c.a7, c.a0, sbrkArg(c)])).toEqual([[BigInt(EnclaveFid.ENCLAVE_OCALL), BigInt(OcallId.SBRK), grow]]);
        expect(m.result).toBe(VA.HEAP_BASE + HDR);
        // the freed block starts on a page at the top: all of it goes back once it reaches 64 KiB
        expect(f.calls.map(sbrkArg)).toEqual(grow >= TRIM ? [-grow] : []);
      }),
      { numRuns: 30 },
    );
  });

  it("allocations that fit reuse the heap without an ocall; returned blocks are 16-aligned and disjoint", () => {
    fc.assert(
      fc.property(fc.array(fc.bigInt({ min: 1n, max: 3000n }), { minLength: 2, maxLength: 12 }), (sizes) => {
        const d = new AgentDriver(agent);
        const done = d.run(sizes.map((n) => ({ op: AgentOp.MALLOC, args: [n] })));
        const grown = done.flatMap((c) => c.calls.filter(isOcall(OcallId.SBRK)).map(sbrkArg));
        grown.forEach((g) => expect(g % PAGE).toBe(0n));
        // pages requested cover exactly what the blocks need, rounded per growth
        const total = sizes.reduce((s, n) => s + need(n), 0n);
        expect(grown.reduce((s, g) => s + g, 0n)).toBe(roundPage(total));
        const blocks = done.map((c, i) => [c.result, c.result + sizes[i]] as const).sort((a, b) => (a[0] < b[0] ? -1 : 1));
        blocks.forEach(([start], i) => {
          expect(start % 16n).toBe(0n);
          if (i > 0) expect(start).toBeGreaterThanOrEqual(blocks[i - 1][1]);
        });
      }),
      { numRuns: 25 },
    );
  });

  it("free then malloc of the same size reuses the block (no ocall)", () => {
    const d = new AgentDriver(agent);
    const [a, , b] = d.run([
      { op: AgentOp.MALLOC, args: [100n] },
      { op: AgentOp.FREE, args: [VA.HEAP_BASE + HDR] },
      { op: AgentOp.MALLOC, args: [100n] },
    ]);
    expect(b.result).toBe(a.result);
    expect(b.calls).toEqual([]);
  });

  it("the mem demo: mmap/unmap, sbrk(0), -4096, +0x4000, +0x1000; returns MMAP_SIZE/8 + the break's net growth", async () => {
    const rec = new EcallRecorder(await demoElf("mem"));
    const outcome = rec.run(50_000_000);
    const mmap = rec.calls.filter(isOcall(OcallId.MMAP));
    const unmap = rec.calls.filter(isOcall(OcallId.UNMAP));
    expect(mmap).toHaveLength(1);
    expect(unmap.map((c) => [c.a1, c.a2])).toEqual([[VA.MMAP_TOP - roundPage(mmap[0].a2), mmap[0].a2]]);
    const sbrks = rec.calls.filter(isOcall(OcallId.SBRK)).map(sbrkArg);
    sbrks.forEach((s) => expect(s % PAGE).toBe(0n));
    // the demo's own break moves come after the unmap: sbrk(0) then its net growth
    const afterUnmap = rec.calls.slice(rec.calls.indexOf(unmap[0])).filter(isOcall(OcallId.SBRK)).map(sbrkArg);
    expect(afterUnmap[0]).toBe(0n);
    const net = afterUnmap.slice(1).reduce((s, v) => s + v, 0n);
    expect(outcome).toEqual({ kind: "exit", value: mmap[0].a2 / 8n + net });
    expect(rec.prints().some((p) => p.startsWith("mem: malloc ok"))).toBe(true);
  });
});
