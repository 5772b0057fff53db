import { isUtf8 } from 'node:buffer';
import type { IncomingMessage } from 'node:http';
import type { NestExpressApplication } from '@nestjs/platform-express';

/** Largest JSON body parsed up front (GraphQL, the federation's JSON routes). */
export const JSON_BODY_LIMIT = '100kb';

/** Refuses a body that is not UTF-8 (the parser would silently turn bad bytes into U+FFFD). */
function verifyUtf8(_req: IncomingMessage, _res: unknown, body: Buffer): void {
  if (!isUtf8(body)) {
    throw Object.assign(new Error('the request body is not valid UTF-8'), {
      status: 400,
      expose: true,
      type: 'encoding.invalid',
    });
  }
}

/**
 * The application's body parsers, in place of Nest's defaults (create the app with
 * `bodyParser: false`): JSON and forms up to JSON_BODY_LIMIT, UTF-8 only. Paths under
 * `selfReadPrefix` are left unread: their handlers check the caller before reading the body.
 * Parser errors (413, 400, 415) reach HttpErrorFilter, which gives them our codes.
 *
 * `larger` names routes whose JSON bodies may be larger (exact paths, e.g. the federation's batch
 * of consent registrations, whose items are each a signed message of about 1 kB).
 */
export function useBodyParsers(
  app: NestExpressApplication,
  selfReadPrefix?: string,
  larger: Readonly<Record<string, string>> = {},
): void {
  const pathOf = (req: IncomingMessage): string => (req.url ?? '').split('?')[0]!;
  const parsedUpFront =
    (pattern: RegExp) =>
    (req: IncomingMessage): boolean =>
      !(selfReadPrefix && (req.url ?? '').startsWith(selfReadPrefix)) &&
      !Object.hasOwn(larger, pathOf(req)) &&
      pattern.test(req.headers['content-type'] ?? '');
  // `verify` reaches body-parser unchanged (Nest's option types leave it out: it sets it for rawBody).
  const json = {
    limit: JSON_BODY_LIMIT,
    verify: verifyUtf8,
    type: parsedUpFront(/^application\/json\s*(?:;|$)/i),
  };
  const urlencoded = {
    limit: JSON_BODY_LIMIT,
    extended: true,
    verify: verifyUtf8,
    type: parsedUpFront(/^application\/x-www-form-urlencoded\s*(?:;|$)/i),
  };
  app.useBodyParser('json', json);
  app.useBodyParser('urlencoded', urlencoded);
  // One more parser per larger route: body-parser leaves a body that another parser already read.
  for (const [path, limit] of Object.entries(larger)) {
    app.useBodyParser('json', {
      limit,
      verify: verifyUtf8,
      type: (req: IncomingMessage) =>
        pathOf(req) === path && /^application\/json\s*(?:;|$)/i.test(req.headers['content-type'] ?? ''),
    } as typeof json);
  }
}
