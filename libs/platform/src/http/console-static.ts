import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';

/**
 * Paths that belong to the server, never to the console's client-side router (a node's protocol
 * is under /concordia, the federation's under /federation).
 */
const SERVER_PATHS = /^\/(graphql|concordia|federation|auth|health|assets|\.well-known)(\/|$)/;

/** The built console (`npm run build:console`), relative to the working directory unless absolute. */
export const DEFAULT_CONSOLE_DIST = 'apps/console/dist';

/**
 * Serves the web console from `dist`: hashed files under /assets/ cached for a year (immutable),
 * index.html never cached, and the SPA fallback (a GET for a page, i.e. accepting text/html, outside
 * the server's own paths gets index.html so that /desk/customers/… can be reloaded). When the
 * folder has no index.html the server still runs and `/` answers 404 with a one-line hint.
 */
export function serveConsole(app: NestExpressApplication, dist: string): { served: boolean; dir: string } {
  const dir = resolve(dist);
  const index = join(dir, 'index.html');
  const served = existsSync(index);
  if (served) {
    app.useStaticAssets(join(dir, 'assets'), {
      prefix: '/assets/',
      immutable: true,
      maxAge: '365d',
      index: false,
    });
    // Files of the folder's root (favicon…) are not hashed: an hour; index.html itself never.
    app.useStaticAssets(dir, {
      index: false,
      maxAge: '1h',
      setHeaders: (response, path) => {
        if (path.endsWith('index.html')) response.setHeader('Cache-Control', 'no-cache');
      },
    });
  }
  app.use((request: Request, response: Response, next: NextFunction) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return next();
    if (SERVER_PATHS.test(request.path)) return next();
    if (request.path !== '/' && request.accepts(['html', 'json']) !== 'html') return next();
    if (!served) {
      response
        .status(404)
        .type('text/plain')
        .send(`The web console is not built here: run "npm run build:console" or set CONSOLE_DIST.\n`);
      return;
    }
    response.setHeader('Cache-Control', 'no-cache');
    response.sendFile(index);
  });
  return { served, dir };
}
