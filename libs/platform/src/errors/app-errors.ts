import { ERROR_STATUS, type ErrorCode, type RefusalReason } from '#federation-client';

import type { ErrorDetails } from './reasons.js';

export { ERROR_STATUS, type ErrorCode };

/**
 * Typed errors of the whole product. Each has a stable machine-readable `code` that clients can rely
 * on, and the HTTP status it maps to. Services throw these; `error-mapping.ts` turns them into
 * GraphQL errors and HTTP responses in one place.
 */

export abstract class AppError extends Error {
  abstract readonly code: ErrorCode;
  /** Extra machine-readable details (field names, limits…), never personal data. */
  readonly details: ErrorDetails;

  constructor(message: string, details: ErrorDetails = {}) {
    super(message);
    this.name = new.target.name;
    this.details = details;
  }

  /** The HTTP status of the code (ERROR_STATUS). */
  get httpStatus(): number {
    return ERROR_STATUS[this.code];
  }
}

/** Input that breaks a rule; `field` names the offending input path (e.g. `emails[1].address`). */
export class ValidationError extends AppError {
  readonly code = 'BAD_USER_INPUT';
  constructor(
    readonly field: string,
    message: string,
    details: ErrorDetails = {},
  ) {
    super(`${field}: ${message}`, { field, ...details });
  }
}

export class NotFoundError extends AppError {
  readonly code = 'NOT_FOUND';
  constructor(entity: string, id: string) {
    super(`${entity} ${id} does not exist`, { entity, id });
  }
}

export class ConflictError extends AppError {
  readonly code = 'CONFLICT';
}

export class UnauthenticatedError extends AppError {
  readonly code = 'UNAUTHENTICATED';
}

export class ForbiddenError extends AppError {
  readonly code = 'FORBIDDEN';
}

/** A request the server refuses because of its shape or size (query too deep, too complex…). */
export class QueryLimitError extends AppError {
  readonly code = 'QUERY_TOO_COMPLEX';
}

/** A request body larger than the route accepts (before or after the caller is identified). */
export class PayloadTooLargeError extends AppError {
  readonly code = 'PAYLOAD_TOO_LARGE';
}

/** A request body in a format the route does not read. */
export class UnsupportedMediaTypeError extends AppError {
  readonly code = 'UNSUPPORTED_MEDIA_TYPE';
}

/** A protocol message refused (forged, replayed, expired, mis-addressed…); `reason` is the protocol code. */
export class RefusedMessageError extends AppError {
  readonly code = 'MESSAGE_REFUSED';
  constructor(
    readonly reason: RefusalReason,
    message: string,
    details: ErrorDetails = {},
  ) {
    super(message, { reason, ...details });
  }
}

/** A dependency (Redis, the federation…) does not answer; the caller may retry later. */
export class ServiceUnavailableError extends AppError {
  readonly code = 'SERVICE_UNAVAILABLE';
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Too many requests of one kind by one actor in a window (login throttling, a full password-check
 * queue, an agent's shared-history pulls): retry after `retryAfterSeconds`; `details.reason` names
 * the limit where there are several.
 */
export class TooManyRequestsError extends AppError {
  readonly code = 'TOO_MANY_REQUESTS';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
    details: ErrorDetails = {},
  ) {
    super(message, { retryAfterSeconds, ...details });
  }
}
