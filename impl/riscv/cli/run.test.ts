import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { EXIT_TIMEOUT, EXIT_USAGE, runCli } from "./run.ts";

const path = (rel: string) => fileURLToPath(new URL(`../tests/${rel}`, import.meta.url));

function cli(...args: string[]) {
  let out = "";
  let err = "";
  const code = runCli(args, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

describe("riscv:run", () => {
  it("exits 0 on pass", () => {
    const r = cli(path("bin/rv64m.elf"));
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/PASS/);
  });

  it("exits tohost >> 1 on fail", () => {
    const r = cli(path("htif-bin/htif_fail.elf"));
    expect(r.code).toBe(5);
    expect(r.err).toMatch(/FAIL at check 5/);
  });

  it("prints the console output on stdout", () => {
    expect(cli(path("htif-bin/htif_console.elf")).out).toBe("hi\nA");
  });

  it("exits 124 on timeout", () => {
    const r = cli(path("htif-bin/htif_hang.elf"), "--max-instructions", "5000");
    expect(r.code).toBe(EXIT_TIMEOUT);
    expect(r.err).toMatch(/TIMEOUT after 5000 instructions/);
  });

  it("passes --harts, --seed and --trace through", () => {
    const r = cli(path("bin/rv64m.elf"), "--harts", "2", "--seed", "9", "--trace", "--max-instructions", "50000");
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/^core {3}1: 3 0x0000000080000000 /m);
  });

  it.each([
    [[] as string[], /exactly one ELF/],
    [["a.elf", "b.elf"], /exactly one ELF/],
    [["--harts", "0", "x.elf"], /--harts must be/],
    [["--max-instructions", "1e9", "x.elf"], /--max-instructions must be/],
    [["--frobnicate", "x.elf"], /Unknown option/],
    [["/nonexistent/prog.elf"], /cannot read/],
    [[fileURLToPath(import.meta.url)], /bad magic/],
  ])("exits 2 with one clear line for %j", (args, msg) => {
    const r = cli(...args);
    expect(r.code).toBe(EXIT_USAGE);
    expect(r.err.trimEnd().split("\n")).toHaveLength(1);
    expect(r.err).toMatch(msg);
  });
});
