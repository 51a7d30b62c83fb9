/**
 * ECALL RECORDER — a test harness for the enclave SDK's ABI, NOT a monitor. It loads an enclave
 * ELF into the emulated machine at Penglai's VA layout (PGL §4.6) under a hand-built Sv39 table,
 * runs it in U-mode, and records every ecall (a6, a7, a0–a3) with the kbuffer text of prints.
 * Answers are canned: a per-test `answer` callback, else the defaults below (a fake break for
 * OCALL_SBRK, fresh pages for OCALL_MMAP, 0 for everything else). It checks nothing and protects
 * nothing: the real monitor lives in impl/monitor.
 */
import { Machine } from "../../riscv/machine.ts";
import { parseElf } from "../../riscv/elf.ts";
import { CSR } from "../../riscv/csrNumbers.ts";
import { RAM_BASE } from "../../riscv/memory.ts";
import { Sv39Space, PAGE, PTE, leaf } from "./sv39.ts";
import { EnclaveFid, OcallId } from "../../../model/abi.ts";

/** Enclave VA layout (PGL §4.6). */
export const VA = {
  HEAP_BASE: 0x10_0000_0000n,
  MMAP_TOP: 0x30_0000_0000n,
  STACK_TOP: 0x38_0000_0000n,
  RELAY: 0x38_0000_0000n,
  SHM: 0x39_0000_0000n,
  KBUFFER: 0xffff_ffe0_0000_0000n,
} as const;
export const KBUFFER_PRINT_MAX = 512;

/** One ecall as the enclave issued it; `text` is the NUL-terminated kbuffer for OCALL_SYS_WRITE. */
export interface Ecall {
  a6: bigint;
  a7: bigint;
  a0: bigint;
  a1: bigint;
  a2: bigint;
  a3: bigint;
  pc: bigint;
  text?: string;
}

/** A test's canned answer for an ecall (the value for a0), or undefined for the default. */
export type Answer = (call: Ecall, rec: EcallRecorder) => bigint | undefined;

export interface RecorderOptions {
  /** a0..a4 at entry (default all 0). */
  entryArgs?: readonly bigint[];
  /** Host shm bytes mapped at 0x39_0000_0000, and relay bytes at 0x38_0000_0000 (default 0). */
  shmBytes?: number;
  relayBytes?: number;
  stackBytes?: number;
  answer?: Answer;
  /** Start at this pc instead of the ELF entry, with this return address in ra (stub tests). */
  startPc?: bigint;
  ra?: bigint;
  /** If set, a CLINT timer interrupt every `timerTicks` mtime ticks (preemption stand-in). */
  timerTicks?: number;
}

export type Outcome =
  | { kind: "running" }
  | { kind: "exit"; value: bigint }
  | { kind: "serverReturn"; arg: bigint }
  | { kind: "fault"; cause: bigint; tval: bigint; pc: bigint };

const RAM = BigInt(RAM_BASE);
const RAM_SIZE = 16 << 20;
const TIMER_IRQ = (1n << 63n) | 7n;
const ECALL_FROM_U = 8n;
const U64 = (1n << 64n) - 1n;

export class EcallRecorder {
  readonly machine = new Machine({ harts: 1, ramSize: RAM_SIZE });
  readonly space = new Sv39Space(this.machine.mem, RAM, RAM + BigInt(RAM_SIZE));
  readonly calls: Ecall[] = [];
  readonly symbols: Map<string, bigint>;
  outcome: Outcome = { kind: "running" };
  timerInterrupts = 0;
  /** The fake break and mmap cursor behind the default answers. */
  brk = VA.HEAP_BASE;
  mmapCursor = VA.MMAP_TOP;

  constructor(elf: Uint8Array, private readonly opts: RecorderOptions = {}) {
    const image = parseElf(elf);
    this.symbols = image.symbols;
    for (const seg of image.segments) {
      // PGL §4.6: a writable segment is mapped RWX, others R X.
      const rwx = seg.flags & 2 ? PTE.R | PTE.W | PTE.X : PTE.R | PTE.X;
      const end = seg.vaddr + BigInt(seg.memsz);
      for (let va = seg.vaddr & ~(PAGE - 1n); va < end; va += PAGE) {
        if (!this.space.pages.has(va)) this.space.map(va, leaf(rwx));
      }
      this.write(seg.vaddr, seg.data);
    }
    this.mapRange(VA.STACK_TOP - BigInt(opts.stackBytes ?? 64 << 10), opts.stackBytes ?? 64 << 10);
    this.mapRange(VA.KBUFFER, Number(PAGE));
    if (opts.shmBytes) this.mapRange(VA.SHM, opts.shmBytes);
    if (opts.relayBytes) this.mapRange(VA.RELAY, opts.relayBytes);

    const m = this.machine;
    const h = m.harts[0];
    m.reset(image.entry);
    h.csrWrite(CSR.pmpaddr0, (1n << 54n) - 1n); // PMP: TOR over everything, RWX, for U-mode
    h.csrWrite(CSR.pmpcfg0, 0x0fn);
    h.csrWrite(CSR.satp, this.space.satp());
    h.csrWrite(CSR.mtvec, RAM);
    if (opts.timerTicks) {
      h.csrWrite(CSR.mie, 1n << 7n);
      this.armTimer();
    }
    for (let i = 0; i < 32; i++) h.setX(i, 0n);
    h.setX(2, VA.STACK_TOP);
    h.setX(1, opts.ra ?? 0n);
    if (opts.startPc !== undefined) h.setPc(opts.startPc);
    (opts.entryArgs ?? []).forEach((v, i) => h.setX(10 + i, v & U64));
    h.setPriv(0);
    m.setFirmware((hart) => this.trap(hart.csrRead(CSR.mcause)));
  }

