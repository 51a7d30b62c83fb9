import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { BareMetalError, runBareMetal } from "./baremetal.ts";
import { decodeTohost } from "./htif.ts";
import { ElfError } from "./elf.ts";

const htif = (name: string) => new Uint8Array(readFileSync(new URL(`./tests/htif-bin/${name}.elf`, import.meta.url)));
const directed = (name: string) => new Uint8Array(readFileSync(new URL(`./tests/bin/${name}.elf`, import.meta.url)));

describe("decodeTohost (riscv.md §1)", () => {
  it("classifies pass, fail, putchar and other commands", () => {
    expect(decodeTohost(0n)).toEqual({ kind: "none" });
    expect(decodeTohost(1n)).toEqual({ kind: "exit", tohost: 1n, code: 0 });
    expect(decodeTohost(11n)).toEqual({ kind: "exit", tohost: 11n, code: 5 });
    expect(decodeTohost(0x0101_0000_0000_0041n)).toEqual({ kind: "putchar", char: 0x41 });
    expect(decodeTohost(0x80001000n).kind).toBe("unknown"); // even: syscall proxy, unsupported
    expect(decodeTohost(0x0100_0000_0000_0001n).kind).toBe("unknown"); // device 1, command 0
  });
});

describe("runBareMetal", () => {
  it("passes a passing program with exit code 0", () => {
    const r = runBareMetal(directed("rv64i_alu"));
    expect(r.status).toBe("pass");
    expect(r.exitCode).toBe(0);
    expect(r.tohost).toBe(1n);
    expect(r.instructions).toBeGreaterThan(100);
  });

  it("reports a failing check as tohost >> 1", () => {
    const r = runBareMetal(htif("htif_fail"));
    expect(r).toMatchObject({ status: "fail", exitCode: 5, tohost: 11n });
  });

  it("prints console output and waits for both halves of tohost", () => {
    const r = runBareMetal(htif("htif_console"));
    expect(r.console).toBe("hi\nA");
    expect(r.status).toBe("pass");
  });

  it("times out when the budget runs out", () => {
    const r = runBareMetal(htif("htif_hang"), { maxInstructions: 10_000 });
    expect(r).toMatchObject({ status: "timeout", exitCode: 0, instructions: 10_000 });
  });

  it("traces every instruction in Spike's commit-log style", () => {
    const lines: string[] = [];
    const r = runBareMetal(htif("htif_fail"), { trace: (l) => lines.push(l) });
    expect(lines.length).toBe(r.instructions);
    expect(lines[0]).toMatch(/^core {3}0: 3 0x0000000080000000 \(0x[0-9a-f]{8}\)$/);
  });

  it("is deterministic for a seed and runs extra harts parked", () => {
    const a = runBareMetal(directed("rv64m"), { harts: 3, seed: 7 });
    const b = runBareMetal(directed("rv64m"), { harts: 3, seed: 7 });
    expect(a.status).toBe("pass");
    expect(b).toEqual(a);
  });

  it("rejects a bad ELF and an ELF without tohost", () => {
    expect(() => runBareMetal(new Uint8Array(10))).toThrow(ElfError);
    // A copy of a fixture with the symbol name "tohost" renamed.
    const bytes = htif("htif_fail");
    const text = Buffer.from(bytes);
    let i = text.indexOf("tohost\0");
    while (i >= 0) {
      text[i] = "X".charCodeAt(0);
      i = text.indexOf("tohost\0", i + 1);
    }
    expect(() => runBareMetal(new Uint8Array(text))).toThrow(BareMetalError);
  });
});
