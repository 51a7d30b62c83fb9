/**
 * Bare-metal runner (issue 3): loads an ELF's PT_LOAD segments into a fresh machine, starts every
 * hart at the entry point in M-mode (as QEMU `spike -bios none`) and runs until the program
 * reports through HTIF `tohost` (riscv.md §1) or the instruction budget runs out.
 */
import { parseElf, type ElfImage } from "./elf.ts";
import { HtifDevice, type HtifEvent } from "./htif.ts";
import { Machine } from "./machine.ts";

/** Options of {@link runBareMetal}. */
export interface BareMetalOptions {
  /** Number of harts (default 1, as QEMU without -smp). */
  harts?: number;
  /** Instruction budget over all harts (default 50 million). */
  maxInstructions?: number;
  /** Receives one line per executed instruction: `core <hart>: <priv> 0x<pc> (0x<insn>)`. */
  trace?: (line: string) => void;
  /** Seed of the hart interleaving (default 1). */
  seed?: number;
}

/** Outcome of {@link runBareMetal}. */
export interface BareMetalResult {
  /** pass: tohost = 1; fail: tohost odd > 1; timeout: budget used (or every hart asleep for good). */
  status: "pass" | "fail" | "timeout";
  /** 0 on pass, tohost >> 1 on fail, 0 on timeout. */
  exitCode: number;
  /** The last exit value written to tohost (0 on timeout). */
  tohost: bigint;
  /** Everything the program printed through the HTIF console (device 1, command 1). */
  console: string;
  /** Instructions executed by all harts. */
  instructions: number;
}

/** Thrown when the ELF cannot be run: no `tohost` symbol, or a segment outside RAM. */
export class BareMetalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BareMetalError";
  }
}

/** Instruction budget of a run when none is given. */
export const DEFAULT_MAX_INSTRUCTIONS = 50_000_000;
const RAM_SIZE = 128 << 20;

function loadSegments(m: Machine, img: ElfImage): void {
  for (const s of img.segments) {
    const end = s.paddr + BigInt(s.memsz);
    if (s.paddr < m.mem.base || end > m.mem.base + BigInt(m.mem.size)) {
      throw new BareMetalError(
        `segment at 0x${s.paddr.toString(16)} (+${s.memsz} bytes) lies outside RAM ` +
          `0x${m.mem.base.toString(16)}..0x${(m.mem.base + BigInt(m.mem.size)).toString(16)}`,
      );
    }
    m.mem.write(s.paddr, s.data);
    if (s.memsz > s.data.length) m.mem.fill(s.paddr + BigInt(s.data.length), s.memsz - s.data.length);
  }
}

function hex(v: bigint, digits: number): string {
  return v.toString(16).padStart(digits, "0");
}

/**
 * Runs a bare-metal RISC-V ELF with the HTIF protocol of riscv.md §1.
 * @throws ElfError for a malformed ELF, BareMetalError if it cannot be loaded or has no `tohost`.
 */
export function runBareMetal(elf: Uint8Array, opts: BareMetalOptions = {}): BareMetalResult {
  const img = parseElf(elf);
  const tohost = img.symbols.get("tohost");
  if (tohost === undefined) throw new BareMetalError("the ELF has no `tohost` symbol (riscv.md §1)");
  // riscv.md §1: fromhost comes from the symbol table; conventionally tohost + 0x40.
  const fromhost = img.symbols.get("fromhost") ?? tohost + 0x40n;
  const maxInstructions = opts.maxInstructions ?? DEFAULT_MAX_INSTRUCTIONS;
  if (!Number.isSafeInteger(maxInstructions) || maxInstructions < 0) {
    throw new RangeError(`maxInstructions must be a non-negative integer, got ${maxInstructions}`);
  }

  const m = new Machine({ harts: opts.harts ?? 1, ramSize: RAM_SIZE, seed: opts.seed ?? 1 });
  loadSegments(m, img);
  for (const [name, pa] of [
    ["tohost", tohost],
    ["fromhost", fromhost],
  ] as const) {
    if (pa < m.mem.base || pa + 8n > m.mem.base + BigInt(m.mem.size)) {
      throw new BareMetalError(`${name} at 0x${pa.toString(16)} is outside RAM`);
    }
  }

  let console = "";
  let exit: Extract<HtifEvent, { kind: "exit" }> | undefined;
  new HtifDevice(m.mem, tohost, fromhost, (e) => {
    if (e.kind === "putchar") console += String.fromCharCode(e.char);
    else if (e.kind === "exit" && exit === undefined) {
      exit = e;
      m.stop();
    }
  });
  if (opts.trace) {
    const trace = opts.trace;
    m.setTracer((hartId, pc, insn, priv) =>
      trace(`core ${String(hartId).padStart(3)}: ${priv} 0x${hex(pc, 16)} (0x${hex(BigInt(insn >>> 0), 8)})`),
    );
  }

  m.reset(img.entry);
  let instructions = 0;
  // run() may return early when every hart sleeps with no timer armed; then nothing can change.
  while (exit === undefined && instructions < maxInstructions) {
    const n = m.run(maxInstructions - instructions);
    instructions += n;
    if (n === 0) break;
  }
  if (exit === undefined) return { status: "timeout", exitCode: 0, tohost: 0n, console, instructions };
  const pass = exit.tohost === 1n;
  return { status: pass ? "pass" : "fail", exitCode: pass ? 0 : exit.code, tohost: exit.tohost, console, instructions };
}
