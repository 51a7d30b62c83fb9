import { writeFileSync } from "node:fs";
import { itfToText } from "../../model/itf.ts";
import { mcConfig, type McConfig } from "../mc/config.ts";
import { formatCounterexample } from "../mc/format.ts";
import { parallelSearch } from "../mc/parallel.ts";
import { search, type Progress, type SearchResult } from "../mc/search.ts";
import { specMutants } from "../mc/specMutants.ts";
import { finalStats, progressBar, progressLine } from "../mc/stats.ts";
import { counterexample, toItfTrace } from "../mc/trace.ts";

/** A usage error: one line, exit status 2. */
export class UsageError extends Error {}

/** Parsed `check` arguments. */
export interface CheckArgs {
  mc: McConfig;
  workers: number;
  symmetry: boolean;
  deadlock: boolean;
  /** Step every enumerated event, also those the spec surely refuses (no pruning). */
  allEvents: boolean;
  continueAfterViolation: boolean;
  itf?: string;
  /** log2 of the fingerprint table's slots (SearchOptions.tableBits); absent: the search's default. */
  tableBits?: number;
  mutant?: string;
  quiet: boolean;
}

export const CHECK_USAGE = `usage: check [--enclaves N] [--pages N] [--harts N] [--hosts N] [--shms N] [--secure-shms N] [--relays N]
             [--monitor-pages N] [--pta-pages N] [--names a,b] [--images x,y] [--keys 1,2] [--max-list N] [--max-count N]
             [--depth N] [--workers N] [--symmetry | --no-symmetry] [--deadlock] [--continue] [--itf FILE]
             [--table-bits N] [--mutant ID] [--all-events] [--quiet]`;

/** Largest --table-bits: 2^26 slots (a shared table of 1 GB). */
const MAX_TABLE_BITS = 26;

const INT_FLAGS: Record<string, (mc: McConfig, n: number) => void> = {
  "--enclaves": (mc, n) => (mc.spec.enclaves = n),
  "--pages": (mc, n) => (mc.spec.pages = n),
  "--harts": (mc, n) => (mc.spec.harts = n),
  "--hosts": (mc, n) => (mc.spec.hosts = n),
  "--shms": (mc, n) => (mc.spec.shms = n),
  "--secure-shms": (mc, n) => (mc.spec.secureShms = n),
  "--relays": (mc, n) => (mc.spec.relays = n),
  "--monitor-pages": (mc, n) => (mc.spec.monitorPages = n),
  "--pta-pages": (mc, n) => (mc.spec.ptaPages = n),
  "--max-list": (mc, n) => (mc.maxList = n),
  "--max-count": (mc, n) => (mc.maxCount = n),
  "--depth": (mc, n) => (mc.maxDepth = n),
};

/** Parses the arguments of `check`; throws UsageError on anything unknown or malformed. */
export function parseCheckArgs(argv: readonly string[]): CheckArgs {
  const mc = mcConfig();
  const a: CheckArgs = {
    mc,
    workers: 1,
    symmetry: true,
    deadlock: false,
    allEvents: false,
    continueAfterViolation: false,
    quiet: false,
  };
  const value = (i: number, flag: string) => {
    const v = argv[i + 1];
    if (v === undefined || v.startsWith("--")) throw new UsageError(`${flag} needs a value`);
    return v;
  };
  const int = (i: number, flag: string, min: number) => {
    const v = value(i, flag);
    if (!/^\d+$/.test(v) || Number(v) < min) throw new UsageError(`${flag} needs an integer ≥ ${min}, got ${JSON.stringify(v)}`);
    return Number(v);
  };
  for (let i = 0; i < argv.length; i++) {
    const f = argv[i]!;
    if (f in INT_FLAGS)
      INT_FLAGS[f]!(
        mc,
        int(
          i++,
          f,
          f === "--depth" || (f.endsWith("pages") && f !== "--pages") || ["--shms", "--secure-shms", "--relays"].includes(f)
            ? 0
            : 1,
        ),
      );
    else if (f === "--workers") a.workers = int(i++, f, 1);
    else if (f === "--table-bits") {
      a.tableBits = int(i++, f, 8);
      if (a.tableBits > MAX_TABLE_BITS) throw new UsageError(`--table-bits needs an integer ≤ ${MAX_TABLE_BITS}, got ${a.tableBits}`);
    }
    else if (f === "--names") mc.spec.names = value(i++, f).split(",");
    else if (f === "--images") mc.images = value(i++, f).split(",");
    else if (f === "--keys")
      mc.keys = value(i++, f)
        .split(",")
        .map((k) => {
          if (!/^\d+$/.test(k)) throw new UsageError(`--keys needs integers, got ${JSON.stringify(k)}`);
          return Number(k);
        });
    else if (f === "--symmetry") a.symmetry = true;
    else if (f === "--no-symmetry") a.symmetry = false;
    else if (f === "--deadlock") a.deadlock = true;
    else if (f === "--all-events") a.allEvents = true;
    else if (f === "--continue") a.continueAfterViolation = true;
    else if (f === "--quiet") a.quiet = true;
    else if (f === "--itf") a.itf = value(i++, f);
    else if (f === "--mutant") {
      a.mutant = value(i++, f);
      if (!specMutants.some((m) => m.id === a.mutant))
        throw new UsageError(`unknown mutant ${a.mutant} (known: ${specMutants.map((m) => m.id).join(", ")})`);
    } else throw new UsageError(`unknown argument ${JSON.stringify(f)}`);
  }
  if (mc.spec.monitorPages + mc.spec.ptaPages > mc.spec.pages)
    throw new UsageError("--monitor-pages + --pta-pages exceed --pages");
  if (mc.spec.names.some((x) => x === "")) throw new UsageError("--names must not contain an empty name");
  return a;
}

