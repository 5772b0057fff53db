import { z } from 'zod';
import {
  PROTOCOL_ERROR_CODES,
  entityIdSchema,
  idSchema,
  jwksSchema,
  type DataCategory,
  type Jwks,
  type OkpPublicJwk,
  type ProtocolErrorCode,
  type Purpose,
} from '#protocol';

/**
 * The federation's HTTP contract (documented in docs/protocol.md, "Federation HTTP API"): paths,
 * JSON shapes, refusal reasons, and the two message kinds that only this API uses (the request
 * token and the federation's entity statement). Shared by the server and every client.
 *
 * Times in bodies are NumericDates (seconds since the epoch), as in the signed messages.
 */

export const WELL_KNOWN_FEDERATION_PATH = '/.well-known/concordia-federation';
export const WELL_KNOWN_JWKS_PATH = '/.well-known/jwks.json';
export const API_PREFIX = '/federation/v1';

export const FEDERATION_PATHS = {
  entityStatement: WELL_KNOWN_FEDERATION_PATH,
  jwks: WELL_KNOWN_JWKS_PATH,
  members: `${API_PREFIX}/members`,
  member: (partnerId: string) => `${API_PREFIX}/members/${encodeURIComponent(partnerId)}`,
  keyRotations: (partnerId: string) => `${API_PREFIX}/members/${encodeURIComponent(partnerId)}/key-rotations`,
  applications: `${API_PREFIX}/applications`,
  application: (applicationId: string) => `${API_PREFIX}/applications/${encodeURIComponent(applicationId)}`,
  agreements: `${API_PREFIX}/agreements`,
  agreementTransitions: (agreementId: string) =>
    `${API_PREFIX}/agreements/${encodeURIComponent(agreementId)}/transitions`,
  consents: `${API_PREFIX}/consents`,
  consentWithdrawal: (consentId: string) =>
    `${API_PREFIX}/consents/${encodeURIComponent(consentId)}/withdrawal`,
  consentCheck: `${API_PREFIX}/consents/check`,
  consentBatch: `${API_PREFIX}/consents/batch`,
  ledgerCheckpoint: `${API_PREFIX}/ledger/checkpoint`,
  ledgerCheckpoints: `${API_PREFIX}/ledger/checkpoints`,
  ledgerInclusionProof: `${API_PREFIX}/ledger/proofs/inclusion`,
  ledgerConsistencyProof: `${API_PREFIX}/ledger/proofs/consistency`,
  ledgerEntries: `${API_PREFIX}/ledger/entries`,
  ledgerExport: `${API_PREFIX}/ledger/export`,
} as const;

// ---------------------------------------------------------------------------------------------
// The federation ledger (docs/protocol.md, "Federation ledger"). Hashes are standard base64.
// ---------------------------------------------------------------------------------------------

/** The federation ledger's checkpoint origin, also the name of its signer in the signed notes. */
export function federationLedgerOrigin(federationId: string): string {
  return `concordia/${federationId}/ledger`;
}

/** A signed checkpoint of the federation ledger (C2SP signed note). */
export interface LedgerCheckpointView {
  size: number;
  rootHash: string;
  note: string;
  signerName: string;
  signerKid: string;
  createdAt: string;
}

export interface LedgerCheckpointsResponse {
  checkpoints: LedgerCheckpointView[];
  /** Pass as `before` for the next (older) page; null at the end. */
  nextBefore: number | null;
}

export interface LedgerConsistencyResponse {
  fromSize: number;
  toSize: number;
  fromRoot: string;
  toRoot: string;
  hashes: string[];
}

// ---------------------------------------------------------------------------------------------
// Request tokens: `Authorization: Concordia <compact JWS>` on the reads that are not public.
// ---------------------------------------------------------------------------------------------

export const AUTHORIZATION_SCHEME = 'Concordia';
export const REQUEST_TYP = 'concordia-request+jwt';
/** A request token may live at most this long (exp - iat), in seconds. */
export const REQUEST_MAX_LIFETIME_SECONDS = 300;

/**
 * Claims of a request token, signed by the member with a key of its directory entry. `htm` and
 * `htu` bind it to one request (as DPoP does, RFC 9449): the method and the path with its query.
 * Its `jti` is accepted once.
 */
export const requestClaimsSchema = z
  .strictObject({
    iss: entityIdSchema,
    aud: entityIdSchema,
    iat: z.int().min(0),
    exp: z.int().min(0),
    jti: idSchema,
    htm: z.enum(['GET', 'POST']),
    htu: z.string().min(1).max(2048).startsWith('/'),
  })
  .refine((c) => c.exp > c.iat && c.exp - c.iat <= REQUEST_MAX_LIFETIME_SECONDS, {
    message: `a request token lives at most ${REQUEST_MAX_LIFETIME_SECONDS} s`,
    path: ['exp'],
  });
export type RequestClaims = z.infer<typeof requestClaimsSchema>;

// ---------------------------------------------------------------------------------------------
// The federation's entity statement (self-signed), served at /.well-known/concordia-federation.
// ---------------------------------------------------------------------------------------------

export const ENTITY_STATEMENT_TYP = 'concordia-federation+jwt';

