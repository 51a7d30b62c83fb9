import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

/**
 * Node flags of the bundled checkers: a young generation of 64 MiB semi-spaces. A model-checking
 * search allocates ~200 MB of short-lived events, results and successors, an explorer run ~100 KB a
 * checked step; with the default 16 MiB, scavenges ran every ~40 ms, and on two workers the GC
 * helper threads competed with the workers for the cores.
 */
export const CHECKER_NODE_FLAGS: readonly string[] = ["--max-semi-space-size=64"];

/** True when running from the esbuild bundle (bundle.ts), not from TypeScript sources under tsx. */
export const isBundled = import.meta.url.endsWith(".mjs");

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/**
 * Runs `entry` (a TypeScript file of this repository) as a plain-JavaScript esbuild bundle in a child
 * Node process, with stdio inherited, and returns its exit status; undefined if esbuild is not
 * installed (it comes with tsx). Why: tsx compiles with esbuild's `keepNames`, which wraps every
 * closure created at run time in a `__name(…)` call (Object.defineProperty); the spec's invariants
 * create closures on every call, and under tsx this costs the checker ~40% of its time. The bundle
 * (in node_modules/.cache/penglai-mc, next to the packages it imports) holds the entry and the
 * search worker. `nodeFlags` go to the child Node (before the bundle).
 */
export async function runBundled(
  entry: string,
  args: readonly string[],
  nodeFlags: readonly string[] = [],
): Promise<number | undefined> {
  if (isBundled || process.env.MC_NO_BUNDLE) return undefined;
  let esbuild: typeof import("esbuild");
  try {
    esbuild = await import("esbuild");
  } catch {
    return undefined;
  }
  const outdir = join(root, "node_modules", ".cache", "penglai-mc");
  mkdirSync(outdir, { recursive: true });
  const name = entry
    .replace(/^checks\//, "")
    .replace(/\.ts$/, "")
    .replaceAll("/", "-"); // mc-bench, explore-bench, cli-main
  await esbuild.build({
    entryPoints: {
      [name]: join(root, entry),
      worker: join(root, "checks/mc/worker.ts"),
      exploreWorker: join(root, "checks/explore/exploreWorker.ts"), // explore --workers (parallelExplore.ts)
      benchWorker: join(root, "checks/explore/benchWorker.ts"), // bench:explore's workers
    },
    outdir,
    outExtension: { ".js": ".mjs" },
    bundle: true,
    platform: "node",
    format: "esm",
    packages: "external",
    keepNames: false,
    logLevel: "error",
  });
  const r = spawnSync(process.execPath, [...nodeFlags, join(outdir, `${name}.mjs`), ...args], { stdio: "inherit" });
  return r.status ?? 1;
}
