/**
 * Verification of a compact JWS (EdDSA over Ed25519) with WebCrypto, for the browser: the console
 * re-checks what the federation signed (a segment merge's result) against the public keys its node
 * pinned, instead of taking the node's word for it. Pure: no node:crypto, no Buffer, no I/O; the
 * same checks as `verifyCompact` (algorithm, kid in the key set, signature over the signing input).
 */

/** Why a JWS did not verify (a typed union, shown by the console in the user's language). */
export type BrowserJwsRefusal = 'MALFORMED' | 'ALGORITHM' | 'UNKNOWN_KEY' | 'SIGNATURE_INVALID';

export type BrowserJwsCheck =
  | { valid: true; kid: string; header: Record<string, unknown>; claims: Record<string, unknown> }
  | { valid: false; reason: BrowserJwsRefusal; kid?: string };

/** WebCrypto's SubtleCrypto, named without the DOM library (the node's tsconfig has none). */
type Subtle = typeof globalThis.crypto.subtle;

interface PublicOkpJwk {
  kty: string;
  crv?: string;
  x?: string;
  kid?: string;
}

function fromBase64url(text: string): Uint8Array<ArrayBuffer> | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return null;
  const padded = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  try {
    const binary = atob(padded);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  } catch {
    return null;
  }
}

function jsonOf(bytes: Uint8Array | null): Record<string, unknown> | null {
  if (!bytes) return null;
  try {
    const value: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/**
 * Verifies `jws` under the key of `jwks` (a JWKS object or its JSON) named by the header's kid.
 * Says why not when it does not verify; never throws for bad input.
 */
export async function verifyJwsWithJwks(
  jws: string,
  jwks: { keys: readonly PublicOkpJwk[] } | string,
  subtle: Subtle = globalThis.crypto.subtle,
): Promise<BrowserJwsCheck> {
  const parts = jws.split('.');
  if (parts.length !== 3) return { valid: false, reason: 'MALFORMED' };
  const [encodedHeader, encodedPayload, encodedSignature] = parts as [string, string, string];
  const header = jsonOf(fromBase64url(encodedHeader));
  const claims = jsonOf(fromBase64url(encodedPayload));
  const signature = fromBase64url(encodedSignature);
  if (!header || !claims || !signature) return { valid: false, reason: 'MALFORMED' };
  if (header['alg'] !== 'EdDSA') return { valid: false, reason: 'ALGORITHM' };
  const kid = typeof header['kid'] === 'string' ? header['kid'] : undefined;
  let keys: readonly PublicOkpJwk[];
  try {
    keys = (typeof jwks === 'string' ? (JSON.parse(jwks) as { keys: PublicOkpJwk[] }) : jwks).keys ?? [];
  } catch {
    return { valid: false, reason: 'UNKNOWN_KEY', kid };
  }
  const jwk = keys.find((k) => k.kid === kid && k.kty === 'OKP' && k.crv === 'Ed25519' && k.x);
  if (!kid || !jwk) return { valid: false, reason: 'UNKNOWN_KEY', kid };
  let key: Awaited<ReturnType<Subtle['importKey']>>;
  try {
    key = await subtle.importKey(
      'jwk',
      { kty: 'OKP', crv: 'Ed25519', x: jwk.x },
      { name: 'Ed25519' },
      false,
      ['verify'],
    );
  } catch {
    return { valid: false, reason: 'UNKNOWN_KEY', kid };
  }
  const signingInput = new TextEncoder().encode(`${encodedHeader}.${encodedPayload}`);
  const ok = await subtle.verify({ name: 'Ed25519' }, key, signature, signingInput);
  return ok ? { valid: true, kid, header, claims } : { valid: false, reason: 'SIGNATURE_INVALID', kid };
}
