/**
 * The monitor's attestation, key and randomness library (PGL §5). Start with {@link AttestService};
 * reading order of the parts: measurement.ts (PGL §5.1), report.ts (§5.2), keys.ts and identity.ts
 * (§5.2 signatures), attestation.ts (building and verifying reports), sealing.ts (§5.4), random.ts (§5.5).
 */
export { buildReport, signReport, verifyReport, type VerifyOptions, type VerifyResult } from "./attestation.ts";
export { AttestError, MeasurementError } from "./errors.ts";
export { MONITOR_IDENTITY, monitorIdentity, monitorMeasurement, type MonitorIdentity } from "./identity.ts";
export {
  deriveKeyPair,
  KEY_LABELS,
  PRIVATE_KEY_SIZE,
  publicKeyOf,
  SM2_ORDER,
  sm2Sign,
  sm2Verify,
  type Sm2KeyPair,
} from "./keys.ts";
export { DEFAULT_MEASURE_BUDGET, measureEnclave, updateHash, type MeasureOptions, type PhysicalReader } from "./measurement.ts";
export { Csprng, MAX_FILL } from "./random.ts";
export {
  decodeReport,
  encodeReport,
  PUBLIC_KEY_SIZE,
  REPORT_OFFSETS,
  REPORT_SIZE,
  reportSchema,
  SIGNATURE_SIZE,
  type Report,
} from "./report.ts";
export { deriveSealingKey, MAX_SEALING_KEY_SIZE, SEALING_ROOT_SIZE, sealingRootKey } from "./sealing.ts";
export { deriveFromSeed, seedBytes, type Seed } from "./seed.ts";
export { attempt, AttestService, type AttestServiceOptions, type Attempt } from "./service.ts";
export { HASH_SIZE, sm3 } from "./sm3.ts";
