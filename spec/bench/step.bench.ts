// npm run bench:spec — steps per second of the spec on random events, default configuration.
import { defaultConfig } from "../../model/config.ts";
import { initialSystem, type System } from "../../model/state.ts";
import { randomEvent } from "../gen/randomEvent.ts";
import { rng } from "../gen/rng.ts";
import { step } from "../step.ts";

const RUN_LENGTH = 200; // restart from the initial state every RUN_LENGTH events
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);

function run(seconds: number): { enabled: number; total: number; ms: number; cpuMs: number } {
  const rand = rng(42);
  const init = initialSystem(defaultConfig);
  let s: System = init;
  let enabled = 0;
  let total = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const until = t0 + seconds * 1000;
  while (performance.now() < until) {
    for (let i = 0; i < 1000; i++) {
      if (total % RUN_LENGTH === 0) s = init;
      const out = step(s, randomEvent(s, rand));
      total++;
      if (out.result.status !== "error") enabled++;
      s = out.state;
    }
  }
  const cpu = process.cpuUsage(cpu0);
  return { enabled, total, ms: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000 };
}

run(1); // warm-up (JIT)
const { enabled, total, ms, cpuMs } = run(SECONDS);
// only enabled (accepted) events count; the time includes generating and stepping the refused ones
console.log(`spec.steps-per-s: ${Math.round((enabled * 1000) / ms)}`);
console.log(`spec.events-per-s: ${Math.round((total * 1000) / ms)}`);
console.log(`spec.enabled-ratio: ${(enabled / total).toFixed(3)}`);
// the same figure per second of CPU this process got (the wall figure drops when other jobs share the cores)
console.log(`spec.steps-per-cpu-s: ${Math.round((enabled * 1000) / cpuMs)}`);
