/**
 * `npm run enclave -- <enclave.elf> [--attest NONCE] [--time-slice TICKS] [--seed N]` — boot the
 * platform (RV64 machine, secure monitor, host kernel), create the enclave from the ELF through the
 * host driver, run it to completion and print what it printed, its return value and run statistics.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { bootPlatform } from "../boot.ts";
import { PenglaiDriver } from "../penglaiDriver.ts";
import { codeNames, ReturnCode } from "../../../model/codes.ts";

const USAGE = "usage: npm run enclave -- <enclave.elf> [--attest NONCE] [--time-slice TICKS] [--seed N]";

function codeName(v: bigint | number): string {
  return codeNames.find((n) => BigInt(ReturnCode[n]) === BigInt(v)) ?? String(v);
}

function main(argv: string[]): number {
  let args;
  try {
    args = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { attest: { type: "string" }, "time-slice": { type: "string" }, seed: { type: "string" }, help: { type: "boolean" } },
    });
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (args.values.help) {
    console.log(USAGE);
    return 0;
  }
  if (args.positionals.length !== 1) {
    console.error(USAGE);
    return 2;
  }
  const num = (s: string | undefined, what: string): bigint | undefined => {
    if (s === undefined) return undefined;
    if (!/^(0x[0-9a-f]+|\d+)$/i.test(s)) throw new Error(`--${what} needs a non-negative integer, got "${s}"`);
    return BigInt(s);
  };
  let elf: Uint8Array;
  let nonce: bigint | undefined, slice: bigint | undefined, seed: bigint | undefined;
  try {
    nonce = num(args.values.attest, "attest");
    slice = num(args.values["time-slice"], "time-slice");
    seed = num(args.values.seed, "seed");
    elf = new Uint8Array(readFileSync(args.positionals[0]));
  } catch (e) {
    console.error((e as Error).message);
    return 2;
  }
  const t0 = performance.now();
  const p = bootPlatform({ seed: seed === undefined ? 1 : Number(seed) });
  const d = new PenglaiDriver(p.kernel);
  if (slice !== undefined) d.timeSlice = slice;
  let eid: number;
  try {
    eid = d.create(elf);
  } catch (e) {
    console.error(`cannot load the enclave: ${(e as Error).message}`);
    return 2;
  }
  if (eid < 0) {
    console.error(`create failed: ${codeName(eid)}`);
    return 1;
  }
  if (nonce !== undefined) {
    const report = d.attest(eid, nonce);
    if (typeof report === "number") console.error(`attest failed: ${codeName(report)}`);
    else console.log(`report: ${Buffer.from(report).toString("hex")}`);
  }
  const r = d.run(eid);
  process.stdout.write(d.enclaves.get(eid)?.output ?? lastOutput(d, eid));
  console.log(
    `enclave ${eid}: ${codeName(r.code)}, retval ${r.retval}, ${r.timerPreemptions} timer preemptions, ${r.ocalls} ocalls, ` +
      `${p.machine.instructions} instructions, ${(performance.now() - t0).toFixed(0)} ms`,
  );
  return r.code === 0n ? 0 : 1;
}

function lastOutput(d: PenglaiDriver, eid: number): string {
  return d.finished.get(eid) ?? "";
}

process.exitCode = main(process.argv.slice(2));
