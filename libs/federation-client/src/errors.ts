import { PROTOCOL_ERROR_CODES, type ProtocolErrorCode } from '#protocol';

/**
 * The network's error catalogues (documented in docs/protocol.md): every error code and its HTTP
 * status, the refusal reasons of the federation and of the nodes, and the error body.
 */

/**
 * Every error code the product answers with, and its HTTP status: the one mapping (GraphQL answers
 * carry the code as `extensions.code`, HTTP answers the status). A new code needs its status here.
 */
export const ERROR_STATUS = {
  BAD_USER_INPUT: 400,
  QUERY_TOO_COMPLEX: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  MESSAGE_REFUSED: 422,
  TOO_MANY_REQUESTS: 429,
  SERVICE_UNAVAILABLE: 503,
  /** A node could not reach its federation: nothing was decided there. */
  FEDERATION_UNAVAILABLE: 503,
  /** The relay could not reach the recipient node (or it did not answer in time). */
  RECIPIENT_UNAVAILABLE: 503,
} as const satisfies Record<string, number>;
export type ErrorCode = keyof typeof ERROR_STATUS;

/**
 * Why the federation refused a message, beyond the protocol library's codes (MALFORMED,
 * SIGNATURE_INVALID, UNKNOWN_KEY, WRONG_TYPE, EXPIRED, REPLAYED… which appear as they are).
 */
export const FEDERATION_REFUSAL_REASONS = [
  /** The issuer is a member, but suspended: its signatures verify nowhere. */
  'MEMBER_SUSPENDED',
  'MEMBER_REMOVED',
  /** The issuer's membership term (its last statement) has ended. */
  'STATEMENT_EXPIRED',
  /** Signed (iat) with a key after that key left the member's key set. */
  'KEY_RETIRED',
  'KEY_REVOKED',
  /** A key announced by an applicant or a rotation already belongs to someone, or was retired. */
  'KEY_IN_USE',
  /** A key set without an Ed25519 signing key. */
  'NO_SIGNING_KEY',
  'ALREADY_MEMBER',
  'APPLICATION_PENDING',
  /** Rotation posted for another member than the signer. */
  'NOT_THE_MEMBER',
  'UNKNOWN_AGREEMENT',
  'AGREEMENT_EXISTS',
  'PARTY_NOT_MEMBER',
  /** A transition made by a party not entitled to it (acceptance by the proposer, or a stranger). */
  'WRONG_PARTY',
  /** Transition `from`/`version`/`agreementHash` does not match the agreement as it stands. */
  'STATE_MISMATCH',
  'TRANSITION_NOT_ALLOWED',
  /** No active agreement allows what the message needs (e.g. a consent for a recipient). */
  'AGREEMENT_NOT_ACTIVE',
  'UNKNOWN_CONSENT',
  'CONSENT_EXISTS',
  'CONSENT_WITHDRAWN',
  /** A consent withdrawn by another partner than its controller. */
  'NOT_CONTROLLER',
  /** No or unreadable `Authorization: Concordia …` header. */
  'MISSING_CREDENTIALS',
  /** A request token bound to another method or path. */
  'REQUEST_MISMATCH',
  /** A read of data about other members. */
  'NOT_A_PARTY',
  /** Segment merge: the agreement does not allow it (not mutual, no marketing or segment membership). */
  'MERGE_NOT_ALLOWED',
  'UNKNOWN_MERGE',
  'MERGE_EXISTS',
  /** A merge message that does not fit the merge's state (acceptance of an accepted merge…). */
  'MERGE_STATE',
  /** A manifest for another segment than the one its partner named in the proposal or acceptance. */
  'WRONG_SEGMENT',
  'MANIFEST_EXISTS',
  /** A merge on an agreement whose minimum cohort is under the network's floor. */
  'COHORT_TOO_SMALL',
  /** A withdrawal relayed before it was registered. */
  'CONSENT_NOT_WITHDRAWN',
] as const;
export type FederationRefusalReason = (typeof FEDERATION_REFUSAL_REASONS)[number];

/**
 * The reasons a partner node refuses a message or a relayed request with, beyond the protocol's
 * codes (a signature that does not verify…) and the federation's reasons it passes on. The relay
 * and the federation read them from the node's answers; the node records them in its `refusal` log.
 */
export const NODE_REFUSAL_REASONS = [
  /** A share or pull for a data category the customer did not consent to. */
  'CATEGORY_NOT_CONSENTED',
  /** The consent a share travels under is not (or no longer) live at the holder. */
  'CONSENT_NOT_LIVE',
  /** A relayed pull without the signed history request that names its reason and agent. */
  'HISTORY_REQUEST_MISSING',
  /** A purpose the agreement does not allow. */
  'PURPOSE_NOT_ALLOWED',
  /** An envelope whose records are not committed under its signed Merkle root. */
  'RECORDS_NOT_COMMITTED',
  /** Too many pulls by one agent (asked at the requester, checked again at the holder). */
  'RATE_LIMITED_AGENT',
  /** Too many pulls answered for one requesting partner in the hour. */
  'RATE_LIMITED_PARTNER',
  /** A statement of the federation that does not match what the node sent or knows (keys, identity). */
  'STATEMENT_MISMATCH',
  /** Another party refused with a reason this version does not know (its message is kept). */
  'UNKNOWN_REASON',
] as const;
export type NodeRefusalReason = (typeof NODE_REFUSAL_REASONS)[number];

/** Every refusal reason of the network: the protocol's codes, the federation's and the nodes'. */
export type RefusalReason =
  | ProtocolErrorCode
  | FederationRefusalReason
  | NodeRefusalReason
  // A refusal passed on from a party that answered with an error code and no reason.
  | ErrorCode;

const REFUSAL_REASONS: ReadonlySet<string> = new Set<RefusalReason>([
  ...PROTOCOL_ERROR_CODES,
  ...FEDERATION_REFUSAL_REASONS,
  ...NODE_REFUSAL_REASONS,
  ...(Object.keys(ERROR_STATUS) as ErrorCode[]),
]);

/** A reason read from another party's answer, as one of ours (UNKNOWN_REASON when it is not). */
export function toRefusalReason(value: string | undefined): RefusalReason {
  return value !== undefined && REFUSAL_REASONS.has(value) ? (value as RefusalReason) : 'UNKNOWN_REASON';
}

/** Every error body: `{ error: { code, message, reason? } }`. */
export interface ErrorBody {
  error: { code: string; message: string; reason?: string; [detail: string]: unknown };
}
