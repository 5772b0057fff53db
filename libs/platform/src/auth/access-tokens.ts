import { createHash } from 'node:crypto';
import { SignJWT, jwtVerify, errors } from 'jose';
import { UnauthenticatedError } from '../errors/app-errors.js';
import type { AuthenticatedUser } from './allow.decorator.js';

/**
 * Short-lived bearer tokens for people and integrations: a JWT (HS256, signed with `jose`) that
 * names the user and their roles. The secret comes from the environment.
 */
/** How long a verified token is taken on trust again without checking its signature. */
const VERIFIED_TTL_MS = 30_000;
const VERIFIED_MAX = 10_000;

export class AccessTokens {
  private readonly key: Uint8Array;
  /**
   * Tokens verified lately, by SHA-256 (never the token itself): the signature check (an HMAC
   * through WebCrypto, several per cent of a read's CPU) runs once per token and 30 s, not per
   * request. A token's own expiry is still checked on every use; the user's current roles and
   * active flag are the guard's (read per request, cached a couple of seconds).
   */
  private readonly verified = new Map<string, { user: AuthenticatedUser; exp: number; until: number }>();

  constructor(
    secret: string,
    private readonly issuer: string,
    private readonly ttlSeconds: number,
  ) {
    this.key = new TextEncoder().encode(secret);
  }

  /** `ttlSeconds`: a shorter lifetime than the default (the console's session-renewed tokens). */
  async issue(
    user: AuthenticatedUser,
    ttlSeconds = this.ttlSeconds,
  ): Promise<{ token: string; expiresAt: Date }> {
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ roles: user.roles })
      .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' })
      .setSubject(user.id)
      .setIssuer(this.issuer)
      .setAudience(this.issuer)
      .setIssuedAt(now)
      .setExpirationTime(now + ttlSeconds)
      .sign(this.key);
    return { token, expiresAt: new Date((now + ttlSeconds) * 1000) };
  }

  async verify(token: string): Promise<AuthenticatedUser> {
    const hash = createHash('sha256').update(token).digest('base64url');
    const now = Date.now();
    const known = this.verified.get(hash);
    if (known && now < known.until) {
      if (now >= known.exp) throw new UnauthenticatedError('Access token expired; log in again');
      return { id: known.user.id, roles: [...known.user.roles] };
    }
    const user = await this.verifySignature(token);
    if (this.verified.size >= VERIFIED_MAX) this.verified.clear();
    const exp = unverifiedExp(token);
    this.verified.set(hash, { user, exp, until: Math.min(now + VERIFIED_TTL_MS, exp) });
    return { id: user.id, roles: [...user.roles] };
  }

  private async verifySignature(token: string): Promise<AuthenticatedUser> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        issuer: this.issuer,
        audience: this.issuer,
        typ: 'at+jwt',
        algorithms: ['HS256'],
      });
      const roles = Array.isArray(payload.roles) ? payload.roles.filter((r) => typeof r === 'string') : [];
      if (!payload.sub) throw new UnauthenticatedError('Access token names no user');
      return { id: payload.sub, roles };
    } catch (error) {
      if (error instanceof UnauthenticatedError) throw error;
      if (error instanceof errors.JWTExpired)
        throw new UnauthenticatedError('Access token expired; log in again');
      throw new UnauthenticatedError('Access token is not valid');
    }
  }
}

/** The `exp` (ms) of a token whose signature was just verified (jwtVerify requires none: then never). */
function unverifiedExp(token: string): number {
  try {
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
      exp?: unknown;
    };
    return typeof claims.exp === 'number' ? claims.exp * 1000 : Number.POSITIVE_INFINITY;
  } catch {
    return 0;
  }
}
