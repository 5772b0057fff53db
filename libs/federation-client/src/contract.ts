import { z } from 'zod';
import {
  entityIdSchema,
  idSchema,
  jwksSchema,
  type DataCategory,
  type Jwks,
  type OkpPublicJwk,
  type Purpose,
} from '#protocol';

/**
 * The federation's HTTP contract (documented in docs/protocol.md, "Federation HTTP API"): paths,
 * JSON shapes, and the two message kinds that only this API uses (the request token and the
 * federation's entity statement). Shared by the server and every client. The error codes and
 * refusal reasons are in errors.ts, the ledger's answers in ledger-contract.ts.
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
