/**
 * Second-stage shrinking on the concrete events of a failing run (delta debugging): drop blocks of
 * events, halving the block size, and keep every cut after which the run still fails the same way.
 * Events stay literal when their neighbours go — an event that lost its purpose is simply refused —
 * so the result is a replayable trace; fast-check's shrinking of choice numbers, which redraws every
 * later event, rarely gets this far.
 */
import type { Event } from "../../model/events.ts";
import { checkedRun, type Failure, type RunReport, type StepFn } from "./checkedRun.ts";
import type { PlatformConfig } from "./platform.ts";

type Failing = RunReport & { failure: Failure };

/** The same failure, as far as shrinking is concerned: same kind at the same kind of event, with the same differences. */
function same(a: Failure, b: Failure): boolean {
  const paths = (f: Failure) => JSON.stringify(f.differences.map((d) => d.path.replace(/\[\d+\]/g, "[]")));
  return a.kind === b.kind && a.event.type === b.event.type && paths(a) === paths(b);
}

export function shrinkEvents(
  start: Failing,
  platform: PlatformConfig,
  step: StepFn | undefined,
  deadline: number,
): { run: Failing; tries: number } {
  let best = start;
  let events: Event[] = best.steps.map((s) => s.event);
  let tries = 0;
  let chunk = Math.max(1, Math.floor(events.length / 2));
  while (performance.now() < deadline) {
    let cut = false;
    for (let i = 0; i < events.length && performance.now() < deadline;) {
      const candidate = [...events.slice(0, i), ...events.slice(i + chunk)];
      tries++;
      const r = candidate.length ? checkedRun({ kind: "events", events: candidate }, platform, step) : undefined;
      if (r?.failure && same(r.failure, start.failure)) {
        best = r as Failing;
        events = candidate.slice(0, r.failure.step);
        cut = true;
      } else i += chunk;
    }
    if (!cut) {
      if (chunk === 1) break;
      chunk = Math.max(1, Math.floor(chunk / 2));
    }
  }
  return { run: best, tries };
}
