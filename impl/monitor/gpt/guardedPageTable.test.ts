import { beforeAll, describe, expect, it } from "vitest";
import { bootPlatform, type Platform } from "../../host/boot.ts";
import { HostFault } from "../../host/sModePort.ts";
import { HostFid } from "../../../model/abi.ts";
import { ReturnCode } from "../../../model/codes.ts";
import { CSR, MS_TVM } from "../../riscv/csrNumbers.ts";
import { SetPteFlag } from "./setPte.ts";
import { Machine } from "../../riscv/machine.ts";
import { SecureMonitor } from "../monitor.ts";
import { HostKernel } from "../../host/hostKernel.ts";

// The Guarded Page Table end to end: the host is real S-mode code, the monitor real M-mode firmware.
let P: Platform;
const PAGE = 4096n;
const leaf = (pa: bigint, perm = 0x2n | 0x4n): bigint => ((pa / PAGE) << 10n) | perm | 0x1n | 0x40n | 0x80n;

/** The host's PTE slot for `va` (walks its own table by reading through the S-mode hart). */
function pteSlot(va: bigint): bigint {
  let table = P.kernel.root;
  for (const shift of [30n, 21n]) {
    const e = P.kernel.read64(table + ((va >> shift) & 511n) * 8n);
    table = ((e >> 10n) & ((1n << 44n) - 1n)) * PAGE;
  }
  return table + ((va >> 12n) & 511n) * 8n;
}

function faultOf(f: () => unknown): bigint {
  try {
    f();
  } catch (e) {
    if (e instanceof HostFault) return e.scause;
    throw e;
  }
  throw new Error("expected a host fault");
}

beforeAll(() => {
  P = bootPlatform();
});

