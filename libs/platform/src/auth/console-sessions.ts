import { randomBytes } from 'node:crypto';
import { IsNull, type Repository } from 'typeorm';
import { getLogger } from '../logging/logger.js';
import { UnauthenticatedError } from '../errors/app-errors.js';
import type { AccessTokens } from './access-tokens.js';
import { ConsoleSession, type SessionEndReason } from './console-session.entity.js';
import { sessionIdHash, sessionRefusal, type SessionRefusal } from './console-session-rules.js';

/** Which service serves the console: its screens differ (a node's people, the federation's operators). */
export type ConsoleServerKind = 'node' | 'federation';

/** What the console receives at login and at each refresh. */
export interface ConsoleGrant {
  accessToken: string;
  accessTokenExpiresAt: string;
  idleTimeoutSeconds: number;
  /** The kind of service: the console shows only that kind's screens. */
  server: ConsoleServerKind;
  user: { id: string; email: string; name: string; roles: string[] };
}

/** A person who may sign in to the console (a node user, a federation operator). */
export interface ConsoleAccount {
  id: string;
  email: string;
  displayName: string;
  roles: string[];
}

/** How a service checks its own accounts: a throttled password login, and "still active?". */
export interface ConsoleAccounts {
  authenticate(email: string, password: string, clientAddress: string): Promise<ConsoleAccount>;
  findActive(id: string): Promise<ConsoleAccount | undefined>;
}

export interface ConsoleSessionSettings {
  server: ConsoleServerKind;
  idleTimeoutSeconds: number;
  sessionMaxSeconds: number;
  accessTokenTtlSeconds: number;
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
 * Web console sessions, the same for every service that serves the console: sign-in creates a
 * session whose random id travels only in an httpOnly cookie (the table keeps its hash); refresh
 * trades the cookie for a short access token with the account's current roles, as long as the
 * session is neither idle, expired nor ended. Each service supplies its accounts and its table.
 */
export class ConsoleSessions {
  constructor(
    private readonly sessions: Repository<ConsoleSession>,
    private readonly accounts: ConsoleAccounts,
    private readonly tokens: AccessTokens,
    readonly settings: ConsoleSessionSettings,
  ) {}

  private get timeouts() {
    return { idleSeconds: this.settings.idleTimeoutSeconds, maxSeconds: this.settings.sessionMaxSeconds };
  }

  /** Checks the password (throttled) and opens a session; returns its id (for the cookie) and a grant. */
  async login(
    email: string,
    password: string,
    clientAddress: string,
  ): Promise<{ sessionId: string; grant: ConsoleGrant }> {
    const account = await this.accounts.authenticate(email, password, clientAddress);
    const sessionId = randomBytes(32).toString('base64url');
    const now = new Date();
    const session = await this.sessions.save(
      this.sessions.create({
        sessionIdHash: sessionIdHash(sessionId),
        userId: account.id,
        createdAt: now,
        lastActivityAt: now,
        expiresAt: new Date(now.getTime() + this.timeouts.maxSeconds * 1000),
        endedAt: null,
        endReason: null,
      }),
    );
    getLogger().info({ userId: account.id, sessionRowId: session.id }, 'console session started');
    return { sessionId, grant: await this.grant(account) };
  }

  /** A fresh access token for the session of this cookie, with the account's roles read now. */
  async refresh(sessionId: string | undefined): Promise<ConsoleGrant> {
    const session = await this.usable(sessionId);
    const account = await this.accounts.findActive(session.userId);
    if (!account) {
      await this.end(session, 'USER_DISABLED');
      throw new SessionRefusedError('SESSION_ENDED');
    }
    const touched = await this.sessions.update(
      { id: session.id, endedAt: IsNull() },
      { lastActivityAt: new Date() },
    );
    if (!touched.affected) throw new SessionRefusedError('SESSION_ENDED');
    return this.grant(account);
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

  private async grant(account: ConsoleAccount): Promise<ConsoleGrant> {
    const { token, expiresAt } = await this.tokens.issue(
      { id: account.id, roles: account.roles },
      this.settings.accessTokenTtlSeconds,
    );
    return {
      accessToken: token,
      accessTokenExpiresAt: expiresAt.toISOString(),
      idleTimeoutSeconds: this.settings.idleTimeoutSeconds,
      server: this.settings.server,
      user: { id: account.id, email: account.email, name: account.displayName, roles: account.roles },
    };
  }
}
