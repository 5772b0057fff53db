import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { AccessTokens } from '#platform/auth/access-tokens';
import { sessionIdHash, sessionRefusal, type SessionRefusal } from '#platform/auth/console-session-rules';
import { UnauthenticatedError } from '#platform/errors/app-errors';
import { getLogger } from '#platform/logging/logger';
import { PARTNER_NODE_CONFIG } from '../config.token.js';
import type { PartnerNodeConfig } from '../config.js';
import type { User } from '../users/user.entity.js';
import { UsersService } from '../users/users.service.js';
import { ConsoleSession, type SessionEndReason } from './console-session.entity.js';

/** What the console receives at login and at each refresh. */
export interface ConsoleGrant {
  accessToken: string;
  accessTokenExpiresAt: string;
  idleTimeoutSeconds: number;
  user: { id: string; email: string; name: string; roles: string[] };
}

/** A session that can no longer be used; `reason` tells the console why. */
export class SessionRefusedError extends UnauthenticatedError {
  constructor(readonly reason: SessionRefusal) {
    super(
      {
        SESSION_ENDED: 'This session has ended; sign in again',
        IDLE_TIMEOUT: 'This session was unused for too long; sign in again',
        SESSION_EXPIRED: 'This session reached its maximum length; sign in again',
      }[reason],
      { reason },
    );
  }
}

/**
 * Web console sessions: sign-in creates a session whose random id travels only in an httpOnly
 * cookie (the table keeps its hash); refresh trades the cookie for a short access token with the
 * user's current roles, as long as the session is neither idle, expired nor ended.
 */
@Injectable()
export class ConsoleSessionsService {
  constructor(
    @InjectRepository(ConsoleSession) private readonly sessions: Repository<ConsoleSession>,
    private readonly users: UsersService,
    private readonly tokens: AccessTokens,
    @Inject(PARTNER_NODE_CONFIG) private readonly config: PartnerNodeConfig,
  ) {}

  private get timeouts() {
    return {
      idleSeconds: this.config.console.idleTimeoutSeconds,
      maxSeconds: this.config.console.sessionMaxSeconds,
    };
  }

  /** Checks the password (throttled) and opens a session; returns its id (for the cookie) and a grant. */
  async login(
    email: string,
    password: string,
    clientAddress: string,
  ): Promise<{ sessionId: string; grant: ConsoleGrant }> {
    const user = await this.users.authenticate(email, password, clientAddress);
    const sessionId = randomBytes(32).toString('base64url');
    const now = new Date();
    const session = await this.sessions.save(
      this.sessions.create({
        sessionIdHash: sessionIdHash(sessionId),
        userId: user.id,
        createdAt: now,
        lastActivityAt: now,
        expiresAt: new Date(now.getTime() + this.timeouts.maxSeconds * 1000),
        endedAt: null,
        endReason: null,
      }),
    );
    getLogger().info({ userId: user.id, sessionRowId: session.id }, 'console session started');
    return { sessionId, grant: await this.grant(user) };
  }

  /** A fresh access token for the session of this cookie, with the user's roles read now. */
  async refresh(sessionId: string | undefined): Promise<ConsoleGrant> {
    const session = await this.usable(sessionId);
    const user = await this.users.findActive(session.userId);
    if (!user) {
      await this.end(session, 'USER_DISABLED');
      throw new SessionRefusedError('SESSION_ENDED');
    }
    const touched = await this.sessions.update(
      { id: session.id, endedAt: IsNull() },
      { lastActivityAt: new Date() },
    );
    if (!touched.affected) throw new SessionRefusedError('SESSION_ENDED');
    return this.grant(user);
  }

  /** Ends the session of this cookie (if it still runs); logging out twice is not an error. */
  async logout(sessionId: string | undefined): Promise<void> {
    if (!sessionId) return;
    const session = await this.sessions.findOneBy({ sessionIdHash: sessionIdHash(sessionId) });
    if (session && !session.endedAt) await this.end(session, 'LOGOUT');
  }

  private async usable(sessionId: string | undefined): Promise<ConsoleSession> {
    if (!sessionId) throw new SessionRefusedError('SESSION_ENDED');
    const session = await this.sessions.findOneBy({ sessionIdHash: sessionIdHash(sessionId) });
    if (!session) throw new SessionRefusedError('SESSION_ENDED');
    const refusal = sessionRefusal(session, this.timeouts, new Date());
    if (refusal) {
      if (refusal !== 'SESSION_ENDED') await this.end(session, refusal);
      throw new SessionRefusedError(refusal);
    }
    return session;
  }

  private async end(session: ConsoleSession, reason: SessionEndReason): Promise<void> {
    await this.sessions.update(
      { id: session.id, endedAt: IsNull() },
      { endedAt: new Date(), endReason: reason },
    );
    getLogger().info({ userId: session.userId, sessionRowId: session.id, reason }, 'console session ended');
  }

  private async grant(user: User): Promise<ConsoleGrant> {
    const { token, expiresAt } = await this.tokens.issue(
      { id: user.id, roles: user.roles },
      this.config.console.accessTokenTtlSeconds,
    );
    return {
      accessToken: token,
      accessTokenExpiresAt: expiresAt.toISOString(),
      idleTimeoutSeconds: this.config.console.idleTimeoutSeconds,
      user: { id: user.id, email: user.email, name: user.displayName, roles: user.roles },
    };
  }
}