describe("Guarded Page Table (PGL §4.2–§4.4)", () => {
  it("boots the host on a page table inside the PGD sub-area with TVM set on every hart", () => {
    const area = P.monitor.state.ptArea!;
    for (const h of P.machine.harts) {
      expect(area.isRoot((h.csrRead(CSR.satp) & ((1n << 44n) - 1n)) * PAGE)).toBe(true);
      expect(h.csrRead(CSR.mstatus) & BigInt(MS_TVM)).not.toBe(0n);
    }
  });

  it("PT-2: a host store into the page-table area faults and changes nothing", () => {
    const slot = pteSlot(P.kernel.layout.freeBase);
    const before = P.kernel.read64(slot);
    expect(faultOf(() => P.kernel.write64(slot, 0n))).toBe(7n); // store access fault (PMP 1 is read-only)
    expect(P.kernel.read64(slot)).toBe(before);
  });

  it("PMP 0 hides the SM region from S-mode even without translation", () => {
    const m = new Machine({ harts: 1, ramSize: 32 << 20 });
    const monitor = new SecureMonitor(m);
    const kernel = new HostKernel(m);
    m.mem.write(kernel.image().pa, kernel.image().bytes);
    monitor.boot(kernel.entry); // bare S-mode, before the kernel's own boot
    expect(faultOf(() => kernel.ports[0].exec("ld", { 10: 0x8000_0000n }))).toBe(5n); // load access fault
    expect(faultOf(() => kernel.ports[0].exec("ld", { 10: 0x801f_fff8n }))).toBe(5n);
    expect(kernel.ports[0].exec("ld", { 10: kernel.layout.freeBase })).toBe(0n);
  });

  it("PT-4: no host leaf may map the SM region or the bitmap", () => {
    const r = P.kernel.sbi(HostFid.SET_PTE, [BigInt(SetPteFlag.ONE), pteSlot(P.kernel.layout.freeBase), leaf(0x8000_0000n), 0n]);
    expect(r).toBe(BigInt(ReturnCode.PTE_TARGET_PRIVATE));
    const r2 = P.kernel.sbi(HostFid.SET_PTE, [
      BigInt(SetPteFlag.ONE),
      pteSlot(P.kernel.layout.freeBase),
      leaf(P.kernel.layout.bitmap.base),
      0n,
    ]);
    expect(r2).toBe(BigInt(ReturnCode.PTE_TARGET_PRIVATE));
  });

  it("SET_PTE writes a valid leaf through the monitor, and the host can use the new mapping", () => {
    const va = P.kernel.layout.freeBase + 0x10_0000n;
    const target = P.kernel.layout.freeBase + 0x20_0000n;
    P.kernel.write64(target, 0x1234n);
    const slot = pteSlot(va);
    expect(P.kernel.sbi(HostFid.SET_PTE, [BigInt(SetPteFlag.ONE), slot, leaf(target), 0n])).toBe(0n);
    P.kernel.ports[0].exec("sfence");
    expect(P.kernel.read64(va)).toBe(0x1234n);
    // restore the identity mapping
    expect(P.kernel.sbi(HostFid.SET_PTE, [BigInt(SetPteFlag.ONE), slot, leaf(va), 0n])).toBe(0n);
    P.kernel.ports[0].exec("sfence");
  });

  it("PT-3: a destination outside the page-table area is refused and nothing is written", () => {
    const dest = P.kernel.layout.freeBase + 0x30_0000n;
    P.kernel.write64(dest, 0x55n);
    expect(P.kernel.sbi(HostFid.SET_PTE, [BigInt(SetPteFlag.ONE), dest, 0n, 0n])).toBe(BigInt(ReturnCode.PTE_DEST_NOT_PTA));
    expect(P.kernel.sbi(HostFid.SET_PTE, [BigInt(SetPteFlag.MEMSET), dest, 0n, 64n])).toBe(BigInt(ReturnCode.PTE_DEST_NOT_PTA));
    expect(P.kernel.read64(dest)).toBe(0x55n);
  });

  it("PT-3: a pointer must lead one sub-area down; bit 63 is no bypass", () => {
    const area = P.monitor.state.ptArea!;
    const slot = pteSlot(P.kernel.layout.freeBase);
    const before = P.kernel.read64(slot);
    const pointerToPgd = ((area.base / PAGE) << 10n) | 1n; // a PTE-level pointer back to a root
    expect(P.kernel.sbi(HostFid.SET_PTE, [BigInt(SetPteFlag.ONE), slot, pointerToPgd, 0n])).toBe(
      BigInt(ReturnCode.INVALID_ARGUMENT),
    );
    expect(P.kernel.sbi(HostFid.SET_PTE, [BigInt(SetPteFlag.ONE), slot, (1n << 63n) | leaf(0x8000_0000n), 0n])).not.toBe(0n);
    expect(P.kernel.read64(slot)).toBe(before);
  });

  it("PT-1: a satp write with a root outside the PGD sub-area traps back to S as illegal and changes nothing", () => {
    const h = P.machine.harts[0];
    const before = h.csrRead(CSR.satp);
    const bad = (8n << 60n) | (P.kernel.layout.freeBase / PAGE);
    expect(faultOf(() => P.kernel.ports[0].exec("writeSatp", { 10: bad }))).toBe(2n);
    expect(h.csrRead(CSR.satp)).toBe(before);
    // the full PPN is compared: a root that aliases a PGD page in its low 22 bits is still refused
    const alias = (8n << 60n) | ((1n << 22n) + ((P.monitor.state.ptArea!.base / PAGE) & ((1n << 22n) - 1n)));
    expect(faultOf(() => P.kernel.ports[0].exec("writeSatp", { 10: alias }))).toBe(2n);
    // and an accepted write really switches: the current root again
    P.kernel.ports[0].exec("writeSatp", { 10: before });
    expect(P.kernel.ports[0].exec("readSatp")).toBe(before);
  });

  it("SM_INIT and PT_AREA_SEPARATION are one-shot", () => {
    const L = P.kernel.layout;
    expect(P.kernel.sbi(HostFid.SM_INIT, [L.ptArea.base, L.ptArea.size, L.bitmap.base, L.bitmap.size, L.installedFlag])).toBe(
      BigInt(ReturnCode.ALREADY_INITIALISED),
    );
    expect(P.kernel.sbi(HostFid.PT_AREA_SEPARATION, [4n, 6n])).toBe(BigInt(ReturnCode.ALREADY_INITIALISED));
    expect(P.kernel.read64(L.installedFlag) & 0xffffffffn).toBe(1n);
  });

  it("MEMORY_EXTEND takes public pages for good and refuses anything else", () => {
    const pa = P.kernel.allocPages(8192n);
    P.kernel.write64(pa, 7n);
    expect(P.kernel.sbi(HostFid.MEMORY_EXTEND, [pa + 8n, 4096n])).toBe(BigInt(ReturnCode.INVALID_ARGUMENT));
    expect(P.kernel.sbi(HostFid.MEMORY_EXTEND, [0x8000_0000n, 4096n])).toBe(BigInt(ReturnCode.PAGES_NOT_AVAILABLE));
    expect(P.kernel.sbi(HostFid.MEMORY_EXTEND, [pa, 8192n])).toBe(0n);
    expect(P.monitor.state.bitmap!.isPublicRange(pa, 4096n)).toBe(false);
    expect(faultOf(() => P.kernel.read64(pa))).toBe(13n); // the host's leaf is gone: load page fault
    expect(P.kernel.sbi(HostFid.MEMORY_EXTEND, [pa, 4096n])).toBe(BigInt(ReturnCode.PAGES_NOT_AVAILABLE)); // already private
  });

  it("answers an unknown function id with NOT_SUPPORTED (not −2, which means NO_MEM)", () => {
    expect(P.kernel.sbi(12345, [])).toBe(BigInt(ReturnCode.NOT_SUPPORTED));
  });
});
