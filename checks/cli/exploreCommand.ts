/**
 * `explore`, `replay` and `mutants`: the refinement checker of the implementation against the spec
 * (checks/explore). Flags are parsed strictly: anything unknown or malformed is a UsageError.
 */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { z } from "zod";
import { join } from "node:path";
import { fromItf, itfToText, type ItfTrace } from "../../model/itf.ts";
import { isImplMutant, setImplMutant } from "../../impl/mutants.ts";
import { notPlanted } from "../../impl/mutantCatalog.ts";
import { specMutants } from "../mc/specMutants.ts";
import { checkedRun, type StepFn } from "../explore/checkedRun.ts";
import { explore } from "../explore/explore.ts";
import { exploreParallel } from "../explore/parallelExplore.ts";
import { formatFailure } from "../explore/format.ts";
import { mutantTargets, runMutant, type MutantOutcome } from "../explore/mutants.ts";
import { formatCoverage, startCoverage, stopCoverage } from "../explore/coverage.ts";
import { defaultPlatformConfig, type PlatformConfig } from "../explore/platform.ts";
import { platformOf as tracePlatform, traceEvents } from "../explore/replay.ts";
import { UsageError } from "./checkCommand.ts";

export const EXPLORE_USAGE = `usage: explore [--seed N] [--runs N] [--steps N] [--harts 1|2] [--enclaves N] [--pages N] [--shms N]
               [--mutant ID] [--out DIR] [--record DIR] [--time SECONDS] [--workers N] [--coverage-json FILE] [--no-shrink] [--quiet]
  Random refinement runs of the implementation (real RISC-V, monitor, host) against the spec.
  --seed      fast-check seed (default: time-based, printed)     --runs   runs (default 5000)
  --steps     longest run (default 60)                           --pages  host pages in the model's window (default 256)
  --mutant    run against a planted bug (see: mutants --list)    --out    where a counterexample is saved (default .)
  --record    save every passing run as an ITF trace in DIR      --time   stop exploring after this many seconds
  --workers   worker threads, each on its own seed (seed, seed+1, …) and share of the runs (default 1)
  --coverage-json FILE   spec coverage (machine states, transitions, guard outcomes) as JSON`;

export const REPLAY_USAGE = `usage: replay <trace.itf.json> [--mutant ID] [--quiet]
  Re-runs a recorded trace on the implementation and re-validates every step against the spec.`;

export const COVERAGE_USAGE = `usage: coverage <trace.itf.json | DIR>... [--json FILE] [--all]
  Replays the traces and reports which spec machine states, transitions and guard outcomes they
  exercised and which they never did (--all lists every one never exercised).`;

export const MUTANTS_USAGE = `usage: mutants [--list] [--only ID,ID] [--seed N] [--runs N] [--steps N] [--budget SECONDS] [--out DIR]
  Explores against every mutant with a fixed budget; prints a table and mutants.killed: K/N.`;

type Flags = Map<string, string | true>;

/** `--name value` / `--flag` pairs; every name must be in `known` (value flags) or `switches`. */
function parseFlags(
  argv: readonly string[],
  known: readonly string[],
  switches: readonly string[],
): { flags: Flags; rest: string[] } {
  const flags: Flags = new Map();
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith("--")) {
      rest.push(a);
      continue;
    }
    if (switches.includes(a)) flags.set(a, true);
    else if (known.includes(a)) {
      const v = argv[++i];
      if (v === undefined || v.startsWith("--")) throw new UsageError(`${a} needs a value`);
      flags.set(a, v);
    } else throw new UsageError(`unknown flag ${a}`);
  }
  return { flags, rest };
}

function int(flags: Flags, name: string, dflt: number, min: number, max: number): number {
  const v = flags.get(name);
  if (v === undefined) return dflt;
  const n = Number(v);
  if (v === true || !Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`${name} must be an integer in [${min}, ${max}]`);
  return n;
}

/** The spec step for `--mutant` (spec:… ids), after switching an implementation mutant on. */
function applyMutant(id: string | undefined): StepFn | undefined {
  if (id === undefined) return undefined;
  if (isImplMutant(id)) {
    setImplMutant(id);
    return undefined;
  }
  const spec = specMutants.find((m) => `spec:${m.id}` === id);
  if (spec) return spec.step;
  throw new UsageError(`unknown mutant ${id} (mutants --list)`);
}

const progress = (quiet: boolean) => {
  let last = 0;
  const t0 = performance.now();
  return (runs: number, total: number, steps: number) => {
    const now = performance.now();
    if (quiet || now - last < 1000) return;
    last = now;
    const s = (now - t0) / 1000;
    const width = 24;
    const filled = Math.round((runs / total) * width);
    process.stderr.write(
      `\r[${"#".repeat(filled)}${".".repeat(width - filled)}] run ${runs}/${total}, ${steps} checked steps, ${(steps / s).toFixed(0)} steps/s   `,
    );
  };
};

