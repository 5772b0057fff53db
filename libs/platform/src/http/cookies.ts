/**
 * Cookie header parsing and Set-Cookie writing for the console's session cookies (RFC 6265 subset:
 * our own names and base64url values only, so no quoting or decoding is needed).
 */

/** The cookies of a `Cookie` request header, by name (the first one wins when a name repeats). */
export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (name && !cookies.has(name)) cookies.set(name, value);
  }
  return cookies;
}

export interface CookieOptions {
  path: string;
  httpOnly: boolean;
  secure: boolean;
  /** Seconds; 0 deletes the cookie; undefined makes it a browser-session cookie. */
  maxAgeSeconds?: number;
}

/** One `Set-Cookie` value; always SameSite=Strict (the console never needs cross-site cookies). */
export function serializeCookie(name: string, value: string, options: CookieOptions): string {
  const parts = [`${name}=${value}`, `Path=${options.path}`, 'SameSite=Strict'];
  if (options.maxAgeSeconds !== undefined) {
    parts.push(`Max-Age=${options.maxAgeSeconds}`);
    if (options.maxAgeSeconds === 0) parts.push('Expires=Thu, 01 Jan 1970 00:00:00 GMT');
  }
  if (options.httpOnly) parts.push('HttpOnly');
  if (options.secure) parts.push('Secure');
  return parts.join('; ');
}
