#!/usr/bin/env -S npx tsx
// The checker's command line: `main.ts check [flags]` (npm run check -- [flags]).
import { runBundled } from "../mc/bundle.ts";
import { CHECK_USAGE, parseCheckArgs, runCheck, UsageError } from "./checkCommand.ts";

const USAGE = `usage: main.ts check [flags]   (exhaustive model checking of spec/step.ts)\n${CHECK_USAGE}`;

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === "--help" || cmd === "-h" || rest.includes("--help")) {
    console.log(USAGE);
    return 0;
  }
  if (cmd !== "check") throw new UsageError(cmd === undefined ? "missing subcommand (check)" : `unknown subcommand ${JSON.stringify(cmd)}`);
  return runCheck(parseCheckArgs(rest));
}

// run as a plain-JavaScript bundle when esbuild is there (tsx's keepNames costs ~40%, bundle.ts)
const delegated = await runBundled("checks/cli/main.ts", process.argv.slice(2));
if (delegated !== undefined) process.exitCode = delegated;
else main(process.argv.slice(2)).then(
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
