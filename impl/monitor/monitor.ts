/**
 * The secure monitor: TypeScript firmware that owns M-mode on every hart of the machine
 * (`Machine.setFirmware`). Every trap into M lands in {@link SecureMonitor.onTrap}, which
 * dispatches host SBI calls (extension 0x100100), emulates TVM-trapped satp/sfence accesses,
 * forwards the timer to S, and redirects other host faults to S. It then returns through MRET.
 */
import { ENVCFG_CBZE } from "../riscv/zicboz.ts";
import { mutant } from "../mutants.ts";
import type { Machine } from "../riscv/machine.ts";
import type { Hart } from "../riscv/hart.ts";
import { CSR, Cause, MIP_MTIP, MIP_STIP, PRIV_S } from "../riscv/csrNumbers.ts";
import { ENCLAVE_EXTENSION, HOST_EXTENSION } from "../../model/abi.ts";
import { napotAddr, PMP_ALL, PMP_SM, SM_BASE, SM_SIZE } from "./platform.ts";
import type { PageBitmap } from "./pageBitmap.ts";
import type { PtArea } from "./gpt/ptArea.ts";
import { emulateTvm, isTvmTrap } from "./gpt/satpEmulation.ts";
import { redirectToS } from "./trapRedirect.ts";
import { setHostResult } from "./sbiResult.ts";
import { dispatchHostCall } from "./sbi/hostCalls.ts";
import { ON_HOST, type EnclaveRecord } from "./enclave/enclaveRecord.ts";
import { onEnclaveEcall, onEnclaveFault, onEnclaveIpi, onEnclaveTimer } from "./enclave/enclaveCalls.ts";
import { monitorIdentity, type MonitorIdentity } from "./attest/identity.ts";
import { sealingRootKey } from "./attest/sealing.ts";
import { Csprng } from "./attest/random.ts";
import { PageLedger } from "./memory/pageLedger.ts";
import type { SecureShm } from "./enclave/secureShm.ts";

const INTERRUPT = 1n << 63n;
/** Standard SBI extensions the host kernel needs (SBI v0.2+: TIME "TIME", legacy set_timer 0). */
const SBI_EXT_TIME = 0x54494d45n;
const SBI_LEGACY_SET_TIMER = 0n;
const SBI_ERR_NOT_SUPPORTED = -2n;
/** medeleg/mideleg the host runs with (as OpenSBI): misaligned fetch, breakpoint, U-ecall, page faults; S interrupts. */
export const HOST_MEDELEG = (1n << 0n) | (1n << 3n) | (1n << 8n) | (1n << 12n) | (1n << 13n) | (1n << 15n);
export const HOST_MIDELEG = (1n << 1n) | (1n << 5n) | (1n << 9n);

/** Monitor state shared by the SBI handlers. */
export interface MonitorState {
  readonly machine: Machine;
  /** Set by SM_INIT. */
  bitmap: PageBitmap | null;
  ptArea: PtArea | null;
  /** PT_AREA_SEPARATION done (TVM on every hart). */
  separated: boolean;
  /** Enclave slots; eid = index (PGL §3.1). */
  enclaves: (EnclaveRecord | null)[];
  /** Per hart: ON_HOST or the eid running there (`cpus[]`). */
  cpus: number[];
  /** Keys and self-measurement, from the configured seed (AT-5). */
  identity: MonitorIdentity;
  /** Root of the sealing keys (PGL §5.4, from the seed). */
  sealingRoot: Uint8Array;
  /** OCALL_GETRANDOM's generator (PGL §5.5, seeded). */
  random: Csprng;
  /** Secure shared-memory segments by key (PGL §4.9). */
  secureShms: Map<bigint, SecureShm>;
  /** Relay regions handed to a name by asyn_enclave_call, waiting for that enclave to start (PGL §4.7). */
  pendingRelays: { name: string; pages: bigint[] }[];
  /** Per hart: a stop or destroy another hart asked for by IPI, for the enclave running here. */
  ipi: ({ kind: "stop" | "destroy"; eid: number } | null)[];
  /** Who holds each secured page: an enclave, or the monitor (MEMORY_EXTEND, PGL §4.6: for good). */
  ledger: PageLedger;
}

export interface MonitorOptions {
  /** Seed of every key and of the CSPRNG (default "penglai-tvm-ts"). */
  seed?: string;
  /** Enclave slots (default 16). */
  maxEnclaves?: number;
}

export class SecureMonitor {
  readonly state: MonitorState;

  constructor(
    readonly machine: Machine,
    opts: MonitorOptions = {},
  ) {
    const seed = opts.seed ?? "penglai-tvm-ts";
    this.state = {
      machine,
      bitmap: null,
      ptArea: null,
      separated: false,
      enclaves: new Array<EnclaveRecord | null>(opts.maxEnclaves ?? 16).fill(null),
      cpus: machine.harts.map(() => ON_HOST),
      identity: monitorIdentity(seed),
      sealingRoot: sealingRootKey(seed),
      random: new Csprng(seed),
      ledger: null as unknown as PageLedger,
      ipi: machine.harts.map(() => null),
      pendingRelays: [],
      secureShms: new Map(),
    };
    this.state.ledger = new PageLedger(machine, () => this.state.bitmap!);
  }

