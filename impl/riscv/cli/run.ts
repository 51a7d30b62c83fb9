/**
 * Bare-metal runner command (issue 3):
 *
 *   npm run riscv:run -- prog.elf [--max-instructions N] [--harts N] [--trace] [--seed N]
 *
 * Loads the ELF (linked at 0x80000000), runs it in M-mode on every hart with the HTIF tohost
 * protocol (riscv.md §1) and prints the program's console output on stdout.
 * Exit status:
 *   0    pass (tohost = 1)
 *   n    fail at check n = tohost >> 1 (the shell keeps n & 255; a failure whose code would be 0
 *        mod 256 exits 1 so it can never look like a pass)
 *   124  timeout: the instruction budget ran out (as timeout(1))
 *   2    usage error or unloadable ELF (one line on stderr)
 * With --trace, one line per instruction goes to stderr (`core <hart>: <priv> 0x<pc> (0x<insn>)`).
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { pathToFileURL } from "node:url";
import { DEFAULT_MAX_INSTRUCTIONS, runBareMetal } from "../baremetal.ts";

/** Exit status of a timed-out run. */
export const EXIT_TIMEOUT = 124;
/** Exit status of a usage error or an unloadable ELF. */
export const EXIT_USAGE = 2;

const USAGE = "usage: riscv:run <prog.elf> [--max-instructions N] [--harts N] [--trace] [--seed N]";

/** Where the command writes. */
export interface CliIo {
  out: (s: string) => void;
  err: (s: string) => void;
}

function intOption(name: string, v: string | undefined, min: number, max: number, dflt: number): number {
  if (v === undefined) return dflt;
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(Number(v)) || Number(v) < min || Number(v) > max) {
    throw new UsageError(`--${name} must be an integer in ${min}..${max}, got '${v}'`);
  }
  return Number(v);
}

class UsageError extends Error {}

/** Runs the command with `args` (without node and the script); returns the exit status. */
export function runCli(args: string[], io: CliIo): number {
  let file: string;
  let opts: { maxInstructions: number; harts: number; seed: number; trace: boolean };
  try {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        "max-instructions": { type: "string" },
        harts: { type: "string" },
        seed: { type: "string" },
        trace: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    });
    if (values.help) {
      io.out(`${USAGE}\n`);
      return 0;
    }
    if (positionals.length !== 1) throw new UsageError(`expected exactly one ELF file, got ${positionals.length}`);
    file = positionals[0]!;
    opts = {
      maxInstructions: intOption("max-instructions", values["max-instructions"], 1, Number.MAX_SAFE_INTEGER, DEFAULT_MAX_INSTRUCTIONS),
      harts: intOption("harts", values.harts, 1, 64, 1),
      seed: intOption("seed", values.seed, 0, 0xffffffff, 1),
      trace: values.trace ?? false,
    };
  } catch (e) {
    io.err(`riscv:run: ${(e as Error).message} (${USAGE})\n`);
    return EXIT_USAGE;
  }

  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(readFileSync(file));
  } catch (e) {
    io.err(`riscv:run: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
    return EXIT_USAGE;
  }
  let result;
  try {
    result = runBareMetal(bytes, {
      maxInstructions: opts.maxInstructions,
      harts: opts.harts,
      seed: opts.seed,
      trace: opts.trace ? (line) => io.err(`${line}\n`) : undefined,
    });
  } catch (e) {
    io.err(`riscv:run: ${file}: ${(e as Error).message}\n`);
    return EXIT_USAGE;
  }
  io.out(result.console);
  switch (result.status) {
    case "pass":
      io.err(`riscv:run: PASS (${result.instructions} instructions)\n`);
      return 0;
    case "fail":
      io.err(`riscv:run: FAIL at check ${result.exitCode} (tohost 0x${result.tohost.toString(16)}, ${result.instructions} instructions)\n`);
      return result.exitCode % 256 === 0 ? 1 : result.exitCode % 256;
    case "timeout":
      io.err(`riscv:run: TIMEOUT after ${result.instructions} instructions (no tohost exit)\n`);
      return EXIT_TIMEOUT;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  process.exitCode = runCli(process.argv.slice(2), {
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
  });
}
