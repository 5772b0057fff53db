import { isProtocolError, type ProtocolErrorCode } from '../errors.js';
import { verifyJwsWithKeysWebCrypto, type Ed25519PublicKeyJwk } from '../webcrypto/jws.js';

/**
 * A compact JWS checked in the browser against a JWKS, as a value the console shows (never a throw):
 * the console re-checks what the federation signed (a segment merge's result) against the keys its
 * node pinned. The check itself is libs/protocol's one WebCrypto implementation
 * (`verifyJwsWithKeysWebCrypto`); this only says the outcome in the console's terms.
 */

/** Why a JWS did not verify (a typed union, shown by the console in the user's language). */
export type BrowserJwsRefusal = 'MALFORMED' | 'ALGORITHM' | 'UNKNOWN_KEY' | 'SIGNATURE_INVALID';

export type BrowserJwsCheck =
  | { valid: true; kid: string; header: Record<string, unknown>; claims: Record<string, unknown> }
  | { valid: false; reason: BrowserJwsRefusal; kid?: string };

const REFUSALS: Partial<Record<ProtocolErrorCode, BrowserJwsRefusal>> = {
  UNSUPPORTED_ALGORITHM: 'ALGORITHM',
  UNKNOWN_KEY: 'UNKNOWN_KEY',
  INVALID_KEY: 'UNKNOWN_KEY',
  SIGNATURE_INVALID: 'SIGNATURE_INVALID',
};

/** Verifies `jws` under the key of `jwks` (a JWKS object or its JSON) named by the header's kid. */
export async function verifyJwsWithJwks(
  jws: string,
  jwks: { keys: readonly { kty: string; crv?: string; x?: string; kid?: string }[] } | string,
): Promise<BrowserJwsCheck> {
  let keys: Ed25519PublicKeyJwk[];
  try {
    const set = (typeof jwks === 'string' ? JSON.parse(jwks) : jwks) as { keys?: unknown };
    keys = Array.isArray(set.keys) ? (set.keys as Ed25519PublicKeyJwk[]) : [];
  } catch {
    return { valid: false, reason: 'UNKNOWN_KEY' };
  }
  try {
    const { header, claims, key } = await verifyJwsWithKeysWebCrypto(jws, keys);
    return { valid: true, kid: String(key.kid), header, claims };
  } catch (error) {
    if (!isProtocolError(error)) throw error;
    return { valid: false, reason: REFUSALS[error.code] ?? 'MALFORMED' };
  }
}
