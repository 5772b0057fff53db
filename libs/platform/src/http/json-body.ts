import type { Request } from 'express';
import type { z } from 'zod';
import { PayloadTooLargeError, UnsupportedMediaTypeError, ValidationError } from '../errors/app-errors.js';

export interface JsonBodyOptions {
  /** The largest body accepted, in bytes. */
  limit: number;
  /** A JSON-based media type accepted besides `application/json` (e.g. `application/concordia+json`). */
  contentType: string;
}

function mediaTypeOf(header: string): string {
  return header.split(';', 1)[0]!.trim().toLowerCase();
}

/**
 * Reads a JSON body that the application's JSON parser left alone (a protocol type, or a body
 * larger than the parser's limit) from the stream, with its own byte limit, then validates it with
 * a zod schema; a body the parser already read is validated as it is. Errors name what is wrong.
 */
export async function readJsonBody<T>(
  req: Request,
  schema: z.ZodType<T>,
  { limit, contentType }: JsonBodyOptions,
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
    if (type !== undefined && ![contentType.toLowerCase(), 'application/json'].includes(mediaTypeOf(type))) {
      throw new UnsupportedMediaTypeError(`body: send ${contentType} or application/json`);
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
