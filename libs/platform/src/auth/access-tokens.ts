import { SignJWT, jwtVerify, errors } from 'jose';
import { UnauthenticatedError } from '../errors/app-errors.js';
import type { AuthenticatedUser } from './allow.decorator.js';

/**
 * Short-lived bearer tokens for people and integrations: a JWT (HS256, signed with `jose`) that
 * names the user and their roles. The secret comes from the environment.
 */
export class AccessTokens {
  private readonly key: Uint8Array;

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
