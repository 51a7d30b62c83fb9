/**
 * `struct report_t` (PGL §5.2; OS `include/sm/enclave_args.h`, SDK `lib/app/include/attest.h`): the
 * 328-byte report an enclave or the host receives, as laid out in RV64 memory (little-endian, no padding).
 */
import { z } from "zod";
import { HASH_SIZE } from "./sm3.ts";

/** Bytes of an uncompressed SM2 public key x ‖ y (SDK attest.h: PUBLIC_KEY_SIZE). */
export const PUBLIC_KEY_SIZE = 64;
/** Bytes of an SM2 signature r ‖ s (SDK attest.h: SIGNATURE_SIZE; `signature_t` {r[32], s[32]}). */
export const SIGNATURE_SIZE = 64;
/** Bytes of `report_t` (PGL §5.2). */
export const REPORT_SIZE = 328;

/** Byte offsets of the fields of `report_t` (PGL §5.2). */
export const REPORT_OFFSETS = {
  smHash: 0,
  smSignature: 32,
  smPubKey: 96,
  enclaveHash: 160,
  enclaveSignature: 192,
  enclaveNonce: 256,
  devPubKey: 264,
} as const;

const bytes = (len: number) =>
  z.custom<Uint8Array>((v) => v instanceof Uint8Array && v.length === len, { message: `expected ${len} bytes` });

/** zod schema of a decoded report: every field of its exact length, the nonce a u64. */
export const reportSchema = z.object({
  /** `sm_report_t`: the monitor's own measurement, its signature by the device key, the SM public key. */
  sm: z.object({ hash: bytes(HASH_SIZE), signature: bytes(SIGNATURE_SIZE), pubKey: bytes(PUBLIC_KEY_SIZE) }),
  /** `enclave_report_t`: SM3(stored measurement ‖ nonce), its SM signature, the nonce. */
  enclave: z.object({
    hash: bytes(HASH_SIZE),
    signature: bytes(SIGNATURE_SIZE),
    nonce: z
      .bigint()
      .min(0n)
      .max((1n << 64n) - 1n),
  }),
  /** The device public key. */
  devPubKey: bytes(PUBLIC_KEY_SIZE),
});

/** A decoded `report_t`. */
export type Report = z.infer<typeof reportSchema>;

/** The 328 bytes of `report` (validated first; a malformed report throws a zod error). */
export function encodeReport(report: Report): Uint8Array {
  const r = reportSchema.parse(report);
  const out = new Uint8Array(REPORT_SIZE);
  out.set(r.sm.hash, REPORT_OFFSETS.smHash);
  out.set(r.sm.signature, REPORT_OFFSETS.smSignature);
  out.set(r.sm.pubKey, REPORT_OFFSETS.smPubKey);
  out.set(r.enclave.hash, REPORT_OFFSETS.enclaveHash);
  out.set(r.enclave.signature, REPORT_OFFSETS.enclaveSignature);
  new DataView(out.buffer).setBigUint64(REPORT_OFFSETS.enclaveNonce, r.enclave.nonce, true);
  out.set(r.devPubKey, REPORT_OFFSETS.devPubKey);
  return out;
}

/** The report held in `raw`, which must be exactly {@link REPORT_SIZE} bytes (else a RangeError). Copies every field. */
export function decodeReport(raw: Uint8Array): Report {
  if (raw.length !== REPORT_SIZE) throw new RangeError(`report_t has ${REPORT_SIZE} bytes, got ${raw.length}`);
  const field = (off: number, len: number) => raw.slice(off, off + len);
  return {
    sm: {
      hash: field(REPORT_OFFSETS.smHash, HASH_SIZE),
      signature: field(REPORT_OFFSETS.smSignature, SIGNATURE_SIZE),
      pubKey: field(REPORT_OFFSETS.smPubKey, PUBLIC_KEY_SIZE),
    },
    enclave: {
      hash: field(REPORT_OFFSETS.enclaveHash, HASH_SIZE),
      signature: field(REPORT_OFFSETS.enclaveSignature, SIGNATURE_SIZE),
      nonce: new DataView(raw.buffer, raw.byteOffset, raw.byteLength).getBigUint64(REPORT_OFFSETS.enclaveNonce, true),
    },
    devPubKey: field(REPORT_OFFSETS.devPubKey, PUBLIC_KEY_SIZE),
  };
}
