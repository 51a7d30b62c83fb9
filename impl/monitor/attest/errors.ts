import type { CodeName } from "../../../model/codes.ts";

/**
 * A refusal of the attestation library. It carries the `model/` return-code name the monitor
 * hands back to the caller, so a bad page table, an unsupported key type or an oversized request
 * becomes an error code and never a JavaScript exception escaping the firmware (issue 5, "Bad input").
 */
export class AttestError extends Error {
  /** The return code the monitor answers with. */
  readonly code: CodeName;

  constructor(code: CodeName, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "AttestError";
    this.code = code;
  }
}

/**
 * The measurement walk met memory it cannot read: a page-table entry points outside RAM, or the walk
 * would hash more than its byte budget (PGL §5.1 reads `pa` physically and unchecked; we refuse).
 */
export class MeasurementError extends AttestError {
  /** The physical address whose read failed, when the failure is a read. */
  readonly pa: bigint | undefined;

  constructor(message: string, pa?: bigint, options?: { cause?: unknown }) {
    super("INVALID_ARGUMENT", message, options);
    this.name = "MeasurementError";
    this.pa = pa;
  }
}
