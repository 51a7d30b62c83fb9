/**
 * The refinement relation between the abstraction of the machine and the spec state: equal, field by
 * field, except where the spec states less than the machine shows —
 * - `zeroed`: the spec's `true` is an obligation in the step that moved a page out of or into
 *   private memory — the monitor
 *   scrubbed it on release (CS-1) or zero-filled it before handing it to an enclave (CS-2); otherwise
 *   `zeroed` is not compared: the host writes its public memory and the enclave its own pages at will,
 *   and a create carries over whatever the host laid out (the checker refreshes what the spec knows
 *   of the host's writes, checkedRun.ts).
 * - `measurement`: the spec names the image; the machine has the SM3 digest. Each image name must
 *   stand for one digest and each digest for one name (AT-1, AT-2), learned at first sight.
 */
import type { Result } from "../../model/result.ts";
import type { System } from "../../model/state.ts";
import { sameValue } from "../../impl/validatedSnapshot.ts";

/** One difference: where, what the spec says, what the implementation shows. */
export interface Difference {
  path: string;
  spec: unknown;
  impl: unknown;
}

/** Digest ↔ image name, learned along a run. */
export class Measurements {
  private readonly byImage = new Map<string, string>();
  private readonly byDigest = new Map<string, string>();

  agree(image: string, digest: string): boolean {
    if (image === "" || digest === "") return image === digest;
    const d = this.byImage.get(image);
    const i = this.byDigest.get(digest);
    if (d === undefined && i === undefined) {
      this.byImage.set(image, digest);
      this.byDigest.set(digest, image);
      return true;
    }
    return d === digest && i === image;
  }
}

/**
 * Pairs (spec object → implementation object) found equal. Both sides are immutable — spec states by
 * construction, snapshots frozen and shared while unchanged (impl/validatedSnapshot.ts) — so a pair
 * equal once is equal for good: most tables and rows of a step are the pair of the step before.
 */
const equalPairs = new WeakMap<object, object>();

/** Page tables (spec → snapshot) found to agree on every page's owner, id and secure bit. */
const pagesAgree = new WeakMap<readonly unknown[], readonly unknown[]>();

function equal(spec: unknown, impl: unknown): boolean {
  if (spec === impl) return true;
  const pairable = typeof spec === "object" && spec !== null && typeof impl === "object" && impl !== null;
  if (pairable && equalPairs.get(spec) === impl) return true;
  if (!sameValue(spec, impl)) return false;
  if (pairable) equalPairs.set(spec, impl);
  return true;
}

function diffValue(path: string, spec: unknown, impl: unknown, out: Difference[]): void {
  if (equal(spec, impl)) return; // no paths built while equal: most of what is compared is
  if (Array.isArray(spec) && Array.isArray(impl)) {
    if (spec.length !== impl.length) {
      out.push({ path, spec, impl });
      return;
    }
    spec.forEach((x, i) => diffValue(`${path}[${i}]`, x, impl[i], out));
    return;
  }
  if (spec !== null && impl !== null && typeof spec === "object" && typeof impl === "object") {
    const keys = new Set([...Object.keys(spec), ...Object.keys(impl)]);
    for (const k of keys) diffValue(path ? `${path}.${k}` : k, (spec as never)[k], (impl as never)[k], out);
    return;
  }
  out.push({ path, spec, impl });
}

/** Differences between the spec state after a step and the abstraction of the machine after it. */
export function compareStates(
  before: System,
  spec: System,
  impl: System,
  measurements: Measurements,
  zeroFills = true,
): Difference[] {
  const out: Difference[] = [];
  const { pages: sp, enclaves: se } = spec;
  const { pages: ip, enclaves: ie } = impl;
  for (const k of ["config", "harts", "shms", "secureShms", "relays", "servers"] as const) diffValue(k, spec[k], impl[k], out);
  if (sp.length !== ip.length) out.push({ path: "pages", spec: sp.length, impl: ip.length });
  else if (sp === before.pages && pagesAgree.get(sp) === ip) {
    // no page moved (no zero-fill obligation) and these two tables agreed on owners before
  } else {
    const first = out.length;
    for (let i = 0; i < sp.length; i++) {
      const s = sp[i]!;
      const m = ip[i]!;
      if (s.owner !== m.owner || s.id !== m.id || s.secure !== m.secure)
        out.push({
          path: `pages[${i}]`,
          spec: { owner: s.owner, id: s.id, secure: s.secure },
          impl: { owner: m.owner, id: m.id, secure: m.secure },
        });
      // CS-1/CS-2: a private page the step released, or a page it made private, that the spec says is zero must be
      const moved = before.pages[i] !== s && (before.pages[i]!.secure || s.secure);
      const obliged = zeroFills && s.zeroed && !m.zeroed && moved;
      if (obliged) out.push({ path: `pages[${i}].zeroed`, spec: true, impl: false });
    }
    if (out.length === first) pagesAgree.set(sp, ip);
  }
  if (se.length !== ie.length) out.push({ path: "enclaves", spec: se.length, impl: ie.length });
  else
    for (let e = 0; e < se.length; e++) {
      if (equalPairs.get(se[e]!) === ie[e]!) continue; // equal, measurement agreed, at an earlier step
      const { measurement: sm, ...s } = se[e]!;
      const { measurement: im, ...m } = ie[e]!;
      const before = out.length;
      diffValue(`enclaves[${e}]`, s, m, out);
      if (!measurements.agree(sm, im)) out.push({ path: `enclaves[${e}].measurement`, spec: sm, impl: im });
      if (out.length === before) equalPairs.set(se[e]!, ie[e]!);
    }
  return out;
}

/** Differences between the spec's result and the implementation's. */
export function compareResults(spec: Result, impl: Result): Difference[] {
  const out: Difference[] = [];
  diffValue("result", spec, impl, out);
  return out;
}
