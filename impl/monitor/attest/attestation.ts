/**
 * Building and checking reports (PGL §5.2, §5.3). Every report hash is derived, never stored: the
 * stored measurement is an input and is only read (AT-2, M32).
 */
import { equalBytes } from "./bytes.ts";
import { MONITOR_IDENTITY, monitorMeasurement, type MonitorIdentity } from "./identity.ts";
import { sm2Sign, sm2Verify } from "./keys.ts";
import { updateHash } from "./measurement.ts";
import type { Report } from "./report.ts";

/**
 * The report for a report hash already computed: `enclave.hash = reportHash`, signed with the SM key,
 * `enclave.nonce = nonce`, and the monitor's own fields. Use it for fid 94 with name 0, whose hash is a
 * fresh walk `measureEnclave(…, nonce)` of the caller (PGL §5.3). All fields are fresh copies.
 */
export function signReport(id: MonitorIdentity, reportHash: Uint8Array, nonce: bigint): Report {
  return {
    sm: { hash: id.smHash.slice(), signature: id.smSignature.slice(), pubKey: id.sm.publicKey.slice() },
    enclave: { hash: reportHash.slice(), signature: sm2Sign(id.sm.privateKey, reportHash), nonce },
    devPubKey: id.device.publicKey.slice(),
  };
}

/**
 * The report for a stored measurement: `enclave.hash = SM3(stored ‖ nonce LE)` (`update_enclave_hash`).
 * Host attestation (fid 98/80) and fid 94 with a server name use it (PGL §5.2, §5.3); `stored` is not
 * written (AT-2).
 */
export function buildReport(id: MonitorIdentity, stored: Uint8Array, nonce: bigint): Report {
  return signReport(id, updateHash(stored, nonce), nonce);
}

/** What a verifier checks, and what it expects. */
export interface VerifyOptions {
  /** The device key the verifier trusts; default the report's own dev_pub_key (self-consistency only). */
  devPubKey?: Uint8Array;
  /** The monitor identity string expected in sm.hash (default: the one of this monitor). */
  identity?: string;
  /** The creation-time measurement the verifier expects: then enclave.hash must be SM3(it ‖ nonce). */
  expectedMeasurement?: Uint8Array;
  /** The nonce the verifier sent. */
  expectedNonce?: bigint;
}

/** The outcome of {@link verifyReport}: `ok` iff every check that applies holds. */
export interface VerifyResult {
  ok: boolean;
  /** The checks that failed, by name. */
  failures: ("devPubKey" | "smHash" | "smSignature" | "enclaveSignature" | "measurement" | "nonce")[];
}

/**
 * Check a report as a remote verifier would: dev_pub_key is the trusted one, sm.hash is the monitor's
 * measurement bound to sm_pub_key, the device signed sm.hash, the SM key signed enclave.hash, and — when
 * given — enclave.hash = SM3(expected measurement ‖ nonce) with the expected nonce. Raw-digest SM2
 * throughout (see `keys.ts`).
 */
export function verifyReport(report: Report, options: VerifyOptions = {}): VerifyResult {
  const failures: VerifyResult["failures"] = [];
  const dev = options.devPubKey ?? report.devPubKey;
  if (!equalBytes(dev, report.devPubKey)) failures.push("devPubKey");
  const identity = options.identity ?? MONITOR_IDENTITY;
  if (!equalBytes(report.sm.hash, monitorMeasurement(identity, report.sm.pubKey))) {
    failures.push("smHash");
  }
  if (!sm2Verify(dev, report.sm.hash, report.sm.signature)) failures.push("smSignature");
  if (!sm2Verify(report.sm.pubKey, report.enclave.hash, report.enclave.signature)) failures.push("enclaveSignature");
  if (options.expectedNonce !== undefined && options.expectedNonce !== report.enclave.nonce) failures.push("nonce");
  if (
    options.expectedMeasurement !== undefined &&
    !equalBytes(report.enclave.hash, updateHash(options.expectedMeasurement, report.enclave.nonce))
  ) {
    failures.push("measurement");
  }
  return { ok: failures.length === 0, failures };
}