  /** Map fresh zeroed user RW pages over [va, va+bytes) where nothing is mapped yet. */
  mapRange(va: bigint, bytes: number): void {
    for (let p = va; p < va + BigInt(bytes); p += PAGE) {
      if (!this.space.pages.has(p)) this.space.map(p, leaf(PTE.R | PTE.W));
    }
  }

  /** Run until the enclave exits, server-returns, faults, or `maxInstructions` pass. */
  run(maxInstructions = 50_000_000): Outcome {
    this.machine.run(maxInstructions);
    return this.outcome;
  }

  read(va: bigint, len: number): Uint8Array {
    const out = new Uint8Array(len);
    for (let i = 0; i < len; i++) out[i] = this.machine.mem.read8(this.space.pa(va + BigInt(i)));
    return out;
  }

  write(va: bigint, data: Uint8Array): void {
    for (let i = 0; i < data.length; i++) this.machine.mem.write8(this.space.pa(va + BigInt(i)), data[i]);
  }

  read64(va: bigint): bigint {
    return this.machine.mem.read64(this.space.pa(va));
  }

  write64(va: bigint, v: bigint): void {
    this.machine.mem.write64(this.space.pa(va), v);
  }

  /** NUL-terminated text at `va` (at most `max` bytes). */
  cString(va: bigint, max: number): string {
    const bytes = this.read(va, max);
    const end = bytes.indexOf(0);
    return new TextDecoder().decode(bytes.subarray(0, end < 0 ? max : end));
  }

  /** The OCALL_SYS_WRITE texts in order. */
  prints(): string[] {
    return this.calls.flatMap((c) => (c.text === undefined ? [] : [c.text]));
  }

  private armTimer(): void {
    const m = this.machine;
    m.clint.store(0x4000, 8, m.clint.mtime() + BigInt(this.opts.timerTicks ?? 0));
  }

  private trap(cause: bigint): void {
    const h = this.machine.harts[0];
    if (cause === TIMER_IRQ) {
      this.timerInterrupts++;
      this.armTimer();
      return;
    }
    if (cause !== ECALL_FROM_U) {
      this.outcome = { kind: "fault", cause, tval: h.csrRead(CSR.mtval), pc: h.csrRead(CSR.mepc) };
      this.machine.stop();
      return;
    }
    const call: Ecall = {
      a6: h.x(16),
      a7: h.x(17),
      a0: h.x(10),
      a1: h.x(11),
      a2: h.x(12),
      a3: h.x(13),
      pc: h.csrRead(CSR.mepc),
    };
    if (call.a7 === BigInt(EnclaveFid.ENCLAVE_OCALL) && call.a0 === BigInt(OcallId.SYS_WRITE)) {
      call.text = this.cString(VA.KBUFFER, KBUFFER_PRINT_MAX);
    }
    this.calls.push(call);
    if (call.a7 === BigInt(EnclaveFid.EXIT_ENCLAVE)) this.outcome = { kind: "exit", value: call.a0 };
    if (call.a7 === BigInt(EnclaveFid.ENCLAVE_RETURN)) this.outcome = { kind: "serverReturn", arg: call.a0 };
    if (this.outcome.kind !== "running") {
      this.machine.stop();
      return;
    }
    h.setX(10, (this.opts.answer?.(call, this) ?? this.defaultAnswer(call)) & U64);
    h.csrWrite(CSR.mepc, call.pc + 4n);
  }

  /** Canned answers: a fake break for sbrk, fresh pages for mmap, the caller's a0 for a print, else 0. */
  private defaultAnswer(c: Ecall): bigint {
    if (c.a7 !== BigInt(EnclaveFid.ENCLAVE_OCALL)) return 0n;
    if (c.a0 === BigInt(OcallId.SYS_WRITE)) return c.a0;
    if (c.a0 === BigInt(OcallId.SBRK)) {
      const delta = BigInt.asIntN(64, c.a1);
      if (delta > 0n) this.mapRange(this.brk, Number(delta));
      this.brk += delta;
      return this.brk;
    }
    if (c.a0 === BigInt(OcallId.MMAP)) {
      const size = (c.a2 + PAGE - 1n) & ~(PAGE - 1n);
      this.mmapCursor -= size;
      this.mapRange(this.mmapCursor, Number(size));
      return this.mmapCursor;
    }
    return 0n;
  }
}

/** Load a committed demo fixture, impl/eapp/bin/<name>.elf. */
export async function demoElf(name: string): Promise<Uint8Array> {
  const { readFile } = await import("node:fs/promises");
  return new Uint8Array(await readFile(new URL(`../bin/${name}.elf`, import.meta.url)));
}
