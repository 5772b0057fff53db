import { FederationError, toRefusalReason } from '#federation-client';
import { AppError, ConflictError, RefusedMessageError } from '#platform/errors/app-errors';

/** The federation cannot be reached (network error or 5xx): nothing was decided there. */
export class FederationUnavailableError extends AppError {
  readonly code = 'FEDERATION_UNAVAILABLE';
}

export function federationNotConfigured(): ConflictError {
  return new ConflictError('This node has no federation: set FEDERATION_URL', {
    reason: 'FEDERATION_NOT_CONFIGURED',
  });
}

/** True when the federation did not answer (so a later retry may succeed). */
export function isUnavailable(error: unknown): boolean {
  if (error instanceof FederationUnavailableError) return true;
  if (error instanceof FederationError) return error.status >= 500 || error.status === 429;
  // fetch() rejects with a TypeError when the connection fails.
  return error instanceof TypeError;
}

/**
 * Turns what the federation client throws into the product's typed errors: a refusal keeps the
 * federation's reason (AGREEMENT_NOT_ACTIVE, KEY_IN_USE…), an outage becomes FEDERATION_UNAVAILABLE.
 */
export function fromFederation(error: unknown, what: string): unknown {
  if (error instanceof AppError) return error;
  if (isUnavailable(error)) {
    return new FederationUnavailableError(`The federation cannot be reached (${what}); try again later`);
  }
  if (error instanceof FederationError) {
    return new RefusedMessageError(
      toRefusalReason(error.reason ?? error.code),
      `The federation refused ${what}: ${error.message}`,
      {
        status: error.status,
      },
    );
  }
  return error;
}
