/**
 * Enclave → monitor calls (extension 0x100101, function id in a7, PGL §2.2) and the enclave-mode
 * trap policy: an unknown call or an exception the monitor does not handle destroys the enclave
 * and the host sees ERROR (PGL §2.1).
 */
import type { Hart } from "../../riscv/hart.ts";
import { CSR } from "../../riscv/csrNumbers.ts";
import { ENCLAVE_EXTENSION, EnclaveFid, OcallId } from "../../../model/abi.ts";
import { ReturnCode } from "../../../model/codes.ts";
import type { MonitorState } from "../monitor.ts";
import { writeHost64 } from "../hostMemory.ts";
import { forwardTimerToHost, leaveEnclave } from "./contextSwitch.ts";
import { freeEnclave } from "./lifecycle.ts";
import { ON_HOST, type EnclaveRecord } from "./enclaveRecord.ts";
import { translate, PTE_W } from "./enclavePageTable.ts";
import { deriveSealingKey } from "../attest/sealing.ts";

const OCALL_GETRANDOM = 8;
const MAX_RANDOM = 4096n;

/** The enclave running on `hart`. */
export function current(st: MonitorState, hart: Hart): EnclaveRecord {
  return st.enclaves[st.cpus[hart.id]]!;
}

/** Leave the enclave for the host with result `r`, keeping it resumable at `resumePc`. */
function park(st: MonitorState, hart: Hart, e: EnclaveRecord, r: number, resumePc: bigint): void {
  leaveEnclave(hart, e, BigInt(r), { resumePc });
  st.cpus[hart.id] = ON_HOST;
}

/** The enclave ends (exit, or killed): its memory is scrubbed and returned; the host sees `r`. */
export function finish(st: MonitorState, hart: Hart, e: EnclaveRecord, r: number): void {
  leaveEnclave(hart, e, BigInt(r), null);
  st.cpus[hart.id] = ON_HOST;
  freeEnclave(st, e);
}

/** Copy `len` bytes into the enclave at `va` — every page mapped writable in its own table (IPC-3). */
function writeEnclave(st: MonitorState, e: EnclaveRecord, va: bigint, bytes: Uint8Array): boolean {
  const mem = st.machine.mem;
  const targets: bigint[] = [];
  for (let i = 0; i < bytes.length; i++) {
    const t = translate(mem, e.root, va + BigInt(i));
    if (t === null || (t.pte & PTE_W) === 0n || t.pa < e.region.pa || t.pa >= e.region.pa + e.region.size) return false;
    targets.push(t.pa);
  }
  targets.forEach((pa, i) => mem.write8(pa, bytes[i]));
  return true;
}

/** Handle an ecall from the enclave running on `hart` (mepc = the ecall). */
export function onEnclaveEcall(st: MonitorState, hart: Hart): void {
  const e = current(st, hart);
  const next = hart.csrRead(CSR.mepc) + 4n;
  if (hart.x(16) !== BigInt(ENCLAVE_EXTENSION)) return finish(st, hart, e, ReturnCode.ERROR);
  const fid = Number(hart.x(17) & 0xffffn);
  const a0 = hart.x(10);
  const ret = (v: bigint | number): void => {
    hart.setX(10, BigInt.asUintN(64, BigInt(v)));
    hart.csrWrite(CSR.mepc, next);
  };
  switch (fid) {
    case EnclaveFid.EXIT_ENCLAVE:
      if (!writeHost64(st, e.retval, a0)) return finish(st, hart, e, ReturnCode.ERROR);
      return finish(st, hart, e, ReturnCode.SUCCESS);
    case EnclaveFid.ENCLAVE_OCALL:
      return ocall(st, hart, e, Number(a0 & 0xffn), next);
    case EnclaveFid.GET_ENCLAVE_ID:
      return ret(e.eid);
    case EnclaveFid.YIELD:
      // LC: yield → RUNNABLE and the host's run loop resumes it (design.md; the original orphaned it)
      e.state = "runnable";
      return park(st, hart, e, ReturnCode.YIELD, next);
    case EnclaveFid.GET_KEY: {
      const type = Number(a0),
        va = hart.x(11),
        size = hart.x(12);
      if (type !== 0 && type !== 1) return ret(ReturnCode.INVALID_KEY_TYPE);
      if (size <= 0n || size > 64n) return ret(ReturnCode.INVALID_ARGUMENT);
      const key = deriveSealingKey(st.sealingRoot, e.hash, type, Number(size));
      return ret(writeEnclave(st, e, va, key) ? 0 : ReturnCode.INVALID_ARGUMENT);
    }
    default:
      return finish(st, hart, e, ReturnCode.ERROR);
  }
}

/** ENCLAVE_OCALL (fid 98, PGL §2.3): the monitor records the ocall, fills the mailbox, leaves for the host. */
function ocall(st: MonitorState, hart: Hart, e: EnclaveRecord, id: number, next: bigint): void {
  const ret = (v: bigint | number): void => {
    hart.setX(10, BigInt.asUintN(64, BigInt(v)));
    hart.csrWrite(CSR.mepc, next);
  };
  switch (id) {
    case OcallId.SYS_WRITE: {
      if (!writeHost64(st, e.mailbox.funcId, BigInt(id))) return ret(ReturnCode.INVALID_ARGUMENT);
      e.pending = { id, result: hart.x(10) };
      e.state = "ocalling";
      return park(st, hart, e, ReturnCode.OCALL, next);
    }
    case OCALL_GETRANDOM: {
      // no exit: filled by the monitor's seeded CSPRNG (design.md; the original used an LCG)
      const va = hart.x(11),
        size = hart.x(12);
      if (size > MAX_RANDOM) return ret(ReturnCode.INVALID_ARGUMENT);
      return ret(writeEnclave(st, e, va, st.random.fill(Number(size))) ? size : ReturnCode.INVALID_ARGUMENT);
    }
    default:
      return ret(ReturnCode.NOT_SUPPORTED);
  }
}

/** The M timer fired while `hart` ran an enclave: preempt it (PGL §6.1). */
export function onEnclaveTimer(st: MonitorState, hart: Hart): void {
  const e = current(st, hart);
  e.state = "runnable";
  park(st, hart, e, ReturnCode.TIMER_IRQ, hart.csrRead(CSR.mepc));
  forwardTimerToHost(hart);
}

/** Any other trap taken in the enclave: it is destroyed and the host sees ERROR (PGL §2.1). */
export function onEnclaveFault(st: MonitorState, hart: Hart): void {
  finish(st, hart, current(st, hart), ReturnCode.ERROR);
}