  /**
   * Boot (PGL §4.1): PMP 0 hides the SM region from S/U, PMP 7 opens all other memory; host
   * delegation as OpenSBI; then every hart enters S-mode at `hostEntry` with a0 = hart id.
   */
  boot(hostEntry: bigint): void {
    this.machine.setFirmware((hart) => this.onTrap(hart));
    for (const h of this.machine.harts) {
      h.csrWrite(CSR.pmpaddr0 + PMP_SM, napotAddr({ base: SM_BASE, size: SM_SIZE }));
      h.csrWrite(CSR.pmpaddr0 + PMP_ALL, (1n << 54n) - 1n); // NAPOT over the whole address space
      h.csrWrite(CSR.pmpcfg0, (BigInt(0x18) << BigInt(8 * PMP_SM)) | (BigInt(0x1f) << BigInt(8 * PMP_ALL)));
      h.csrWrite(CSR.medeleg, HOST_MEDELEG);
      h.csrWrite(CSR.mideleg, HOST_MIDELEG);
      h.csrWrite(CSR.mcounteren, 7n);
      h.csrWrite(CSR.menvcfg, ENVCFG_CBZE); // S may zero cache blocks (Zicboz), as OpenSBI grants on harts that have it
      h.csrWrite(CSR.mie, BigInt(MIP_MTIP) | (1n << 3n)); // M timer and IPIs reach the monitor
      h.csrWrite(CSR.mstatus, BigInt(PRIV_S) << 11n); // MPP = S
      h.csrWrite(CSR.mepc, hostEntry);
      h.setX(10, BigInt(h.id));
      h.pc = hostEntry;
      h.setPriv(PRIV_S);
    }
  }

  /** The firmware entry: every trap into M on any hart. */
  onTrap(hart: Hart): void {
    const mcause = hart.csrRead(CSR.mcause);
    if (this.state.cpus[hart.id] !== ON_HOST) return this.onEnclaveTrap(hart, mcause);
    if (mcause & INTERRUPT) return this.onInterrupt(hart, Number(mcause & 0xffn));
    const cause = Number(mcause);
    const from = Number((hart.csrRead(CSR.mstatus) >> 11n) & 3n);
    if (cause === Cause.ecallS) return this.onHostEcall(hart);
    if (cause === Cause.illegal && from === PRIV_S && this.state.separated) {
      const insn = Number(hart.csrRead(CSR.mtval) & 0xffffffffn);
      if (isTvmTrap(insn) && emulateTvm(hart, insn, this.state.ptArea) === "done") {
        hart.csrWrite(CSR.mepc, hart.csrRead(CSR.mepc) + 4n);
        return;
      }
    }
    // anything else from the host: its own fault, handed back to S (PT-1: rejected satp writes too)
    redirectToS(hart, mcause, hart.csrRead(CSR.mtval));
  }

  /** A trap while an enclave runs on the hart (PGL §2.1, §6.1). */
  private onEnclaveTrap(hart: Hart, mcause: bigint): void {
    if (mcause & INTERRUPT) {
      const irq = Number(mcause & 0xffn);
      if (irq === 7) return onEnclaveTimer(this.state, hart);
      if (irq === 3) {
        this.machine.clint.store(4 * hart.id, 4, 0n);
        return onEnclaveIpi(this.state, hart);
      }
      return;
    }
    if (Number(mcause) === Cause.ecallU) {
      // M25: an ecall into an extension that is not Penglai's goes to the platform's SBI, as the host's would
      if (mutant("M25") && hart.x(17) !== HOST_EXTENSION_BIG && hart.x(16) !== BigInt(ENCLAVE_EXTENSION))
        return this.onHostEcall(hart);
      return onEnclaveEcall(this.state, hart);
    }
    onEnclaveFault(this.state, hart);
  }

  private onInterrupt(hart: Hart, irq: number): void {
    if (irq === 7) {
      // M timer while the host runs: forward to S as OpenSBI does (PGL §6.1)
      hart.csrWrite(CSR.mie, hart.csrRead(CSR.mie) & ~BigInt(MIP_MTIP));
      hart.csrWrite(CSR.mip, hart.csrRead(CSR.mip) | BigInt(MIP_STIP));
      return;
    }
    if (irq === 3) {
      this.machine.clint.store(4 * hart.id, 4, 0n); // acknowledge the IPI
      onEnclaveIpi(this.state, hart); // a stop/destroy that arrived after its enclave left this hart
      return;
    }
  }

  private onHostEcall(hart: Hart): void {
    hart.csrWrite(CSR.mepc, hart.csrRead(CSR.mepc) + 4n);
    const ext = hart.x(17);
    if (ext === HOST_EXTENSION_BIG) {
      const r = dispatchHostCall(this.state, hart);
      if (r !== "entered") setHostResult(hart, BigInt(r)); // entered: the registers are the enclave's now
      return;
    }
    if (ext === SBI_EXT_TIME || ext === SBI_LEGACY_SET_TIMER) {
      // set_timer(stime): program mtimecmp, clear the forwarded STIP, re-enable the M timer
      this.machine.clint.store(0x4000 + 8 * hart.id, 8, hart.x(10));
      hart.csrWrite(CSR.mip, hart.csrRead(CSR.mip) & ~BigInt(MIP_STIP));
      hart.csrWrite(CSR.mie, hart.csrRead(CSR.mie) | BigInt(MIP_MTIP));
      hart.setX(10, 0n);
      return;
    }
    hart.setX(10, BigInt.asUintN(64, SBI_ERR_NOT_SUPPORTED));
  }
}

const HOST_EXTENSION_BIG = BigInt(HOST_EXTENSION);