export async function runExplore(argv: readonly string[]): Promise<number> {
  const { flags, rest } = parseFlags(
    argv,
    [
      "--seed",
      "--runs",
      "--steps",
      "--harts",
      "--enclaves",
      "--pages",
      "--shms",
      "--mutant",
      "--out",
      "--record",
      "--time",
      "--coverage-json",
      "--workers",
    ],
    ["--no-shrink", "--quiet"],
  );
  if (rest.length) throw new UsageError(`unexpected argument ${JSON.stringify(rest[0])}`);
  const seed = int(flags, "--seed", Date.now() % 2 ** 31, 0, 2 ** 31 - 1);
  const runs = int(flags, "--runs", 5000, 1, 1_000_000); // about half a minute on one core
  const steps = int(flags, "--steps", 60, 1, 100_000);
  const platform: PlatformConfig = {
    ...defaultPlatformConfig,
    harts: int(flags, "--harts", defaultPlatformConfig.harts, 1, 2),
    enclaves: int(flags, "--enclaves", defaultPlatformConfig.enclaves, 1, 16),
    windowPages: int(flags, "--pages", defaultPlatformConfig.windowPages, 64, 1024),
    shms: int(flags, "--shms", defaultPlatformConfig.shms, 1, 16),
  };
  const quiet = flags.has("--quiet");
  const out = (flags.get("--out") as string | undefined) ?? ".";
  const record = flags.get("--record") as string | undefined;
  const mutantId = flags.get("--mutant") as string | undefined;
  const step = applyMutant(mutantId);
  const time = flags.has("--time") ? int(flags, "--time", 0, 1, 10_000_000) : undefined;
  const workers = int(flags, "--workers", 1, 1, 64);
  if (record) mkdirSync(record, { recursive: true });
  if (!quiet)
    console.log(
      `explore: seed ${seed}${workers > 1 ? `..${seed + workers - 1} (${workers} workers)` : ""}, ${runs} runs of up to ${steps} steps${mutantId ? `, mutant ${mutantId}` : ""}`,
    );
  const bar = progress(quiet || !process.stderr.isTTY);
  const options = { seed, runs, steps, platform, timeLimitS: time, shrink: !flags.has("--no-shrink"), coverage: true };
  const report =
    workers > 1
      ? await exploreParallel({ options, workers, mutant: mutantId, record, onProgress: (done, total) => bar(done, runs, total) })
      : explore({
          ...options,
          step,
          onRun: (done, total) => bar(done, runs, total),
          onPass: record
            ? (trace, run) => writeFileSync(join(record, `run-${seed}-${run}.itf.json`), itfToText(trace))
            : undefined,
        });
  if (!quiet && process.stderr.isTTY) process.stderr.write("\n");
  const covJson = flags.get("--coverage-json") as string | undefined;
  if (report.coverage) {
    if (covJson) writeFileSync(covJson, JSON.stringify(report.coverage, null, 1));
    if (!quiet) console.log(formatCoverage(report.coverage, 6));
  }
  const rate = (report.steps / report.seconds).toFixed(0);
  if (!report.counterexample) {
    console.log(
      `explore: ${report.runs} runs, ${report.steps} checked steps in ${report.seconds.toFixed(1)} s (${rate} steps/s): the implementation refines the spec on every step`,
    );
    return 0;
  }
  const cx = report.counterexample;
  mkdirSync(out, { recursive: true });
  const file = join(out, `counterexample-${cx.seed}.itf.json`);
  writeFileSync(file, itfToText(cx.trace));
  console.log(formatFailure(cx.report));
  console.log(
    `explore: FAILED after ${report.firstFailure?.steps} checked steps (${report.firstFailure?.seconds.toFixed(1)} s); shrunk to ${cx.report.steps.length} steps in ${cx.shrinks} shrinks`,
  );
  console.log(`  seed ${cx.seed}, replayPath ${JSON.stringify(cx.replayPath)}; trace saved to ${file}`);
  console.log(`  replay: npm run replay -- ${file}${mutantId ? ` --mutant ${mutantId}` : ""}`);
  return 1;
}

/** The platform of a trace, or a usage error (a trace of another tool). */
function platformOf(trace: ItfTrace): PlatformConfig {
  try {
    return tracePlatform(trace);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/** Reads and validates a trace file; throws UsageError with the zod message on anything malformed. */
export function readTrace(file: string): ItfTrace {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as Error).message}`);
  }
  try {
    return fromItf(text);
  } catch (e) {
    const msg =
      e instanceof SyntaxError
        ? `not JSON: ${e.message}`
        : e instanceof z.ZodError
          ? z.prettifyError(e).split("\n").slice(0, 16).join("\n")
          : (e as Error).message;
    throw new UsageError(`${file} is not an ITF trace of this model:\n${msg}`);
  }
}

export function runReplay(argv: readonly string[]): number {
  const { flags, rest } = parseFlags(argv, ["--mutant"], ["--quiet"]);
  if (rest.length !== 1) throw new UsageError("replay needs exactly one trace file");
  const trace = readTrace(rest[0]!);
  const platform = platformOf(trace);
  const step = applyMutant(flags.get("--mutant") as string | undefined);
  const r = checkedRun({ kind: "events", events: traceEvents(trace) }, platform, step);
  if (r.failure) {
    console.log(formatFailure(r as typeof r & { failure: NonNullable<typeof r.failure> }));
    console.log(`replay: FAILED at step ${r.failure.step} of ${trace.states.length - 1}`);
    return 1;
  }
  const drift = r.steps.findIndex((s, i) => JSON.stringify(s.result) !== JSON.stringify(trace.states[i + 1]!.result));
  if (drift >= 0) {
    console.log(
      `replay: the spec's result of step ${drift + 1} changed since the trace was recorded: ${JSON.stringify(trace.states[drift + 1]!.result)} → ${JSON.stringify(r.steps[drift]!.result)}`,
    );
    return 1;
  }
  if (!flags.has("--quiet")) console.log(`replay: ${r.steps.length} steps, the implementation refines the spec on every step`);
  return 0;
}

