// npm run bench:spec — steps per second of the spec on random enabled events, default configuration
// (4 enclaves, 32 pages, 2 harts). Only accepted events count as steps; the time includes generating
// every event and stepping the refused ones too.
import { defaultConfig } from "../../model/config.ts";
import { initialSystem, type System } from "../../model/state.ts";
import { randomEvent } from "../gen/randomEvent.ts";
import { rng } from "../gen/rng.ts";
import { step } from "../step.ts";

const RUN_LENGTH = 200; // restart from the initial state every RUN_LENGTH events
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const ROUND_SECONDS = Number(process.env.BENCH_ROUND_SECONDS ?? 0.7);

interface Round {
  stepsPerS: number;
  eventsPerS: number;
  stepsPerCpuS: number;
  enabledRatio: number;
}

function round(seed: number, seconds: number): Round {
  const rand = rng(seed);
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
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  return {
    stepsPerS: (enabled * 1000) / ms,
    eventsPerS: (total * 1000) / ms,
    stepsPerCpuS: (enabled * 1000) / cpuMs,
    enabledRatio: enabled / total,
  };
}

round(1, 1); // warm-up (JIT)
const rounds = Array.from({ length: ROUNDS }, (_, i) => round(42 + i, ROUND_SECONDS));
const by = (k: keyof Round) => rounds.map((r) => r[k]).sort((a, b) => a - b);
const best = (k: keyof Round) => Math.round(by(k).at(-1)!);
const median = (k: keyof Round) => Math.round(by(k)[Math.floor(rounds.length / 2)]!);
// best of the rounds: other jobs sharing the cores only ever slow a round down
console.log(`spec.steps-per-s: ${best("stepsPerS")}`);
console.log(`spec.steps-per-s.median: ${median("stepsPerS")}`);
console.log(`spec.events-per-s: ${best("eventsPerS")}`);
console.log(`spec.steps-per-cpu-s: ${median("stepsPerCpuS")}`);
console.log(`spec.enabled-ratio: ${by("enabledRatio")[Math.floor(rounds.length / 2)]!.toFixed(3)}`);
