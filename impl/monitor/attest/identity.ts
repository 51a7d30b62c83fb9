/**
 * The monitor's own identity: its SM2 key, the device key that vouches for it, and the `sm` fields of
 * every report (PGL §5.2: sm.hash, sm.signature, sm_pub_key, dev_pub_key). The original copies these from
 * a firmware blob at 0x801F_F000 that nothing in OpenSBI-TVM provisions; here they are derived from the
 * run's seed (design.md; AT-5, M37).
 *
 * sm.hash = SM3(identity string ‖ sm_pub_key) stands for the measurement of the monitor's code: our
 * monitor is TypeScript, not an image in RAM, so its "measurement" is a fixed identity string, bound to its
 * public key so that the device's signature over sm.hash also certifies sm_pub_key. sm.signature is the
 * device key's raw-digest SM2 signature of sm.hash. A verifier that trusts dev_pub_key recomputes sm.hash,
 * checks sm.signature, then trusts sm_pub_key for the enclave part (see `attestation.ts`).
 */
import { deriveKeyPair, KEY_LABELS, sm2Sign, type Sm2KeyPair } from "./keys.ts";
import { seedKey, type Seed } from "./seed.ts";
import { sm3 } from "./sm3.ts";
import { Remembered } from "../../remembered.ts";

/** The identity string of this monitor, the stand-in for a measurement of its code. */
export const MONITOR_IDENTITY = "penglai-tvm-ts secure monitor v1";

/** The keys and self-attestation of one monitor instance. */
export interface MonitorIdentity {
  /** The identity string sm.hash is computed from. */
  readonly identity: string;
  /** The monitor's signing key (SM_PRI_KEY / SM_PUB_KEY): signs enclave reports. */
  readonly sm: Sm2KeyPair;
  /** The device key (DEV_PRI_KEY / DEV_PUB_KEY): signs the monitor's measurement. */
  readonly device: Sm2KeyPair;
  /** sm.hash of every report. */
  readonly smHash: Uint8Array;
  /** sm.signature of every report. */
  readonly smSignature: Uint8Array;
}

/** sm.hash = SM3(UTF-8 of `identity` ‖ `smPubKey`). */
export function monitorMeasurement(identity: string, smPubKey: Uint8Array): Uint8Array {
  return sm3(new TextEncoder().encode(identity), smPubKey);
}

/** The identity of the monitor run with `seed`: the same seed gives the same keys and fields. */
export function monitorIdentity(seed: Seed, identity: string = MONITOR_IDENTITY): MonitorIdentity {
  // a pure function of its arguments (RFC 6979 signing): remembered, as every boot of a checker run
  // would otherwise spend two SM2 point multiplications and a signature on the same seed
  return identities.get(`${seedKey(seed)}|${identity}`, () => {
    const sm = deriveKeyPair(seed, KEY_LABELS.sm);
    const device = deriveKeyPair(seed, KEY_LABELS.device);
    const smHash = monitorMeasurement(identity, sm.publicKey);
    return Object.freeze({ identity, sm, device, smHash, smSignature: sm2Sign(device.privateKey, smHash) });
  });
}

const identities = new Remembered<MonitorIdentity>(64);