export const entityStatementClaimsSchema = z
  .strictObject({
    iss: entityIdSchema,
    sub: entityIdSchema,
    iat: z.int().min(0),
    exp: z.int().min(0),
    jti: idSchema,
    /** Every key that verifies the federation's signatures: the current one and the historical ones. */
    jwks: jwksSchema,
    /**
     * Which key signs now; `next` is announced (signing from `activatesAt`, see the rotation
     * statements); the others are historical (they verify what they signed before `retiredAt`).
     */
    keys: z.array(
      z.strictObject({
        kid: z.string().min(1),
        status: z.enum(['next', 'current', 'historical']),
        createdAt: z.int().min(0),
        activatesAt: z.int().min(0).optional(),
        retiredAt: z.int().min(0).optional(),
      }),
    ),
    endpoints: z.strictObject({
      jwks: z.url(),
      members: z.url(),
      applications: z.url(),
      agreements: z.url(),
      consents: z.url(),
      consentCheck: z.url(),
    }),
  })
  .refine((c) => c.sub === c.iss, {
    message: 'an entity statement is self-signed: sub = iss',
    path: ['sub'],
  });
export type EntityStatementClaims = z.infer<typeof entityStatementClaimsSchema>;

export interface EntityStatementResponse {
  /** The compact JWS (typ concordia-federation+jwt), signed by the current federation key. */
  statement: string;
  federationId: string;
  jwks: Jwks;
  keys: EntityStatementClaims['keys'];
  endpoints: EntityStatementClaims['endpoints'];
  /**
   * Every federation key rotation, oldest first: JWS of typ concordia-federation-key-rotation+jwt,
   * each signed by the key it replaces, by which nodes follow a rotation from their pinned key.
   */
  rotations: string[];
}

// ---------------------------------------------------------------------------------------------
// Directory
// ---------------------------------------------------------------------------------------------

export type MemberStatusValue = 'active' | 'suspended' | 'removed';

/**
 * A member key as the directory lists it.
 * - `current`: in the member's JWKS;
 * - `retiring`: replaced by a rotation, still valid until `retiresAt` (grace period);
 * - `historical`: verifies only signatures made (`iat`) before `retiresAt`.
 * Revoked keys are not listed at all.
 */
export interface DirectoryKey {
  kid: string;
  jwk: OkpPublicJwk;
  state: 'current' | 'retiring' | 'historical';
  addedAt: number;
  retiresAt?: number;
}

export interface DirectoryEntry {
  partnerId: string;
  name: string;
  endpoint: string;
  status: MemberStatusValue;
  /** The current membership statement (typ concordia-membership+jwt) signed by the federation. */
  statement: string;
  /** End of the membership term: the statement never outlives it. */
  validUntil: number;
  keys: DirectoryKey[];
}

export interface DirectoryResponse {
  federationId: string;
  members: DirectoryEntry[];
}

// ---------------------------------------------------------------------------------------------
// Applications, rotations
// ---------------------------------------------------------------------------------------------

export type ApplicationStatusValue = 'pending' | 'approved' | 'rejected';

export interface ApplicationResponse {
  applicationId: string;
  partnerId: string;
  status: ApplicationStatusValue;
  submittedAt: number;
  decidedAt?: number;
}

export interface KeyRotationResponse {
  member: DirectoryEntry;
}

// ---------------------------------------------------------------------------------------------
// Agreements
// ---------------------------------------------------------------------------------------------

export type AgreementStateValue = 'proposed' | 'accepted' | 'active' | 'terminated' | 'expired';

export interface AgreementChainLink {
  kind: 'agreement' | 'agreement-transition';
  /** The compact JWS as received. */
  jws: string;
  /** Who signed it. */
  by: string;
  from?: AgreementStateValue;
  to: AgreementStateValue;
  at: number;
}

export interface AgreementView {
  agreementId: string;
  version: number;
  parties: [string, string];
  proposer: string;
  direction: 'mutual' | 'one-way';
  purposes: Purpose[];
  categories: DataCategory[];
  validFrom: number;
  validUntil: number;
  /** The state now: `accepted` turns `active` at validFrom and anything not final `expired` at validUntil. */
  state: AgreementStateValue;
  /** base64url SHA-256 of the agreement JWS (what transitions name in agreementHash). */
  agreementHash: string;
  chain: AgreementChainLink[];
}

export interface AgreementsResponse {
  agreements: AgreementView[];
}

// ---------------------------------------------------------------------------------------------
// Consents
// ---------------------------------------------------------------------------------------------

/**
 * A registration in the federation's consent registry. `consentId` is the registration's own id
 * (the `registrationId` of a `consent-registration`): the id by which the recipient and the relay
 * know the consent, never the controller's receipt id.
 */
export interface ConsentView {
  consentId: string;
  controller: string;
  status: 'registered' | 'withdrawn';
  registeredAt: number;
  withdrawnAt?: number;
}

/** Most registrations in one batch. */
export const CONSENT_BATCH_MAX = 500;
/**
 * The body limit of the batch route (the other JSON routes take 100 kB): room for CONSENT_BATCH_MAX
 * registrations of about 1 kB each, so that a bulk import makes few requests.
 */
export const CONSENT_BATCH_BODY_LIMIT = '1mb';

/** One registration of a batch, in the order sent: registered, or refused with the protocol reason. */
export interface ConsentBatchItem {
  /** The registration's id (null when the message could not be read). */
  consentId: string | null;
  status: 'registered' | 'refused';
  registeredAt?: number;
  reason?: string;
  message?: string;
}

export interface ConsentBatchResponse {
  results: ConsentBatchItem[];
}

export interface ConsentCheckRequest {
  subjectToken: string;
  recipient: string;
  purpose: Purpose;
  category: DataCategory;
  controller?: string;
}

export interface ConsentCheckResponse {
  live: boolean;
  consentIds: string[];
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

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