/** Runs `check`: prints progress and statistics; returns the exit status (0 ok, 1 violation). */
export async function runCheck(a: CheckArgs, out: (line: string) => void = console.log): Promise<number> {
  const { mc } = a;
  const tty = process.stdout.isTTY && !a.quiet;
  const s = mc.spec;
  out(
    `Model checking spec/step.ts${a.mutant ? ` (mutant ${a.mutant})` : ""}: ${s.enclaves} enclave slots, ${s.pages} pages ` +
      `(${s.monitorPages} monitor, ${s.ptaPages} page-table area), ${s.harts} harts, ${s.hosts} hosts, ${s.shms} shm, ` +
      `${s.secureShms} secure shm, ${s.relays} relay ids, names ${s.names.join(",")}; depth ≤ ${mc.maxDepth}; ` +
      `symmetry ${a.symmetry ? "on" : "off"}; ${a.allEvents || a.mutant ? "every event stepped" : "surely refused events pruned"}; ${a.workers} worker(s).`,
  );
  const onProgress = a.quiet
    ? undefined
    : (p: Progress) => {
        if (tty) process.stdout.write(`\r${progressBar(p, mc.maxDepth)}\x1b[K`);
        else out(progressLine(p));
      };
  const opts = {
    symmetry: a.symmetry,
    deadlock: a.deadlock,
    continueAfterViolation: a.continueAfterViolation,
    ...(a.tableBits !== undefined ? { tableBits: a.tableBits } : {}),
    onProgress,
    ...(a.allEvents ? { prune: false } : {}),
  };
  const mutant = a.mutant ? specMutants.find((m) => m.id === a.mutant) : undefined;
  const r: SearchResult =
    a.workers > 1
      ? await parallelSearch(mc, { ...opts, workers: a.workers, mutant: a.mutant })
      : search(mc, { ...opts, step: mutant?.step });
  if (tty) process.stdout.write("\r\x1b[K");
  const violations = r.found.filter((f) => f.kind !== "deadlock");
  if (violations.length === 0)
    out(r.complete ? "Model checking completed. No error has been found." : "No error has been found within the bound.");
  const shown = new Set<string>();
  for (const f of r.found) {
    const key = `${f.kind}:${f.ids.join(",")}`;
    if (shown.has(key)) continue;
    shown.add(key);
    const cx = counterexample(mc, f, r.table, { symmetry: a.symmetry, step: mutant?.step });
    out(
      f.kind === "deadlock"
        ? `Deadlock reached (${r.deadlocks} deadlocked state(s)); a shortest trace:`
        : `Error: ${f.kind} invariant(s) ${f.ids.join(", ")} violated. The shortest trace:`,
    );
    out(formatCounterexample(cx));
    if (a.itf && (f.kind !== "deadlock" || violations.length === 0) && !shown.has("itf")) {
      shown.add("itf");
      writeFileSync(a.itf, itfToText(toItfTrace(cx, `${f.kind} ${f.ids.join(", ")}: shortest trace found by checks/mc`)));
      out(`Trace written to ${a.itf} (ITF).`);
    }
  }
  for (const line of finalStats(r, mc.maxDepth)) out(line);
  return violations.length ? 1 : 0;
}
