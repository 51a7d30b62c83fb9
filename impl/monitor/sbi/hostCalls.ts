/**
 * Dispatch of the host SBI extension 0x100100 (function id in a6, arguments a0–a4; PGL §1.3).
 * Every handler validates all of its arguments before changing anything (LC-6) and answers one
 * return code per failure cause (model/codes.ts).
 */
import type { Hart } from "../../riscv/hart.ts";
import { CSR, MS_TVM } from "../../riscv/csrNumbers.ts";
import { HostFid } from "../../../model/abi.ts";
import { ReturnCode } from "../../../model/codes.ts";
import type { MonitorState } from "../monitor.ts";
import { DRAM_BASE, isNapot, napotAddr, overlaps, PAGE, PMP_BITMAP, PMP_PT_AREA, SM_BASE, SM_SIZE } from "../platform.ts";
import { PageBitmap } from "../pageBitmap.ts";
import { PtArea } from "../gpt/ptArea.ts";
import { applyWrites, planSetPte, type SetPteError } from "../gpt/setPte.ts";
import { checkAreaMapping } from "../gpt/checkAreaMapping.ts";
import { mapPte } from "../gpt/mapPte.ts";
import { secureRange } from "../memory/secureMemory.ts";
import { inLiveWindow } from "../enclave/enclaveRecord.ts";
import { MONITOR_HOLDER } from "../memory/pageLedger.ts";
import { createEnclave } from "../enclave/createEnclave.ts";
import { attestEnclave, destroyEnclave, resumeEnclave, runEnclave, stopEnclave } from "../enclave/lifecycle.ts";
import { EnclaveType } from "../../abi/enclaveAbi.ts";
import { forkShadow } from "../enclave/forkShadow.ts";

const PMP_NAPOT = 0x18;
const PMP_R = 0x01;

/**
 * Run host function a6 with the hart's a0–a4; returns the (signed) result, or "entered" when the
 * call switched the hart into an enclave (its result comes when the enclave leaves).
 */
export function dispatchHostCall(st: MonitorState, hart: Hart): number | "entered" {
  const fid = Number(hart.x(16) & 0xffffffffn);
  const a = [hart.x(10), hart.x(11), hart.x(12), hart.x(13), hart.x(14)];
  switch (fid) {
    case HostFid.SM_INIT:
      return smInit(st, a[0], a[1], a[2], a[3], a[4]);
    case HostFid.PT_AREA_SEPARATION:
      return ptAreaSeparation(st, hart, a[0], a[1]);
    case HostFid.SET_PTE:
      return setPte(st, a[0], a[1], a[2], a[3]);
    case HostFid.MAP_PTE:
      if (!st.ptArea || !st.bitmap) return ReturnCode.BAD_STATE;
      return mapPte(st.machine.mem, st.ptArea, st.bitmap, a[0], a[1]);
    case HostFid.MEMORY_EXTEND:
      return memoryExtend(st, a[0], a[1]);
    case HostFid.CREATE_ENCLAVE:
      return createEnclave(st, hart, a[0], EnclaveType.NORMAL);
    case HostFid.CREATE_SERVER_ENCLAVE:
      return createEnclave(st, hart, a[0], EnclaveType.SERVER);
    case HostFid.CREATE_SHADOW_ENCLAVE:
      return createEnclave(st, hart, a[0], EnclaveType.SHADOW);
    case HostFid.RUN_SHADOW_ENCLAVE:
      return forkShadow(st, hart, a[0], a[1]);
    case HostFid.ATTEST_SHADOW_ENCLAVE:
      return attestEnclave(st, hart, a[0], a[1], a[2]);
    case HostFid.DESTROY_SHADOW_ENCLAVE:
    case HostFid.DESTROY_SERVER_ENCLAVE:
      return destroyEnclave(st, hart, a[0]);
    case HostFid.RUN_ENCLAVE:
      return runEnclave(st, hart, a[0], a[1]);
    case HostFid.RESUME_ENCLAVE:
      return resumeEnclave(st, hart, a[0], a[1]);
    case HostFid.STOP_ENCLAVE:
      return stopEnclave(st, hart, a[0]);
    case HostFid.DESTROY_ENCLAVE:
      return destroyEnclave(st, hart, a[0]);
    case HostFid.ATTEST_ENCLAVE:
      return attestEnclave(st, hart, a[0], a[1], a[2]);
    default:
      return ReturnCode.NOT_SUPPORTED;
  }
}

/**
 * SM_INIT (PGL §1.3): once; the page-table area and the bitmap are NAPOT regions inside DRAM that
 * overlap neither the SM region nor each other; the bitmap is large enough; `installedPa` is a
 * 4-byte-aligned public word. Then PMP 2 hides the bitmap, the SM region and the bitmap become
 * private, PMP 1 makes the page-table area read-only for S/U on every hart (PT-2).
 */
