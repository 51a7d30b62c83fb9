/** The measured loop of bench:explore: checked runs of 60 steps from consecutive seeds, for `seconds`. */
import { checkedRun } from "./checkedRun.ts";
import { defaultPlatformConfig } from "./platform.ts";

export function checkedSteps(seed: number, seconds: number): { steps: number; seconds: number; failures: number } {
  const t0 = performance.now();
  let steps = 0;
  let failures = 0;
  for (let run = 0; performance.now() - t0 < seconds * 1000; run++) {
    const choices = Array.from({ length: 60 }, (_, i) => ((seed + run) * 7919 + i * 104729) >>> 0);
    const r = checkedRun({ kind: "choices", choices }, defaultPlatformConfig);
    steps += r.steps.length;
    if (r.failure) failures++;
  }
  return { steps, seconds: (performance.now() - t0) / 1000, failures };
}
