/**
 * Running ELF programs on the QEMU reference (riscv.md §2): spike machine, hart restricted to
 * RV64IMAC (no H, Sstc, F, D, B), no firmware, HTIF console on stdout. Many programs run
 * concurrently (QEMU start-up dominates a short program's cost), each under a timeout because a
 * program that never writes `tohost` hangs (toolchain.md).
 */
import { spawn, spawnSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";

/** qemu-system-riscv64 arguments before `-kernel <elf>`. */
export const QEMU_ARGS: readonly string[] = [
  "-machine", "spike",
  "-cpu", "rv64,h=false,sstc=false,f=false,d=false,zba=false,zbb=false,zbc=false,zbs=false",
  "-nographic", "-bios", "none",
  // no monitor / serial multiplexing: stdout carries only the HTIF console
];

/** Outcome of one QEMU run. */
export interface QemuResult { stdout: string; status: number | null; timedOut: boolean; ms: number }

/** Whether `qemu-system-riscv64` is on PATH. */
export function haveQemu(): boolean {
  return spawnSync("qemu-system-riscv64", ["--version"]).status === 0;
}

/**
 * Run one ELF file on QEMU. stdout goes to a file, not a pipe: QEMU's stdio chardev drops console
 * bytes when a pipe is full (the reader is slower than the guest), which corrupts dumps.
 */
export function runQemuFile(path: string, timeoutMs = 5_000): Promise<QemuResult> {
  const t0 = performance.now();
  const outPath = `${path}.out`;
  const fd = openSync(outPath, "w");
  return new Promise((resolve) => {
    const p = spawn("qemu-system-riscv64", [...QEMU_ARGS, "-kernel", path], { stdio: ["ignore", fd, "ignore"] });
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; p.kill("SIGKILL"); }, timeoutMs);
    p.on("close", (code) => {
      clearTimeout(timer);
      closeSync(fd);
      const stdout = readFileSync(outPath).toString("latin1");
      rmSync(outPath, { force: true });
      resolve({ stdout, status: code, timedOut, ms: performance.now() - t0 });
    });
  });
}

/**
 * Run many ELF images on QEMU with at most `concurrency` processes at once (default: twice the
 * number of cores — a short run is mostly process start-up). Results are in input order.
 */
export async function runQemuBatch(elfs: Uint8Array[], opts: { concurrency?: number; timeoutMs?: number } = {}): Promise<QemuResult[]> {
  const dir = mkdtempSync(join(tmpdir(), "rvdiff-"));
  const conc = opts.concurrency ?? Math.max(2, availableParallelism() * 2);
  const results: QemuResult[] = new Array(elfs.length);
  let next = 0;
  try {
    const worker = async () => {
      while (next < elfs.length) {
        const k = next++;
        const path = join(dir, `p${k}.elf`);
        writeFileSync(path, elfs[k]);
        results[k] = await runQemuFile(path, opts.timeoutMs);
        rmSync(path, { force: true });
      }
    };
    await Promise.all(Array.from({ length: Math.min(conc, elfs.length) }, worker));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}
