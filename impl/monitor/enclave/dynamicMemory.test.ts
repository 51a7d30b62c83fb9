import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { bootPlatform } from "../../host/boot.ts";
import { PenglaiDriver } from "../../host/penglaiDriver.ts";
import { HostFid, OcallId } from "../../../model/abi.ts";
import { ResumeReason } from "../../abi/enclaveAbi.ts";

const elf = (name: string) => new Uint8Array(readFileSync(new URL(`../../eapp/bin/${name}.elf`, import.meta.url)));
const PAGE = 4096n;

// PGL §2.3: OCALL_UNMAP scrubs and frees the region (the host frees its block), OCALL_SBRK(−) gives the
// pages above the new top back; both leave for the host (spec enclave.unmap / sbrk: OCALL_RELEASE).
// The monitor used to keep such pages private in a spare pool and answer without leaving (found by
// the explorer driving sbrk/unmap: the spec's pages were the host's again, the monitor's the enclave's).
describe("dynamic memory given back (PGL §2.3 OCALL_UNMAP, OCALL_SBRK)", () => {
  it("unmap and sbrk(−) leave with the ocall; the pages are public and zero when the host sees them (CS-1)", () => {
    const p = bootPlatform({ harts: 1 });
    const d = new PenglaiDriver(p.kernel);
    const eid = d.create(elf("mem"));
    const e = d.enclaves.get(eid)!;
    const seen: { func: bigint; pa: bigint; size: bigint; publicAndZero: boolean }[] = [];
    const sbi = p.kernel.sbi.bind(p.kernel);
    p.kernel.sbi = (fid, args, hart = 0) => {
      if (fid === HostFid.RESUME_ENCLAVE && args[1] === ResumeReason.OCALL) {
        const func = args[2]!;
        if (func === BigInt(OcallId.UNMAP) || (func === BigInt(OcallId.SBRK) && args.length === 3)) {
          const pa = p.machine.mem.read64(e.paramPage + 0x108n);
          const size = p.machine.mem.read64(e.paramPage + 0x110n);
          const bitmap = p.monitor.state.bitmap!;
          let publicAndZero = true;
          for (let a = pa; a < pa + size; a += PAGE)
            publicAndZero &&=
              !bitmap.isPrivate(Number((a - p.machine.mem.base) / PAGE)) && p.machine.mem.read(a, 4096).every((b) => b === 0);
          seen.push({ func, pa, size, publicAndZero });
        }
      }
      return sbi(fid, args, hart);
    };
    const r = d.run(eid);
    expect(r.code).toBe(0n);
    expect(r.retval).toBe((2n * 1024n * 1024n - 4096n) / 8n + 4n * 4096n); // the demo's own checks still hold
    const unmap = seen.filter((s) => s.func === BigInt(OcallId.UNMAP));
    expect(unmap).toHaveLength(1);
    expect(unmap[0]!.size).toBeGreaterThan(0n);
    expect(unmap[0]!.publicAndZero).toBe(true);
    expect(seen.filter((s) => s.func === BigInt(OcallId.SBRK)).length).toBeGreaterThan(0); // sbrk(−4096) left too
  });
});
