/**
 * The attestation library as the monitor uses it: one object per run, built at boot from the run's seed,
 * with one method per monitor operation of PGL §5. Methods throw only {@link AttestError}s (bad page
 * tables, key types, sizes); {@link attempt} turns those into return codes.
 */
import type { CodeName } from "../../../model/codes.ts";
import { buildReport, signReport } from "./attestation.ts";
import { AttestError } from "./errors.ts";
import { MONITOR_IDENTITY, monitorIdentity, type MonitorIdentity } from "./identity.ts";
import { measureEnclave, type MeasureOptions, type PhysicalReader } from "./measurement.ts";
import { Csprng } from "./random.ts";
import { encodeReport } from "./report.ts";
import { deriveSealingKey, sealingRootKey } from "./sealing.ts";
import type { Seed } from "./seed.ts";

/** Options of {@link AttestService}. */
export interface AttestServiceOptions {
  /** The monitor identity string (default {@link MONITOR_IDENTITY}). */
  identity?: string;
  /** Options of every measurement walk. */
  measure?: MeasureOptions;
}

/** Every secret and operation of PGL §5 for one run of the monitor. */
export class AttestService {
  /** The monitor's keys and self-attestation (the `sm` and `dev_pub_key` fields of reports). */
  readonly identity: MonitorIdentity;
  /** The getrandom stream (OCALL_GETRANDOM, PGL §5.5). */
  readonly random: Csprng;
  private readonly sealingRoot: Uint8Array;
  private readonly measureOptions: MeasureOptions;

  /** All secrets of the run seeded by `seed` (design.md: keys derived from a configurable seed). */
  constructor(seed: Seed, options: AttestServiceOptions = {}) {
    this.identity = monitorIdentity(seed, options.identity ?? MONITOR_IDENTITY);
    this.random = new Csprng(seed);
    this.sealingRoot = sealingRootKey(seed);
    this.measureOptions = options.measure ?? {};
  }

  /** The measurement of an enclave at creation (nonce 0, PGL §5.1); store the result. Throws a MeasurementError. */
  measure(mem: PhysicalReader, rootPa: bigint, entryPoint: bigint, nonce = 0n): Uint8Array {
    return measureEnclave(mem, rootPa, entryPoint, nonce, this.measureOptions);
  }

  /**
   * The 328-byte report of host attestation (fid 98/80) or of get_report(name) for a server (fid 94):
   * SM3(stored ‖ nonce), signed. `stored` is only read (AT-2).
   */
  storedReport(stored: Uint8Array, nonce: bigint): Uint8Array {
    return encodeReport(buildReport(this.identity, stored, nonce));
  }

  /**
   * The 328-byte report of get_report with no name (fid 94, PGL §5.3): a fresh walk of the caller's
   * current page table with the nonce, signed. Throws a MeasurementError.
   */
  currentReport(mem: PhysicalReader, rootPa: bigint, entryPoint: bigint, nonce: bigint): Uint8Array {
    return encodeReport(signReport(this.identity, this.measure(mem, rootPa, entryPoint, nonce), nonce));
  }

  /** get_key (fid 88, PGL §5.4) for an enclave with stored measurement `measurement`. Throws an AttestError. */
  sealingKey(measurement: Uint8Array, keyType: number, size: number): Uint8Array {
    return deriveSealingKey(this.sealingRoot, measurement, keyType, size);
  }
}

/** The result of {@link attempt}: a value, or the return code of the refusal. */
export type Attempt<T> = { ok: true; value: T } | { ok: false; code: CodeName; message: string };

/**
 * Run `f`; an {@link AttestError} becomes `{ ok: false, code }`, anything else (a monitor bug) is rethrown.
 * The monitor wraps every call of this library with it, so bad input becomes an error code.
 */
export function attempt<T>(f: () => T): Attempt<T> {
  try {
    return { ok: true, value: f() };
  } catch (e) {
    if (e instanceof AttestError) return { ok: false, code: e.code, message: e.message };
    throw e;
  }
}
