import type { CodeName } from "../../model/codes.ts";

/**
 * What a machine receives: an abstract operation and the truth values of the data
 * preconditions its guards read, as a bit set (`facts`). `step` computes the facts from the
 * `System`; the machine alone decides, from its state and the facts, whether the operation
 * is legal and which error code a refusal carries.
 */
export interface MachineEvent<T extends string = string> {
  type: T;
  facts: number;
}

/** Parameters of the `reject` action: the code the refused operation returns. */
export interface RejectParams {
  code: CodeName;
}

/** A refusing transition: no target, one `reject` action carrying `code`. */
export function reject(code: CodeName) {
  return { actions: { type: "reject" as const, params: { code } } };
}

/** True iff bit `bit` is set in the event's facts. */
export function hasFact(event: MachineEvent, bit: number): boolean {
  return (event.facts & bit) !== 0;
}

/** A named guard that holds when the event carries fact `bit` (every machine guard is one). */
export function factGuard(bit: number): (args: { event: MachineEvent }) => boolean {
  return ({ event }) => hasFact(event, bit);
}

/** No-op implementation of the `reject` action (actions are data; `transition()` returns them). */
export function rejectAction(_: unknown, _params: RejectParams): void {}
