/**
 * The rules of a console session, as plain functions: when a session is still usable, and the
 * double-submit CSRF check. The storage is ./console-sessions.ts, the HTTP side
 * ../http/console-session-endpoints.ts (used by the partner node and the federation alike).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export interface SessionTimeouts {
  /** A session unused for this long ends (CONSOLE_IDLE_TIMEOUT_SECONDS). */
  idleSeconds: number;
  /** A session ends this long after login whatever happens (CONSOLE_SESSION_MAX_SECONDS). */
  maxSeconds: number;
}

export interface SessionTimes {
  createdAt: Date;
  lastActivityAt: Date;
  expiresAt: Date;
  endedAt: Date | null;
}

export type SessionRefusal = 'SESSION_ENDED' | 'IDLE_TIMEOUT' | 'SESSION_EXPIRED';

/** Why a session can no longer be used at `now`, or undefined when it can. */
export function sessionRefusal(
  session: SessionTimes,
  timeouts: SessionTimeouts,
  now: Date,
): SessionRefusal | undefined {
  if (session.endedAt) return 'SESSION_ENDED';
  if (now.getTime() >= session.expiresAt.getTime()) return 'SESSION_EXPIRED';
  if (now.getTime() - session.lastActivityAt.getTime() >= timeouts.idleSeconds * 1000) return 'IDLE_TIMEOUT';
  return undefined;
}

/** What the server stores of a session id: its SHA-256 (a stolen table yields no usable cookie). */
export const sessionIdHash = (sessionId: string): Buffer => createHash('sha256').update(sessionId).digest();

/**
 * The CSRF token of a session: an HMAC of the session id under the node's token secret ("signed
 * double submit"), so a token planted by another site cannot match the victim's session.
 */
export const csrfTokenFor = (sessionId: string, secret: string): string =>
  createHmac('sha256', secret).update(`csrf:${sessionId}`).digest('base64url');

/** The header must equal both the CSRF cookie and the token of this session. */
export function csrfMatches(
  sessionId: string,
  header: string | undefined,
  cookie: string | undefined,
  secret: string,
): boolean {
  if (!header || !cookie || header !== cookie) return false;
  const expected = Buffer.from(csrfTokenFor(sessionId, secret));
  const actual = Buffer.from(header);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
