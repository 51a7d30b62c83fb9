import { eventTypes } from "../../model/events.ts";
import { HOST } from "../../model/state.ts";

/** Who issues events of a type: an enclave (`enclave.*`), the host (`host.*`, `adversary.*`), or the environment (`env.*`). */
export type CallerDomain = "enclave" | "host" | "env";

const domains = new Map<string, CallerDomain>(
  eventTypes.map((type) => [type, type.startsWith("enclave.") ? "enclave" : type.startsWith("env.") ? "env" : "host"]),
);

/** The domain that issues events of `type` (LC-3). */
export function callerDomain(type: string): CallerDomain {
  return domains.get(type) ?? "env";
}

/** An event of `domain` on hart `hart` comes from its own domain: the hart exists and runs the host for a host call, an enclave for an enclave call. */
export function inOwnDomain(domain: CallerDomain, harts: readonly number[], hart: number): boolean {
  if (hart < 0 || hart >= harts.length) return false;
  return domain === "env" || (harts[hart] === HOST) === (domain === "host");
}