export function runMutants(argv: readonly string[]): number {
  const { flags, rest } = parseFlags(argv, ["--only", "--seed", "--runs", "--steps", "--budget", "--out"], ["--list"]);
  if (rest.length) throw new UsageError(`unexpected argument ${JSON.stringify(rest[0])}`);
  if (flags.has("--list")) {
    for (const t of mutantTargets) console.log(`${t.id.padEnd(36)} ${t.side.padEnd(4)} ${t.description}`);
    console.log("\nnot planted (invariants.md §7 entries that do not apply here, and why):");
    for (const [id, why] of Object.entries(notPlanted)) console.log(`${id.padEnd(36)} —    ${why}`);
    return 0;
  }
  const only = (flags.get("--only") as string | undefined)?.split(",");
  if (only) for (const id of only) if (!mutantTargets.some((t) => t.id === id)) throw new UsageError(`unknown mutant ${id}`);
  const o = {
    seed: int(flags, "--seed", 42, 0, 2 ** 31 - 1),
    runs: int(flags, "--runs", 100_000, 1, 1_000_000), // the budget, not the runs, ends a surviving mutant
    steps: int(flags, "--steps", 60, 1, 100_000),
    budgetS: int(flags, "--budget", 60, 1, 100_000),
  };
  const out = flags.get("--out") as string | undefined;
  const targets = mutantTargets.filter((t) => !only || only.includes(t.id));
  const rows: MutantOutcome[] = [];
  console.log(
    `${"mutant".padEnd(36)} ${"side".padEnd(4)} ${"result".padEnd(8)} ${"steps".padStart(7)} ${"seconds".padStart(8)} ${"shrunk".padStart(6)}`,
  );
  for (const t of targets) {
    const r = runMutant(t, o);
    rows.push(r);
    console.log(
      `${t.id.padEnd(36)} ${t.side.padEnd(4)} ${(r.killed ? "killed" : "SURVIVED").padEnd(8)} ${String(r.steps).padStart(7)} ${r.seconds.toFixed(1).padStart(8)} ${String(r.shrunk ?? "—").padStart(6)}`,
    );
    if (out && r.report.counterexample) {
      mkdirSync(out, { recursive: true });
      writeFileSync(join(out, `${t.id.replace(/[^A-Za-z0-9-]/g, "_")}.itf.json`), itfToText(r.report.counterexample.trace));
    }
  }
  const killed = rows.filter((r) => r.killed).length;
  const slow = rows.filter((r) => r.killed && r.seconds > 60).length;
  console.log(`mutants.killed: ${killed}/${rows.length}`);
  if (slow) console.log(`mutants.slower-than-60s: ${slow}`);
  return killed === rows.length && slow === 0 ? 0 : 1;
}

/** Every .itf.json file named, directories searched one level deep. */
function traceFiles(paths: readonly string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    let st;
    try {
      st = statSync(p);
    } catch {
      throw new UsageError(`no such file or directory: ${p}`);
    }
    if (st.isDirectory())
      for (const f of readdirSync(p).sort()) {
        if (f.endsWith(".itf.json")) out.push(join(p, f));
      }
    else out.push(p);
  }
  return out;
}

export function runCoverage(argv: readonly string[]): number {
  const { flags, rest } = parseFlags(argv, ["--json"], ["--all"]);
  const files = traceFiles(rest);
  if (!files.length) throw new UsageError("coverage needs trace files or directories");
  const traces = files.map(readTrace);
  startCoverage();
  let failed = 0;
  for (const [i, t] of traces.entries()) {
    const r = checkedRun({ kind: "events", events: traceEvents(t) }, platformOf(t));
    if (r.failure) {
      failed++;
      console.log(`coverage: ${files[i]} fails at step ${r.failure.step} (${r.failure.kind}); its steps so far count`);
    }
  }
  const cov = stopCoverage();
  const json = flags.get("--json") as string | undefined;
  if (json) writeFileSync(json, JSON.stringify(cov, null, 1));
  console.log(formatCoverage(cov, flags.has("--all") ? Infinity : 12));
  console.log(
    `coverage: ${traces.length} traces, ${traces.reduce((n, t) => n + t.states.length - 1, 0)} steps${failed ? `, ${failed} failing` : ""}`,
  );
  return failed ? 1 : 0;
}