function smInit(st: MonitorState, ptBase: bigint, ptSize: bigint, bmBase: bigint, bmSize: bigint, installedPa: bigint): number {
  if (st.bitmap !== null) return ReturnCode.ALREADY_INITIALISED; // one-shot (PGL §4.3 (f))
  const mem = st.machine.mem;
  const ramEnd = DRAM_BASE + BigInt(mem.size);
  const pt = { base: ptBase, size: ptSize };
  const bm = { base: bmBase, size: bmSize };
  for (const r of [pt, bm]) {
    if (!isNapot(r) || r.base < DRAM_BASE || r.base + r.size > ramEnd) return ReturnCode.INVALID_ARGUMENT;
    if (overlaps(r.base, r.size, SM_BASE, SM_SIZE)) return ReturnCode.INVALID_ARGUMENT;
  }
  if (overlaps(pt.base, pt.size, bm.base, bm.size)) return ReturnCode.INVALID_ARGUMENT;
  if (bm.size < BigInt(mem.size / 4096) * 4n) return ReturnCode.INVALID_ARGUMENT;
  if (installedPa % 4n !== 0n || installedPa < DRAM_BASE || installedPa + 4n > ramEnd) return ReturnCode.INVALID_ARGUMENT;
  if (
    overlaps(installedPa, 4n, SM_BASE, SM_SIZE) ||
    overlaps(installedPa, 4n, bm.base, bm.size) ||
    overlaps(installedPa, 4n, pt.base, pt.size)
  )
    return ReturnCode.INVALID_ARGUMENT;
  const bitmap = new PageBitmap(mem, bmBase, mem.size);
  for (const h of st.machine.harts) {
    h.csrWrite(CSR.pmpaddr0 + PMP_BITMAP, napotAddr(bm));
    h.csrWrite(CSR.pmpaddr0 + PMP_PT_AREA, napotAddr(pt));
    const cfg = h.csrRead(CSR.pmpcfg0) & ~(0xffffn << BigInt(8 * PMP_PT_AREA));
    h.csrWrite(
      CSR.pmpcfg0,
      cfg | (BigInt(PMP_NAPOT | PMP_R) << BigInt(8 * PMP_PT_AREA)) | (BigInt(PMP_NAPOT) << BigInt(8 * PMP_BITMAP)),
    );
  }
  bitmap.init();
  bitmap.setRange(SM_BASE, SM_SIZE, true);
  bitmap.setRange(bmBase, bmSize, true);
  st.bitmap = bitmap;
  st.ptArea = new PtArea(ptBase, ptSize, 0, 0);
  st.ptArea.noteContents(mem);
  mem.write32(installedPa, 1);
  return ReturnCode.SUCCESS;
}

/**
 * PT_AREA_SEPARATION (PGL §4.2, §4.4): once (the original accepted re-invocation); fixes the
 * sub-areas, checks the existing tables (pointers into the right sub-area, no leaf mapping a
 * private page: PT-3, PT-4) and the caller's satp (PT-1), then sets mstatus.TVM on every hart.
 */
function ptAreaSeparation(st: MonitorState, hart: Hart, pgdOrder: bigint, pmdOrder: bigint): number {
  if (st.separated) return ReturnCode.ALREADY_INITIALISED; // the original accepted re-invocation
  if (st.ptArea === null || st.bitmap === null) return ReturnCode.BAD_STATE;
  if (pgdOrder > 20n || pmdOrder > 20n) return ReturnCode.INVALID_ARGUMENT;
  const area = new PtArea(st.ptArea.base, st.ptArea.size, Number(pgdOrder), Number(pmdOrder));
  if (!area.valid()) return ReturnCode.INVALID_ARGUMENT;
  area.noteContents(st.machine.mem);
  const satp = hart.csrRead(CSR.satp);
  if (satp >> 60n !== 8n || !area.isRoot((satp & ((1n << 44n) - 1n)) * PAGE)) return ReturnCode.ILLEGAL_SATP;
  const bad = checkAreaMapping(st.machine.mem, area, st.bitmap);
  if (bad !== null) return bad === "targetPrivate" ? ReturnCode.PTE_TARGET_PRIVATE : ReturnCode.INVALID_ARGUMENT;
  st.ptArea = area;
  st.separated = true;
  for (const h of st.machine.harts) h.csrWrite(CSR.mstatus, h.csrRead(CSR.mstatus) | BigInt(MS_TVM));
  return ReturnCode.SUCCESS;
}

/**
 * SBI_MEMORY_EXTEND (fid 92, PGL §4.6): the host donates [pa, pa+size) to the monitor's pool —
 * page-aligned public DRAM, secured (every host mapping removed) and the monitor's for good.
 */
function memoryExtend(st: MonitorState, pa: bigint, size: bigint): number {
  if (st.bitmap === null || st.ptArea === null || !st.separated) return ReturnCode.BAD_STATE;
  if (size <= 0n || size > 1n << 30n || pa % PAGE !== 0n || size % PAGE !== 0n) return ReturnCode.INVALID_ARGUMENT;
  if (inLiveWindow(st.enclaves, pa, size)) return ReturnCode.PAGES_NOT_AVAILABLE; // an enclave's window (found by the checker)
  const r = secureRange(st.machine, st.bitmap, st.ptArea, pa, size);
  if (r === null) return ReturnCode.PAGES_NOT_AVAILABLE;
  st.ledger.add(r, MONITOR_HOLDER);
  return ReturnCode.SUCCESS;
}

const SET_PTE_CODE: Record<SetPteError, number> = {
  destNotPta: ReturnCode.PTE_DEST_NOT_PTA,
  targetPrivate: ReturnCode.PTE_TARGET_PRIVATE,
  badPointer: ReturnCode.INVALID_ARGUMENT,
  invalidArgument: ReturnCode.INVALID_ARGUMENT,
};

/** SET_PTE (PGL §4.3): only after separation; all-or-nothing. */
function setPte(st: MonitorState, flag: bigint, ptePa: bigint, src: bigint, size: bigint): number {
  if (!st.separated || st.ptArea === null || st.bitmap === null) return ReturnCode.BAD_STATE;
  const plan = planSetPte(st.machine.mem, st.ptArea, st.bitmap, flag, ptePa, src, size);
  if (typeof plan === "string") return SET_PTE_CODE[plan];
  applyWrites(st.machine.mem, st.ptArea, plan);
  return ReturnCode.SUCCESS;
}
