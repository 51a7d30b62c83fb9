// npm run bench:mc — distinct states per second of the model checker on its default configuration
// (one worker, then all cores), the same on a larger one (mc.mid.*, default to depth 7; BENCH_MID=0
// skips it), where the time goes, and the time of a configuration with ≥ 1,000,000 distinct states
// (mc.big.*; BENCH_BIG=0 skips it).
import { availableParallelism } from "node:os";
import { CHECKER_NODE_FLAGS, runBundled } from "./bundle.ts";
import { defaultMcConfig, mcConfig, type McConfig } from "./config.ts";
import { measureCosts } from "./costs.ts";
import { parallelSearch, WorkerPool } from "./parallel.ts";
import { search, type SearchResult } from "./search.ts";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
/** JIT warm-up of each searching thread, the bench's own and every worker (BENCH_WARMUP seconds, default 10). */
const WARMUP_MS = 1000 * Number(process.env.BENCH_WARMUP ?? 10);
/**
 * The table the workers of the default configuration's parallel rounds share: 2^18 entries (23,378
 * states; its size changes no result). One thread's search runs on its own growing table, of the
 * default initial size, as `check` runs it.
 */
const TABLE_BITS = 18;
const fmt = (x: number) => Math.round(x);

function cpuOf<T>(f: () => T): [T, number] {
  const c = process.cpuUsage();
  const r = f();
  const d = process.cpuUsage(c);
  return [r, (d.user + d.system) / 1e6];
}

/** The best of ROUNDS searches of `mc` on `workers` threads (`tableBits`: the size of the workers' shared table). */
async function best(mc: McConfig, workers: number, tableBits = TABLE_BITS): Promise<{ r: SearchResult; s: number; cpu: number }> {
  let out: { r: SearchResult; s: number; cpu: number } | undefined;
  // the workers of the parallel rounds are started once and warmed up as long as the single thread
  const pool = workers > 1 ? await WorkerPool.start(mc, { workers, tableBits, warmUpMs: WARMUP_MS }) : undefined;
  try {
    for (let i = 0; i < ROUNDS; i++) {
      if (!pool) {
        const [r, cpu] = cpuOf(() => search(mc));
        if (!out || r.elapsedMs / 1000 < out.s) out = { r, s: r.elapsedMs / 1000, cpu };
      } else {
        const r = await parallelSearch(mc, { workers, tableBits, pool });
        if (!out || r.elapsedMs / 1000 < out.s) out = { r, s: r.elapsedMs / 1000, cpu: NaN };
      }
    }
  } finally {
    await pool?.close();
  }
  return out!;
}

/** The benchmark (run from the esbuild bundle, see bundle.ts). */
async function main(): Promise<void> {
  const mc = defaultMcConfig;
  // warm-up (JIT): searches of the steady state, not of a process still compiling. The first
  // searches run ~5×, ~2×, ~1.2× slower; then the rate still climbs for seconds while V8 optimizes
  // rarer paths (on a 2-core machine the rate over the first 5 s is ~20% below the rate from 10 s on,
  // which stays flat to 40 s). BENCH_WARMUP seconds of searches first (default 10).
  const warmUntil = performance.now() + WARMUP_MS;
  while (performance.now() < warmUntil) search(mc);
  const one = await best(mc, 1);
  console.log(`mc.distinct-states: ${one.r.distinct}`);
  console.log(`mc.distinct-states-per-s: ${fmt(one.r.distinct / one.s)}`);
  console.log(`mc.distinct-states-per-cpu-s: ${fmt(one.r.distinct / one.cpu)}`);
  console.log(`mc.transitions-per-s: ${fmt(one.r.transitions / one.s)}`);
  const workers = Math.max(2, availableParallelism());
  const many = await best(mc, workers);
  console.log(
    `mc.distinct-states-per-s.workers: ${fmt(many.r.distinct / many.s)} (${workers} workers, ${many.r.distinct} distinct states)`,
  );

  // where two workers pay off: the default configuration to depth 7 (70,890 distinct states)
  if (process.env.BENCH_MID !== "0") {
    const mid = mcConfig({ maxDepth: 7 });
    const one1 = await best(mid, 1);
    const many1 = await best(mid, workers, 19);
    console.log(`mc.mid.config: default to depth 7, ${one1.r.distinct} distinct states`);
    console.log(`mc.mid.distinct-states-per-s: ${fmt(one1.r.distinct / one1.s)}`);
    console.log(`mc.mid.distinct-states-per-s.workers: ${fmt(many1.r.distinct / many1.s)} (${workers} workers)`);
  }

  const cost = measureCosts(mc);
  console.log(`mc.cost.transitions-per-state: ${cost.transitionsPerState.toFixed(1)}`);
  console.log(`mc.cost.enumerate-us-per-state: ${cost.enumeratePerState.toFixed(2)}`);
  console.log(`mc.cost.canonical-fingerprint-us-per-successor: ${cost.canonicalPerSuccessor.toFixed(2)}`);
  console.log(`mc.cost.state-invariants-us-per-state: ${cost.stateInvariantsPerState.toFixed(2)}`);
  for (const r of cost.byType.slice(0, 15))
    console.log(
      `mc.cost.event.${r.type}: ${r.count} steps, step ${r.step.toFixed(2)} us, step invariants ${r.stepInvariants.toFixed(2)} us`,
    );
  for (const r of cost.byInvariant.slice(0, 10))
    console.log(`mc.cost.invariant.${r.id.replace(" ", ".")}: ${r.us.toFixed(3)} us`);

  if (process.env.BENCH_BIG !== "0") {
    // ≥ 1,000,000 distinct states: no symmetry, 8 pages, depth 4 (1,811,184 distinct states), all cores
    const big = mcConfig({ maxDepth: 4, spec: { pages: 8 } });
    const r = await parallelSearch(big, { workers, symmetry: false, tableBits: 23 });
    console.log(`mc.big.config: default with 8 pages, depth 4, no symmetry, ${workers} workers`);
    console.log(`mc.big.distinct-states: ${r.distinct}`);
    console.log(`mc.big.seconds: ${(r.elapsedMs / 1000).toFixed(1)}`);
    console.log(`mc.big.distinct-states-per-s: ${fmt(r.distinct / (r.elapsedMs / 1000))}`);
  }
}

// a young generation of 64 MiB semi-spaces (bundle.ts CHECKER_NODE_FLAGS: ~5% fewer CPU seconds per search)
const delegated = await runBundled("checks/mc/bench.ts", process.argv.slice(2), CHECKER_NODE_FLAGS);
if (delegated !== undefined) process.exitCode = delegated;
else await main();
