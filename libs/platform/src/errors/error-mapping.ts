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
  return 'INTERNAL_SERVER_ERROR';
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
    getLogger().error(
      { err: exception instanceof Error ? exception.stack : String(exception) },
      'unexpected error',
    );
    send(500, { code: 'INTERNAL_SERVER_ERROR', message: 'Internal server error' });
  }
}
