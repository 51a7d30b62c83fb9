/**
 * One checked run (design.md "One checked step", repeated): from the booted platform, whose
 * abstraction is the spec's initial state, each step draws an event from the spec state (or takes
 * it from a recorded trace), steps the spec, executes the event on the machine, validates the
 * abstraction with zod, compares results and states, and checks every invariant on both sides.
 * The run stops at the first failure.
 */
import type { Event } from "../../model/events.ts";
import type { Result } from "../../model/result.ts";
import type { System } from "../../model/state.ts";
import type { RunStep } from "../../model/itf.ts";
import { step as specStep, type StepOutput } from "../../spec/step.ts";
import { InvariantChecker } from "../mc/invariants.ts";
import { rng } from "../../spec/gen/rng.ts";
import { regionPages } from "../../impl/host/enclaveLoader.ts";
import { compareResults, compareStates, Measurements, type Difference } from "./compare.ts";
import { generateEvent, type GenerationHints } from "./generate.ts";
import { hostLeavesToPrivate, hostProbe, staleTranslations } from "./machineChecks.ts";
import { SealingKeys } from "./keyBinding.ts";
import { AGENT_STACK, Implementation } from "./implementation.ts";
import { foreignLeaves } from "./families/relayLeaves.ts";
import { AGENT_ELF, defaultPlatformConfig, type PlatformConfig } from "./platform.ts";

/** What went wrong at a step. */
export interface Failure {
  /** 1-based step number. */
  step: number;
  event: Event;
  kind: "result" | "state" | "spec-invariant" | "impl-invariant" | "step-invariant" | "machine" | "crash";
  message: string;
  differences: Difference[];
  specResult?: Result;
  implResult?: Result;
}

export interface RunReport {
  initial: System;
  /** The spec's side of every step that passed, then the failing one if any. */
  steps: RunStep[];
  failure?: Failure;
}

/** The image name of the agent in traces (its measurement is learned, compare.ts). */
export const AGENT_IMAGE = "agent";
const NAMES = ["worker"];
/** Slack pages of an agent region (PGL §4.6 uses 256; the checker keeps regions small). */
const AGENT_SLACK = 16n;

/** Pages of one agent region: a power of two. */
export function agentRegionPages(): number {
  const need = Number(regionPages(AGENT_ELF, AGENT_STACK, AGENT_SLACK));
  let n = 1;
  while (n < need) n <<= 1;
  return n;
}

const PUBLIC_OWNERS = new Set(["host", "shm", "relayHost", "kbuffer"]);

/** The host wrote `pages` of its own memory: the spec learns whether they are zero now (public memory is the host's to write). */
function refreshPublic(s: System, pages: readonly number[], impl: Implementation): System {
  let next: System | undefined;
  for (const p of pages) {
    const pg = s.pages[p];
    if (!pg || !PUBLIC_OWNERS.has(pg.owner)) continue;
    const zeroed = impl.isZeroPage(p);
    if (zeroed === pg.zeroed) continue;
    next ??= { ...s, pages: s.pages.slice() };
    next.pages[p] = { ...pg, zeroed };
  }
  return next ?? s;
}

/** PT-4 and MI-6 after every step, and one MI-4 probe of a private page (chosen by the step number). */
function machineViolations(impl: Implementation, abstract: System, i: number): string[] {
  const cp = impl.platform;
  const found = [...hostLeavesToPrivate(cp), ...staleTranslations(cp), ...impl.pageTables.violations(), ...foreignLeaves(cp)];
  const secret = nthSecurePage(abstract, i);
  if (secret >= 0) found.push(...hostProbe(cp, cp.pa(secret)!));
  return found;
}

let movedScratch = new Uint8Array(0);
/** 1 for each page the step moved (a new page object) that the spec now says is zero. */
function movedZeroPages(before: System, after: System): Uint8Array {
  if (movedScratch.length !== after.pages.length) movedScratch = new Uint8Array(after.pages.length);
  const out = movedScratch.fill(0); // (reused: α reads it before the next step)
  if (after.pages !== before.pages)
    for (let p = 0; p < out.length; p++) {
      const pg = after.pages[p]!;
      if (pg.zeroed && pg !== before.pages[p]) out[p] = 1;
    }
  return out;
}

/** The (i mod count)-th secure page of the model, or -1 if none is. */
function nthSecurePage(s: System, i: number): number {
  let secure = securePages.get(s.pages);
  if (secure === undefined) {
    secure = [];
    for (let p = 0; p < s.pages.length; p++) if (s.pages[p]!.secure) secure.push(p);
    securePages.set(s.pages, secure);
  }
  return secure.length === 0 ? -1 : secure[i % secure.length]!;
}
/** The secure pages of a page table (snapshots hand back the same table while it is unchanged). */
const securePages = new WeakMap<readonly System["pages"][number][], number[]>();

