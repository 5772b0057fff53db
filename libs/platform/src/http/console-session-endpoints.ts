import { Body, HttpCode, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { IsEmail, IsString, MaxLength } from 'class-validator';
import { Public } from '../auth/allow.decorator.js';
import { csrfMatches, csrfTokenFor } from '../auth/console-session-rules.js';
import type { ConsoleGrant, ConsoleSessions } from '../auth/console-sessions.js';
import { ForbiddenError } from '../errors/app-errors.js';
import { parseCookies, serializeCookie } from './cookies.js';

export const SESSION_COOKIE = 'concordia_session';
export const CSRF_COOKIE = 'concordia_csrf';
export const CSRF_HEADER = 'x-csrf-token';

/** The body of POST /auth/login. */
export class ConsoleLoginInput {
  @IsEmail()
  @MaxLength(254)
  email: string;

  @IsString()
  @MaxLength(200)
  password: string;
}

/**
 * The web console's sign-in, outside GraphQL so that the session cookie (Path=/auth) never travels
 * with API calls: login sets the httpOnly session cookie and the CSRF cookie; refresh and logout
 * need both the cookie and the X-CSRF-Token header (double submit). Errors answer flat
 * (`{ code, message, field | reason | retryAfterSeconds }`, see HttpErrorFilter).
 *
 * One implementation for every service that serves the console: each declares
 * `@Controller('auth') class … extends ConsoleSessionEndpoints` with its own sessions and token secret.
 */
export abstract class ConsoleSessionEndpoints {
  protected constructor(
    private readonly sessions: ConsoleSessions,
    private readonly tokenSecret: string,
  ) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  async login(
    @Body() input: ConsoleLoginInput,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ConsoleGrant> {
    const { sessionId, grant } = await this.sessions.login(input.email, input.password, request.ip ?? '');
    // A session this browser still held ends: one browser, one session (nothing to fixate).
    await this.sessions.logout(parseCookies(request.headers.cookie).get(SESSION_COOKIE));
    const secure = request.secure;
    const maxAgeSeconds = this.sessions.settings.sessionMaxSeconds;
    response.append('Set-Cookie', [
      serializeCookie(SESSION_COOKIE, sessionId, { path: '/auth', httpOnly: true, secure, maxAgeSeconds }),
      serializeCookie(CSRF_COOKIE, csrfTokenFor(sessionId, this.tokenSecret), {
        path: '/',
        httpOnly: false,
        secure,
        maxAgeSeconds,
      }),
    ]);
    response.setHeader('Cache-Control', 'no-store');
    return grant;
  }

  @Public()
  @Post('refresh')
  @HttpCode(200)
  async refresh(
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ConsoleGrant> {
    const sessionId = this.checkedSession(request);
    response.setHeader('Cache-Control', 'no-store');
    return this.sessions.refresh(sessionId);
  }

  @Public()
  @Post('logout')
  @HttpCode(204)
  async logout(@Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<void> {
    const sessionId = this.checkedSession(request);
    await this.sessions.logout(sessionId);
    const secure = request.secure;
    response.append('Set-Cookie', [
      serializeCookie(SESSION_COOKIE, '', { path: '/auth', httpOnly: true, secure, maxAgeSeconds: 0 }),
      serializeCookie(CSRF_COOKIE, '', { path: '/', httpOnly: false, secure, maxAgeSeconds: 0 }),
    ]);
  }

  /** The session id of the cookie, once the CSRF header matches it (403 CSRF otherwise). */
  private checkedSession(request: Request): string | undefined {
    const cookies = parseCookies(request.headers.cookie);
    const sessionId = cookies.get(SESSION_COOKIE);
    if (!sessionId) return undefined; // no session: the service answers SESSION_ENDED
    const header = request.headers[CSRF_HEADER];
    if (
      !csrfMatches(
        sessionId,
        typeof header === 'string' ? header : undefined,
        cookies.get(CSRF_COOKIE),
        this.tokenSecret,
      )
    ) {
      throw new ForbiddenError('The X-CSRF-Token header must repeat the concordia_csrf cookie', {
        reason: 'CSRF',
      });
    }
    return sessionId;
  }
}
