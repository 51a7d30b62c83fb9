import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { bootPlatform } from "../../host/boot.ts";
import { PenglaiDriver } from "../../host/penglaiDriver.ts";
import { loadEnclaveAt } from "../../host/enclaveLoader.ts";
import { HostFid } from "../../../model/abi.ts";
import { ReturnCode } from "../../../model/codes.ts";

const elf = (name: string) => new Uint8Array(readFileSync(new URL(`../../eapp/bin/${name}.elf`, import.meta.url)));
const PAGE = 4096n;

// A live enclave's kbuffer and host shm stay public, but no securing may take them: the enclave would
// keep mapping memory that became the monitor's or another enclave's (spec pageOwnership: kbuffer and
// shm pages refuse DONATE/ASSIGN; MI-1, MI-2). The monitor secured them — found by the explorer
// donating an enclave's shm page with SBI_MEMORY_EXTEND.
describe("a live enclave's shared windows are never secured", () => {
  it("MEMORY_EXTEND and a create over another enclave's kbuffer or shm are refused", () => {
    const p = bootPlatform({ harts: 1 });
    const k = p.kernel;
    const d = new PenglaiDriver(k);
    d.donateOnNoMem = false;
    const block = k.allocPages(64n * PAGE); // the windows lie inside a block the host later offers as a region
    const kbuffer = block + 8n * PAGE;
    const shm = block + 9n * PAGE;
    k.zero(block, 64n * PAGE);
    const own = k.allocPages(64n * PAGE);
    const a = d.create(elf("hello-world"), {
      shm: { pa: shm, size: PAGE },
      placed: { region: loadEnclaveAt(k, elf("hello-world"), own, 64n * PAGE), kbuffer },
    });
    expect(a).toBeGreaterThanOrEqual(0);
    for (const pa of [kbuffer, shm])
      expect(k.sbi(HostFid.MEMORY_EXTEND, [pa, PAGE])).toBe(BigInt(ReturnCode.PAGES_NOT_AVAILABLE));
    expect(k.sbi(HostFid.MEMORY_EXTEND, [block, 16n * PAGE])).toBe(BigInt(ReturnCode.PAGES_NOT_AVAILABLE)); // straddles both
    const other = k.allocPages(PAGE);
    const b = d.create(elf("hello-world"), {
      placed: { region: loadEnclaveAt(k, elf("hello-world"), block, 64n * PAGE), kbuffer: other },
    });
    expect(b).toBe(ReturnCode.PAGES_NOT_AVAILABLE);
    expect(p.monitor.state.bitmap!.isPrivate(Number((kbuffer - p.machine.mem.base) / PAGE))).toBe(false);
    // once the enclave is gone its windows are plain host memory again
    expect(d.destroy(a)).toBe(0);
    expect(k.sbi(HostFid.MEMORY_EXTEND, [kbuffer, PAGE])).toBe(0n);
  });
});
