import { z } from "zod";
import { codeNameSchema, type CodeName } from "./codes.ts";

/**
 * Outcome of one event.
 * - `ok`: the event took effect; `code` is what the host run loop or the enclave sees.
 * - `error`: refused; the state is unchanged (LC-6).
 * - `fault`: an unhandled trap in an enclave; the monitor killed it (PGL §2.1), host sees ERROR.
 */
export const resultSchema = z.object({
  status: z.enum(["ok", "error", "fault"]),
  code: codeNameSchema,
  /** Returned value (eid, retval, ocall id, …) or 0. */
  value: z.number().int(),
});
export type Result = z.infer<typeof resultSchema>;

/** A successful result. */
export function ok(code: CodeName = "SUCCESS", value = 0): Result {
  return { status: "ok", code, value };
}

/** A refused event. */
export function err(code: CodeName): Result {
  return { status: "error", code, value: 0 };
}

/** An enclave killed by a trap. */
export function fault(): Result {
  return { status: "fault", code: "ERROR", value: 0 };
}
