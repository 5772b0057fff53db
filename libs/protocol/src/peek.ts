/**
 * Reading a compact JWS without verifying it: to route a message, to record who a refused (maybe
 * forged) message claims to come from, or to read a message that was verified when it was stored.
 * Never a substitute for verification: nothing read here is trusted.
 */

/** The header or the claims of a compact JWS, decoded without verification; undefined unless a JSON object. */
export function unverifiedJwsPart(
  jws: unknown,
  part: 'header' | 'claims',
): Record<string, unknown> | undefined {
  if (typeof jws !== 'string') return undefined;
  try {
    const value: unknown = JSON.parse(
      Buffer.from(jws.split('.')[part === 'header' ? 0 : 1] ?? '', 'base64url').toString('utf8'),
    );
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The `kid` of a compact JWS's header, unverified. */
export function unverifiedKid(jws: unknown): string | undefined {
  const kid = unverifiedJwsPart(jws, 'header')?.kid;
  return typeof kid === 'string' ? kid : undefined;
}

const ENTITY_ID = /^[a-z0-9][a-z0-9._-]{0,127}$/;
const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The claimed issuer, kid and jti of a (maybe forged) compact JWS, each only when it looks like an
 * id: what a refusal record may keep of a message, and nothing else.
 */
export function peekJwsIds(jws: unknown): { issuer: string | null; kid: string | null; jti: string | null } {
  const header = unverifiedJwsPart(jws, 'header') ?? {};
  const claims = unverifiedJwsPart(jws, 'claims') ?? {};
  const pick = (value: unknown, pattern: RegExp) =>
    typeof value === 'string' && pattern.test(value) ? value : null;
  return {
    issuer: pick(claims.iss, ENTITY_ID),
    kid: pick(header.kid, SAFE_ID),
    jti: pick(claims.jti, SAFE_ID),
  };
}
