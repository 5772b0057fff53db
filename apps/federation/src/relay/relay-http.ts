import type { Request } from 'express';
import { z } from 'zod';
import {
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '#platform/errors/app-errors';

/**
 * Protocol bodies of the relay travel as `application/concordia+json`, which the application's
 * JSON parser (100 kB limit) leaves alone: a batch of encrypted records is bigger than that. The
 * handler reads the stream itself, with its own limit, then validates with a zod schema.
 */
export const RELAY_CONTENT_TYPE = 'application/concordia+json';
export const MAX_RELAY_BODY_BYTES = 64 * 1024 * 1024;
/** The relay's routes: left alone by the body parsers (their handlers check the caller first). */
export const RELAY_PATH_PREFIX = '/federation/v1/relay/';

const JSON_TYPE = /^application\/(?:concordia\+)?json\s*(?:;|$)/i;

export async function readJsonBody<T>(
  req: Request,
  schema: z.ZodType<T>,
  limit = MAX_RELAY_BODY_BYTES,
): Promise<T> {
  let value: unknown;
  // A JSON body already parsed by the application's parser (sent as application/json).
  const parsedAlready =
    (req as Request & { _body?: boolean })._body === true ||
    req.readableEnded ||
    (typeof req.body === 'object' && req.body !== null && Object.keys(req.body as object).length > 0);
  if (parsedAlready) {
    value = req.body;
  } else {
    const type = req.headers['content-type'];
    if (type !== undefined && !JSON_TYPE.test(type)) {
      throw new UnsupportedMediaTypeError(`body: send ${RELAY_CONTENT_TYPE} or application/json`);
    }
    if (Number(req.headers['content-length']) > limit) {
      throw new PayloadTooLargeError(`body: is larger than ${limit} bytes`, { limit });
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limit) throw new PayloadTooLargeError(`body: is larger than ${limit} bytes`, { limit });
      chunks.push(chunk);
    }
    try {
      // fatal: invalid UTF-8 is refused, not turned into U+FFFD.
      value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks)));
    } catch {
      throw new ValidationError('body', 'is not JSON in UTF-8');
    }
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ValidationError(issue?.path.join('.') || 'body', issue?.message ?? 'is not valid');
  }
  return parsed.data;
}

const token = z.string().regex(/^[A-Za-z0-9_-]{43}$/u);
const entityId = z.string().regex(/^[a-z0-9](?:[a-z0-9._-]{0,126}[a-z0-9])?$/u);
const id = z.string().regex(/^[A-Za-z0-9._:-]{8,128}$/u);
const jws = z.string().min(1).max(MAX_RELAY_BODY_BYTES);
const batchedItem = z.object({ record: z.unknown(), index: z.int().min(0), proof: z.array(z.string()) });

export const historyRequestBodySchema = z.strictObject({
  requests: z
    .array(
      z.strictObject({
        holder: entityId,
        agreementId: id,
        subjectTokens: z.array(token).min(1).max(20),
        request: jws.optional(),
      }),
    )
    .min(1)
    .max(50),
  timeoutMs: z.int().min(100).max(10_000).optional(),
});

export const envelopeRelayBodySchema = z.strictObject({
  envelope: jws,
  items: z.array(batchedItem).optional(),
  sealedRecords: jws.optional(),
});

export const withdrawalRelayBodySchema = z.strictObject({ withdrawal: jws });

export const consentStatusBodySchema = z.strictObject({
  consentIds: z.array(id).min(1).max(10_000),
  agreementId: id,
});

export const nodeHistoryRequestSchema = z.strictObject({
  requestId: z.string().min(1).max(128),
  requester: entityId,
  agreementId: id,
  subjectTokens: z.array(token).min(1).max(20),
  categories: z.array(z.enum(['contact', 'orders', 'care-history', 'segment-membership'])).min(1),
  historyRequest: jws.optional(),
});
