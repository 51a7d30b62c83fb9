#!/usr/bin/env -S npx tsx
// The checker's command line: `main.ts check [flags]` (npm run check -- [flags]).
import { CHECKER_NODE_FLAGS, runBundled } from "../mc/bundle.ts";
import { CHECK_USAGE, parseCheckArgs, runCheck, UsageError } from "./checkCommand.ts";
import {
  COVERAGE_USAGE,
  EXPLORE_USAGE,
  MUTANTS_USAGE,
  REPLAY_USAGE,
  runCoverage,
  runExplore,
  runMutants,
  runReplay,
} from "./exploreCommand.ts";

const COMMANDS: Record<string, { usage: string; run: (argv: string[]) => number | Promise<number> }> = {
  explore: { usage: EXPLORE_USAGE, run: runExplore },
  replay: { usage: REPLAY_USAGE, run: runReplay },
  mutants: { usage: MUTANTS_USAGE, run: runMutants },
  coverage: { usage: COVERAGE_USAGE, run: runCoverage },
  check: { usage: `${CHECK_USAGE}\n  Exhaustive model checking of spec/step.ts.`, run: (argv) => runCheck(parseCheckArgs(argv)) },
};

const USAGE = `usage: main.ts <command> [flags]   (--help after a command for its flags)
  explore   random refinement runs of the implementation against the spec (default command of the README)
  replay    re-run a recorded ITF trace on the implementation and re-validate it against the spec
  mutants   explore against every planted bug; prints mutants.killed: K/N
  coverage  spec coverage (machine states, transitions, guard outcomes) of recorded traces
  check     exhaustive model checking of the spec (BFS, symmetry reduction, shortest counterexamples)`;

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === undefined || cmd === "--help" || cmd === "-h") {
    console.log(USAGE);
    return cmd === undefined ? 2 : 0;
  }
  const c = COMMANDS[cmd];
  if (!c) throw new UsageError(`unknown command ${JSON.stringify(cmd)}`);
  if (rest.includes("--help") || rest.includes("-h")) {
    console.log(c.usage);
    return 0;
  }
  return c.run(rest);
}

// run as a plain-JavaScript bundle when esbuild is there (tsx's keepNames costs ~40%, bundle.ts)
const delegated = await runBundled("checks/cli/main.ts", process.argv.slice(2), CHECKER_NODE_FLAGS);
if (delegated !== undefined) process.exitCode = delegated;
else
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (e: unknown) => {
      if (e instanceof UsageError) {
        console.error(`error: ${e.message} (--help for usage)`);
        process.exitCode = 2;
      } else if (e instanceof Error && /fingerprint table full/.test(e.message)) {
        console.error(`error: ${e.message}`);
        process.exitCode = 3;
      } else throw e;
    },
  );