/** The key a successful getKey copied out, checked against every key seen so far (AT-5, M37). */
function keyViolation(keys: SealingKeys, impl: Implementation, before: System, event: Event, result: Result): string[] {
  if (event.type !== "enclave.getKey" || result.status !== "ok") return [];
  const key = impl.agentData(event.hart, 32);
  const eid = before.harts[event.hart]!;
  if (!key || eid < 0) return [];
  const v = keys.observe(before.enclaves[eid]!.measurement, event.keyType, Buffer.from(key).toString("hex"));
  return v === undefined ? [] : [v];
}

/** The invariant checker of every run (its compiled checks are cached per event type and changed parts). */
const inv = new InvariantChecker();

/** Where the events come from: drawn per step from a choice number, or given. */
export type EventSource = { kind: "choices"; choices: readonly number[] } | { kind: "events"; events: readonly Event[] };

/** A spec step function: `spec/step.ts`, or a spec mutant wrapping it. */
export type StepFn = (s: System, ev: Event) => StepOutput;

export function checkedRun(
  source: EventSource,
  config: PlatformConfig = defaultPlatformConfig,
  step: StepFn = specStep,
): RunReport {
  const impl = new Implementation(config);
  try {
    return runOn(impl, source, step);
  } finally {
    impl.dispose(); // its RAM serves the next run's machine (memory.ts)
  }
}

function runOn(impl: Implementation, source: EventSource, step: StepFn): RunReport {
  const initial = impl.state(NAMES);
  const hints: GenerationHints = {
    accessible: (eid) => impl.accessible(eid),
    regionPages: agentRegionPages(),
    image: AGENT_IMAGE,
  };
  hints.families = impl.familyHints(hints.regionPages, AGENT_IMAGE);
  // state invariants are re-evaluated where a part they read changed since the last checked state
  // (both sides share unchanged tables: the spec by construction, α by validatedSnapshot.ts)
  const initialBad = inv.stateViolations(initial);
  let lastAbstract = initial;
  const measurements = new Measurements();
  const keys = new SealingKeys();
  const steps: RunStep[] = [];
  let spec = initial;
  const n = source.kind === "choices" ? source.choices.length : source.events.length;
  for (let i = 0; i < n; i++) {
    const event = source.kind === "choices" ? generateEvent(spec, hints, rng(source.choices[i]!)) : source.events[i]!;
    const fail = (
      kind: Failure["kind"],
      message: string,
      differences: Difference[] = [],
      more: Partial<Failure> = {},
    ): RunReport => ({
      initial,
      steps,
      failure: { step: i + 1, event, kind, message, differences, ...more },
    });
    let written: number[];
    try {
      written = impl.prepare(event);
    } catch (e) {
      return fail("crash", e instanceof Error ? `${e.name}: ${e.message}` : String(e));
    }
    spec = refreshPublic(spec, written, impl);
    const out = step(spec, event);
    steps.push({ event, result: out.result, system: out.state });
    let implResult: Result;
    let abstract: System;
    const zeroFills = event.type !== "host.create";
    try {
      implResult = impl.exec(event);
      // zero scans only where the spec claims zero on a page this step moved, and not for a create:
      // it carries over what the host laid out (compare.ts; no invariant reads `zeroed`)
      const scan = zeroFills ? movedZeroPages(spec, out.state) : undefined;
      abstract = impl.state(NAMES, (p) => scan?.[p] === 1);
    } catch (e) {
      return fail("crash", e instanceof Error ? `${e.name}: ${e.message}` : String(e));
    }
    const results = { specResult: out.result, implResult };
    // while the last checked state is not known to be good (a booted state that breaks one), every invariant
    const full = i === 0 && initialBad !== null;
    const specBad = full ? inv.stateViolations(out.state) : inv.stateViolationsAfter(spec, out.state);
    if (specBad) return fail("spec-invariant", `the spec breaks ${specBad.join(", ")}`, [], results);
    const stepBad = inv.stepViolations(spec, event, out.result, out.state);
    if (stepBad) return fail("step-invariant", `the spec's step breaks ${stepBad.join(", ")}`, [], results);
    const rd = compareResults(out.result, implResult);
    if (rd.length) return fail("result", "results differ", rd, results);
    // The implementation's invariants are evaluated only when the states differ (and reported first,
    // as the more telling failure). When they agree, α equals spec' in every field a state invariant
    // reads — all but `zeroed`, which none reads, and measurements, which agree up to a bijection
    // that keeps their equalities — so its verdicts are spec''s: none broken (compare.test.ts).
    const sd = compareStates(spec, out.state, abstract, measurements, zeroFills);
    if (sd.length) {
      const implBad = full ? inv.stateViolations(abstract) : inv.stateViolationsAfter(lastAbstract, abstract);
      if (implBad) return fail("impl-invariant", `the implementation breaks ${implBad.join(", ")}`, [], results);
      return fail("state", "states differ", sd, results);
    }
    lastAbstract = abstract;
    let machine: string[];
    try {
      machine = [...machineViolations(impl, abstract, i), ...keyViolation(keys, impl, spec, event, implResult)];
    } catch (e) {
      return fail("crash", e instanceof Error ? `${e.name}: ${e.message}` : String(e));
    }
    if (machine.length) return fail("machine", machine.join("; "), [], results);
    spec = out.state;
  }
  return { initial, steps };
}
