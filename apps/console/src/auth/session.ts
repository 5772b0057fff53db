/**
 * The console's session, per docs (CONSOLE-CONTRACT): the access token lives in memory only (never
 * localStorage); the httpOnly session cookie (Path=/auth) renews it through POST /auth/refresh with the
 * CSRF header. Renewal happens on page load, and shortly before expiry only if the user did something
 * since the last renewal, so the server's idle timeout holds. These /auth/* calls are the console's
 * only plain fetch calls (GraphQL goes through Apollo).
 */
export interface SessionUser {
  id: string;
  email: string;
  name: string;
  roles: string[];
}

/** Which service serves this console: a partner node, or the federation (its operators). */
export type ServerKind = 'node' | 'federation';

export interface SessionState {
  server: ServerKind;
  accessToken: string;
  accessTokenExpiresAt: number;
  /** How long before accessTokenExpiresAt it is renewed (from the lifetime it was issued with). */
  renewAheadMs: number;
  idleTimeoutSeconds: number;
  user: SessionUser;
}

/** An error answer of /auth/*: `code` as the server says it, `field` for BAD_USER_INPUT. */
export interface AuthError {
  code: string;
  message?: string;
  field?: string;
  reason?: string;
  retryAfterSeconds?: number;
}

export type SignOutReason = 'user' | 'idle' | 'expired';

interface SessionBody {
  server?: ServerKind;
  accessToken: string;
  accessTokenExpiresAt: string;
  idleTimeoutSeconds: number;
  user: SessionUser;
}

/**
 * Renew this long before the access token expires: a quarter of its lifetime, at most 30 s (a
 * short-lived token is not renewed the moment it is issued).
 */
function renewAheadMs(lifetimeMs: number): number {
  return Math.min(30_000, Math.max(0, lifetimeMs) / 4);
}

function csrfToken(): string {
  const match = document.cookie.split('; ').find((c) => c.startsWith('concordia_csrf='));
  return match ? decodeURIComponent(match.slice('concordia_csrf='.length)) : '';
}

async function post(path: string, body?: unknown): Promise<Response> {
  return fetch(path, {
    method: 'POST',
    credentials: 'same-origin',
    headers: {
      'Content-Type': 'application/json',
      ...(path === '/auth/login' ? {} : { 'X-CSRF-Token': csrfToken() }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function errorOf(response: Response): Promise<AuthError> {
  try {
    return (await response.json()) as AuthError;
  } catch {
    return { code: response.status >= 500 ? 'UNAVAILABLE' : 'UNAUTHENTICATED' };
  }
}

type Listener = () => void;

export class Session {
  private state: SessionState | null = null;
  private lastActivityAt = Date.now();
  private lastRenewalAt = 0;
  private renewTimer: ReturnType<typeof setTimeout> | undefined;
  private renewing: Promise<boolean> | null = null;
  private readonly listeners = new Set<Listener>();
  /** Why the last session ended (shown on the sign-in page). */
  endedBecause: SignOutReason | null = null;

  get current(): SessionState | null {
    return this.state;
  }

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): SessionState | null => this.state;

  /** Something the user did (key, pointer): renewal before expiry is allowed again. */
  noteActivity(): void {
    this.lastActivityAt = Date.now();
  }

  get lastActivity(): number {
    return this.lastActivityAt;
  }

  async login(email: string, password: string): Promise<AuthError | null> {
    let response: Response;
    try {
      response = await post('/auth/login', { email, password });
    } catch {
      return { code: 'NETWORK' };
    }
    if (!response.ok) return errorOf(response);
    this.noteActivity();
    this.accept((await response.json()) as SessionBody);
    return null;
  }

  /** Resume (page load) or renew the session; false when there is none any more. */
  renew(): Promise<boolean> {
    this.renewing ??= this.doRenew().finally(() => {
      this.renewing = null;
    });
    return this.renewing;
  }

  /** The token for the next request: renewed first when it expired or is about to (the user is acting). */
  async accessToken(): Promise<string | null> {
    if (!this.state) return null;
    if (this.state.accessTokenExpiresAt - Date.now() < this.state.renewAheadMs) {
      this.noteActivity();
      if (!(await this.renew())) return null;
    }
    return this.state?.accessToken ?? null;
  }

  async logout(reason: SignOutReason = 'user'): Promise<void> {
    try {
      await post('/auth/logout');
    } catch {
      // The server ends idle sessions on its own; the client forgets the token anyway.
    }
    this.end(reason);
  }

  /** Forget the session locally (the server said it is over). */
  end(reason: SignOutReason): void {
    clearTimeout(this.renewTimer);
    this.endedBecause = reason;
    this.state = null;
    this.emit();
  }

  private async doRenew(): Promise<boolean> {
    let response: Response;
    try {
      response = await post('/auth/refresh');
    } catch {
      return this.state !== null; // offline: keep the current token until the server says otherwise
    }
    if (!response.ok) {
      const error = await errorOf(response);
      if (this.state) this.end(error.reason === 'IDLE_TIMEOUT' ? 'idle' : 'expired');
      return false;
    }
    this.accept((await response.json()) as SessionBody);
    return true;
  }

  private accept(body: SessionBody): void {
    this.endedBecause = null;
    this.lastRenewalAt = Date.now();
    const accessTokenExpiresAt = Date.parse(body.accessTokenExpiresAt);
    this.state = {
      server: body.server ?? 'node',
      accessToken: body.accessToken,
      accessTokenExpiresAt,
      renewAheadMs: renewAheadMs(accessTokenExpiresAt - this.lastRenewalAt),
      idleTimeoutSeconds: body.idleTimeoutSeconds,
      // The server names roles in lower case ('agent'); the console uses the schema's Role names.
      user: { ...body.user, roles: body.user.roles.map((role) => role.toUpperCase()) },
    };
    this.schedule();
    this.emit();
  }

  private schedule(): void {
    clearTimeout(this.renewTimer);
    if (!this.state) return;
    const delay = Math.max(1_000, this.state.accessTokenExpiresAt - Date.now() - this.state.renewAheadMs);
    this.renewTimer = setTimeout(() => {
      // Only an active user keeps the session alive; an idle one lets the token lapse.
      if (this.lastActivityAt > this.lastRenewalAt) void this.renew();
    }, delay);
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}

export const session = new Session();
