/**
 * The monitor's access to an enclave's memory through the enclave's own page table, with the
 * intended rule of design.md: EVERY byte of [va, va+len) must translate in the enclave's table to
 * a page the enclave holds (IPC-3, SP-2) — the original translated the first byte only (PGL §4.8).
 * Writes also need the mapping to be writable. Nothing is written unless every byte passes.
 */
import type { MonitorState } from "../monitor.ts";
import { NAME_LEN } from "../../abi/enclaveAbi.ts";
import { PTE_W, translate } from "./enclavePageTable.ts";
import type { EnclaveRecord } from "./enclaveRecord.ts";

/** Longest buffer the monitor copies to or from an enclave in one call. */
export const MAX_ENCLAVE_COPY = 64 * 1024;

function physical(st: MonitorState, e: EnclaveRecord, va: bigint, len: number, write: boolean): bigint[] | null {
  if (len < 0 || len > MAX_ENCLAVE_COPY) return null;
  const out: bigint[] = [];
  for (let i = 0; i < len; i++) {
    const t = translate(st.machine.mem, e.root, va + BigInt(i));
    if (t === null || (write && (t.pte & PTE_W) === 0n) || st.ledger.holderOf(t.pa) !== e.eid) return null;
    out.push(t.pa);
  }
  return out;
}

/** Read `len` bytes of the enclave's own memory at `va`, or null. */
export function readEnclave(st: MonitorState, e: EnclaveRecord, va: bigint, len: number): Uint8Array | null {
  const pas = physical(st, e, va, len, false);
  return pas && Uint8Array.from(pas, (pa) => st.machine.mem.read8(pa));
}

/** Write bytes into the enclave's own writable memory at `va`; false (nothing written) if any byte fails. */
export function writeEnclave(st: MonitorState, e: EnclaveRecord, va: bigint, bytes: Uint8Array): boolean {
  const pas = physical(st, e, va, bytes.length, true);
  if (pas === null) return false;
  pas.forEach((pa, i) => st.machine.mem.write8(pa, bytes[i]));
  return true;
}

/** A NUL-terminated name (≤ NAME_LEN − 1 bytes) in the enclave's own memory, or null. */
export function readEnclaveName(st: MonitorState, e: EnclaveRecord, va: bigint): string | null {
  const bytes: number[] = [];
  for (let i = 0n; i < BigInt(NAME_LEN); i++) {
    const b = readEnclave(st, e, va + i, 1);
    if (b === null) return null;
    if (b[0] === 0) return new TextDecoder().decode(new Uint8Array(bytes));
    bytes.push(b[0]);
  }
  return null;
}

/** u64 little-endian fields of a struct read from an enclave. */
export function u64s(bytes: Uint8Array): bigint[] {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Array.from({ length: bytes.length / 8 }, (_, i) => v.getBigUint64(8 * i, true));
}

/** Encode u64 fields little-endian. */
export function fromU64s(vals: bigint[]): Uint8Array {
  const b = new Uint8Array(8 * vals.length);
  const v = new DataView(b.buffer);
  vals.forEach((x, i) => v.setBigUint64(8 * i, BigInt.asUintN(64, x), true));
  return b;
}
