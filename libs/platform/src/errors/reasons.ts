import type { RefusalReason } from '#federation-client';
import type { ManifestProblem } from '#matching';

/**
 * The reasons the product gives with an error (`extensions.reason` in GraphQL, `reason` in HTTP
 * bodies), beyond the network's refusal reasons: one catalogue, so that a client (the console, an
 * integration) can rely on each and the compiler refuses a reason that is not listed here.
 */
export const ERROR_REASONS = [
  // Sessions of the console (POST /auth/*) and access tokens.
  'SESSION_ENDED',
  'SESSION_EXPIRED',
  'IDLE_TIMEOUT',
  'LOGOUT',
  'CSRF',
  'USER_DISABLED',
  // The node and its federation.
  'FEDERATION_NOT_CONFIGURED',
  'NOT_A_MEMBER',
  'ROTATION_IN_PROGRESS',
  'RECIPIENT_NOT_MEMBER',
  'RECIPIENT_IS_CONTROLLER',
  'NO_ACTIVE_AGREEMENT',
  'NO_AGREEMENT_KEY',
  // Privacy notices and consents.
  'UNKNOWN_NOTICE',
  'NOTICE_PUBLISHED',
  'NOTICE_NOT_PUBLISHED',
  'VALIDITY_IN_THE_PAST',
  'NO_IDENTIFIERS',
  // Erasure.
  'ALREADY_ERASED',
  'CUSTOMER_ERASED',
  // The shared timeline: a pull needs a role and a reason (a care case or an interaction).
  'SHARED_HISTORY_ROLE',
  'REASON_REQUIRED',
  'REASON_UNKNOWN',
  'REASON_STALE',
  // Ledger reads and exports (sizes, ranges, hashes).
  'NOT_A_SIZE',
  'NOT_A_HASH',
  'SIZE_BEYOND_TREE',
  'EMPTY_TREE',
  'FROM_BEYOND_TO',
  'LIMIT_OUT_OF_RANGE',
  'EXPORT_TOO_LARGE',
  // The relay could not deliver: the recipient did not answer in time, or could not be reached.
  'TIMEOUT',
  'UNREACHABLE',
] as const;

/** Every reason an error of the product may carry (a merge manifest's problems among them). */
export type ErrorReason = RefusalReason | ManifestProblem | (typeof ERROR_REASONS)[number];

/** An error's machine-readable details: a `reason` from the catalogue, and anything else not personal. */
export interface ErrorDetails {
  reason?: ErrorReason;
  [detail: string]: unknown;
}
