import { ProtocolError } from './errors.js';
import type { KeyResolver } from './jws.js';
import { findKey, importJwks, type Jwks } from './keys.js';

/**
 * Key resolvers for verifyJwt/verifyMessage.
 *
 * directoryKeyResolver binds keys to issuers: a kid is found only in the JWKS of the issuer the
 * message claims, so a member cannot sign in another member's name with its own key. Removing a
 * member from the directory makes its keys stop verifying at once (invariant 2).
 */
export function directoryKeyResolver(
  directory: ReadonlyMap<string, Jwks> | Readonly<Record<string, Jwks>>,
): KeyResolver {
  const lookup =
    directory instanceof Map
      ? (issuer: string) => directory.get(issuer)
      : (issuer: string) =>
          Object.hasOwn(directory, issuer) ? (directory as Record<string, Jwks>)[issuer] : undefined;
  return (kid, { issuer }) => {
    if (issuer === undefined) return undefined;
    const jwks = lookup(issuer);
    return jwks && findKey(jwks, kid);
  };
}

/** A single key set, whoever the issuer: for the federation's own statements, or tests. */
export function jwksKeyResolver(jwks: Jwks): KeyResolver {
  return (kid) => findKey(jwks, kid);
}

/**
 * Self-signed messages (membership applications) carry the keys that verify them, in `jwks`.
 * Such a signature proves possession of the key, not who the applicant is: the federation still
 * decides admission out of band.
 */
export const selfSignedKeyResolver: KeyResolver = (kid, { claims }) => {
  let jwks: Jwks;
  try {
    jwks = importJwks(claims.jwks);
  } catch (cause) {
    throw new ProtocolError('UNKNOWN_KEY', 'self-signed message carries no valid JWKS', { cause });
  }
  return findKey(jwks, kid);
};
