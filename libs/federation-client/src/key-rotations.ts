import {
  unverifiedKid,
  ProtocolError,
  verifyMessage,
  type FederationKeyRotation,
  type OkpPublicJwk,
} from '#protocol';

/**
 * Follows the federation's key-rotation statements from the keys a node pinned (invariant 2,
 * rotation without re-pinning). A statement counts only if it verifies under a key already
 * trusted (its header `kid`, which must be its `previousKid`), so trust only ever flows from the
 * pinned key forward. Statements introducing keys already trusted are skipped (history before
 * the pin, or already followed); those signed by keys never reached are ignored: the entity
 * statement they lead to is then signed by an untrusted key and refused. A statement signed with
 * a trusted kid that does not verify (forged, tampered, expired, another federation's) throws the
 * protocol error, for the caller to refuse and record.
 *
 * Pure: no I/O. Returns every trusted key (pinned first, then in the order reached) and the
 * verified rotations that were followed.
 */
export async function followFederationKeyRotations(
  federationId: string,
  pinned: readonly OkpPublicJwk[],
  rotations: readonly string[],
  options: { now?: number } = {},
): Promise<{ keys: OkpPublicJwk[]; followed: FederationKeyRotation[] }> {
  const trusted = new Map(pinned.map((key) => [key.kid, key]));
  const followed: FederationKeyRotation[] = [];
  const open = new Set(rotations);
  for (let progress = true; progress;) {
    progress = false;
    for (const jws of open) {
      const kid = unverifiedKid(jws);
      if (kid === undefined || !trusted.has(kid)) continue;
      const { claims } = await verifyMessage(
        'federation-key-rotation',
        jws,
        (candidate) => trusted.get(candidate),
        { audience: null, issuer: federationId, now: options.now },
      );
      open.delete(jws);
      if (claims.previousKid !== kid) {
        throw new ProtocolError('INVALID_CLAIMS', 'a key rotation is signed by the key it replaces');
      }
      if (trusted.has(claims.jwk.kid)) continue;
      trusted.set(claims.jwk.kid, claims.jwk);
      followed.push(claims);
      progress = true;
    }
  }
  return { keys: [...trusted.values()], followed };
}
