import { Body, Controller, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Public } from '#platform/auth/allow.decorator';
import { csrfMatches, csrfTokenFor } from '#platform/auth/console-session-rules';
import { ForbiddenError } from '#platform/errors/app-errors';
import { parseCookies, serializeCookie } from '#platform/http/cookies';
import { PARTNER_NODE_CONFIG } from '../config.token.js';
import type { PartnerNodeConfig } from '../config.js';
import { LoginInput } from '../users/users.dto.js';
import { ConsoleSessionsService, type ConsoleGrant } from './console-sessions.service.js';

export const SESSION_COOKIE = 'concordia_session';
export const CSRF_COOKIE = 'concordia_csrf';
export const CSRF_HEADER = 'x-csrf-token';

/**
 * The web console's sign-in, outside GraphQL so that the session cookie (Path=/auth) never travels
 * with API calls: login sets the httpOnly session cookie and the CSRF cookie; refresh and logout
 * need both the cookie and the X-CSRF-Token header (double submit). Errors answer flat
 * (`{ code, message, field | reason | retryAfterSeconds }`, see HttpErrorFilter).
 */
@Controller('auth')
export class ConsoleSessionsController {
  constructor(
    private readonly sessions: ConsoleSessionsService,
    @Inject(PARTNER_NODE_CONFIG) private readonly config: PartnerNodeConfig,
  ) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  async login(
    @Body() input: LoginInput,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ConsoleGrant> {
    const { sessionId, grant } = await this.sessions.login(input.email, input.password, request.ip ?? '');
    // A session this browser still held ends: one browser, one session (nothing to fixate).
    await this.sessions.logout(parseCookies(request.headers.cookie).get(SESSION_COOKIE));
    const secure = request.secure;
    const maxAgeSeconds = this.config.console.sessionMaxSeconds;
    response.append('Set-Cookie', [
      serializeCookie(SESSION_COOKIE, sessionId, { path: '/auth', httpOnly: true, secure, maxAgeSeconds }),
      serializeCookie(CSRF_COOKIE, csrfTokenFor(sessionId, this.config.auth.tokenSecret), {
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
        this.config.auth.tokenSecret,
      )
    ) {
      throw new ForbiddenError('The X-CSRF-Token header must repeat the concordia_csrf cookie', {
        reason: 'CSRF',
      });
    }
    return sessionId;
  }
}
