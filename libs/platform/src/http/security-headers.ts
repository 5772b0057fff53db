import type { NextFunction, Request, Response } from 'express';

/**
 * The console's Content-Security-Policy: everything from the serving origin only. Mantine injects
 * inline styles, hence style-src 'unsafe-inline'; scripts stay strictly same-origin.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

/**
 * GraphiQL (GET /graphql outside production) loads React and GraphiQL from unpkg.com and boots
 * with an inline script; only that page gets this wider policy.
 */
export const GRAPHIQL_CSP = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-inline' https://unpkg.com",
  "style-src 'self' 'unsafe-inline' https://unpkg.com",
  "img-src 'self' data: https://unpkg.com",
  "font-src 'self' data: https://unpkg.com",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

/**
 * Express middleware setting the security headers on every response (pages, GraphQL, the
 * protocol, errors). `graphiql`: whether GET /graphql serves GraphiQL (development only).
 */
export function securityHeaders(options: { graphiql: boolean }) {
  return (request: Request, response: Response, next: NextFunction): void => {
    const graphiqlPage = options.graphiql && request.method === 'GET' && request.path === '/graphql';
    response.setHeader('Content-Security-Policy', graphiqlPage ? GRAPHIQL_CSP : CONSOLE_CSP);
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.setHeader('Referrer-Policy', 'no-referrer');
    response.setHeader('X-Frame-Options', 'DENY');
    response.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    response.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    next();
  };
}

/** TRUST_PROXY as Express reads it: `true`, a hop count, or addresses/subnets/names (loopback…). */
export function trustProxySetting(value: string): boolean | number | string {
  if (value === 'true' || value === 'false') return value === 'true';
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}
