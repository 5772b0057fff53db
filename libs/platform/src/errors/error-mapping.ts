import { ArgumentsHost, Catch, ExceptionFilter, HttpException } from '@nestjs/common';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Request, Response } from 'express';
import { AppError, TooManyRequestsError } from './app-errors.js';
import { getLogger } from '../logging/logger.js';

function httpCodeOf(status: number): string {
  if (status === 400) return 'BAD_USER_INPUT';
  if (status === 401) return 'UNAUTHENTICATED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 404) return 'NOT_FOUND';
  if (status === 409) return 'CONFLICT';
  if (status === 413) return 'PAYLOAD_TOO_LARGE';
  if (status === 415) return 'UNSUPPORTED_MEDIA_TYPE';
  if (status === 429) return 'TOO_MANY_REQUESTS';
  if (status >= 400 && status < 500) return 'BAD_REQUEST';
  return 'INTERNAL_SERVER_ERROR';
}

/**
 * Errors of the HTTP layer (the body parser's `entity.too.large`, `entity.parse.failed`,
 * `encoding.unsupported`…): http-errors with a 4xx status that is safe to show. Their messages
 * are generic; the body is never echoed.
 */
function clientHttpError(exception: unknown): { status: number; message: string } | undefined {
  if (typeof exception !== 'object' || exception === null) return undefined;
  const { status, expose, type } = exception as { status?: unknown; expose?: unknown; type?: unknown };
  if (typeof status !== 'number' || status < 400 || status >= 500 || expose !== true) return undefined;
  const messages: Record<string, string> = {
    'entity.too.large': 'the request body is larger than this route accepts',
    'entity.parse.failed': 'the request body is not valid JSON',
    'encoding.unsupported': 'the request body has an unsupported content encoding',
    'charset.unsupported': 'the request body has an unsupported charset',
    'encoding.invalid': 'the request body is not valid UTF-8',
  };
  return { status, message: (typeof type === 'string' && messages[type]) || 'the request is not valid' };
}

/** A TypeORM QueryFailedError of SQLSTATE class 22 (data exception). */
function isDataException(error: unknown): boolean {
  const code = (error as { driverError?: { code?: unknown } } | null)?.driverError?.code;
  return typeof code === 'string' && code.startsWith('22');
}

/**
 * Apollo `formatError`: every error leaves the server with a stable `extensions.code`.
 * Our AppErrors keep their message and details; anything unexpected becomes INTERNAL_SERVER_ERROR
 * with a generic message (the original is logged, without request data).
 */
export function formatGraphQLError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
  if (original instanceof AppError) {
    return {
      message: original.message,
      path: formatted.path,
      locations: formatted.locations,
      extensions: { code: original.code, ...original.details },
    };
  }
  if (original instanceof HttpException) {
    const status = original.getStatus();
    return { ...formatted, extensions: { code: httpCodeOf(status) } };
  }
  // Codes set by Apollo (GRAPHQL_VALIDATION_FAILED…) or by our plugins (QUERY_TOO_COMPLEX) stay as they are.
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && code !== 'INTERNAL_SERVER_ERROR') return formatted;
  if (isDataException(original)) {
    // Safety net: PostgreSQL refused a value (SQLSTATE class 22: bad text for a type, out of range,
    // invalid byte sequence) that an edge check should have caught. The caller's input, not a bug.
    getLogger().warn(
      { sqlState: (original as { driverError: { code: string } }).driverError.code },
      'data exception',
    );
    return {
      message: 'A value is not valid for its field',
      path: formatted.path,
      locations: formatted.locations,
      extensions: { code: 'BAD_USER_INPUT' },
    };
  }
  if (original instanceof GraphQLError && !original.originalError) {
    // Errors raised by graphql-js itself (variable coercion…) are the caller's mistake.
    return { ...formatted, extensions: { code: 'BAD_USER_INPUT' } };
  }
  getLogger().error(
    { err: original instanceof Error ? original.stack : String(original) },
    'unexpected error',
  );
  return {
    message: 'Internal server error',
    path: formatted.path,
    locations: formatted.locations,
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  };
}

/** The same mapping for plain HTTP routes (the federation protocol, health). */
/**
 * The web console's sign-in (/auth/*) reads errors flat, `{ code, message, …details }` (field,
 * reason, retryAfterSeconds), as agreed with the console; everything else nests them under `error`.
 */
const FLAT_ERROR_PATHS = /^\/auth\//;

@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType<string>() === 'graphql') throw exception;
    const response = host.switchToHttp().getResponse<Response>();
    const flat = FLAT_ERROR_PATHS.test(host.switchToHttp().getRequest<Request>().path ?? '');
    const send = (status: number, error: Record<string, unknown>) =>
      response.status(status).json(flat ? error : { error });
    if (exception instanceof AppError) {
      if (exception instanceof TooManyRequestsError) {
        response.setHeader('Retry-After', String(exception.retryAfterSeconds));
      }
      send(exception.httpStatus, { code: exception.code, message: exception.message, ...exception.details });
      return;
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      // Framework responses that carry structure (e.g. the health report) keep it, with our code added.
      if (typeof body === 'object' && body !== null && !('message' in body)) {
        response.status(status).json({ code: httpCodeOf(status), ...body });
      } else {
        send(status, { code: httpCodeOf(status), message: exception.message });
      }
      return;
    }
    const client = clientHttpError(exception);
    if (client) {
      response
        .status(client.status)
        .json({ error: { code: httpCodeOf(client.status), message: client.message } });
      return;
    }
    getLogger().error(
      { err: exception instanceof Error ? exception.stack : String(exception) },
      'unexpected error',
    );
    send(500, { code: 'INTERNAL_SERVER_ERROR', message: 'Internal server error' });
  }
}
