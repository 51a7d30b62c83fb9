/**
 * Sealing keys are bound to the measurement (PGL §5.4; invariants.md M37 "check key-uniqueness per
 * measurement"): every key an enclave gets is remembered by (measurement, key type); the same pair
 * must always give the same key, and two different measurements never the same key. The abstract
 * state cannot see key bytes, so the checker watches them here.
 */
export class SealingKeys {
  private readonly byIdentity = new Map<string, string>();
  private readonly owners = new Map<string, string>();

  /** Record `key` (hex) for (measurement, keyType); returns the violation, if any. */
  observe(measurement: string, keyType: number, key: string): string | undefined {
    const identity = `${keyType}:${measurement}`;
    const known = this.byIdentity.get(identity);
    if (known !== undefined && known !== key)
      return `AT-5: key type ${keyType} of measurement ${measurement} changed from ${known.slice(0, 16)}… to ${key.slice(0, 16)}…`;
    const owner = this.owners.get(key);
    if (owner !== undefined && owner !== identity)
      return `AT-5: measurements ${owner.slice(owner.indexOf(":") + 1)} and ${measurement} got the same key (type ${keyType} / ${owner.slice(0, owner.indexOf(":"))})`;
    this.byIdentity.set(identity, key);
    this.owners.set(key, identity);
    return undefined;
  }
}
