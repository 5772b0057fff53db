import { createHash } from 'node:crypto';
import { z } from 'zod';
import { canonicalize, entityIdSchema, idSchema, type BatchedRecord, type DataCategory } from '#protocol';

/**
 * The relay's HTTP contract (shared by the federation and the partner nodes). The federation
 * carries share envelopes, history requests and withdrawals between members; it reads metadata
 * only: records travel end-to-end encrypted for the recipient (a JWE beside the signed envelope,
 * which commits to them by their Merkle root).
 * Documented in docs/protocol.md, "Relay".
 */
export const RELAY_PATHS = {
  historyRequests: '/federation/v1/relay/history-requests',
  envelopes: '/federation/v1/relay/envelopes',
  withdrawals: '/federation/v1/relay/withdrawals',
  consentStatus: '/federation/v1/relay/consent-status',
} as const;

/** Paths of a partner node's protocol endpoint, appended to its registered `endpoint`. */
export const NODE_PATHS = {
  historyRequests: '/v1/history-requests',
  envelopes: '/v1/envelopes',
  withdrawals: '/v1/withdrawals',
} as const;

/**
 * What the federation signs when it calls a node: typ `concordia-relay+jwt`, claims
 * `{iss: federation id, aud: partner id, iat, exp, jti, htm, htu, bodyHash, from}` where `htu` is
 * the node path (NODE_PATHS), `bodyHash` = base64url SHA-256 of the canonical JSON body, and
 * `from` the member on whose behalf the federation calls. Header `Authorization: Concordia-Relay <jws>`.
 */
export const RELAY_TOKEN_TYP = 'concordia-relay+jwt';
export const RELAY_AUTHORIZATION_SCHEME = 'Concordia-Relay';
export const RELAY_TOKEN_TTL_SECONDS = 60;

export const relayTokenClaimsSchema = z.strictObject({
  iss: entityIdSchema,
  aud: entityIdSchema,
  iat: z.int().min(0),
  exp: z.int().min(0),
  jti: idSchema,
  htm: z.literal('POST'),
  htu: z.string().startsWith('/'),
  bodyHash: z.string().regex(/^[A-Za-z0-9_-]{43}$/u),
  from: entityIdSchema,
});
export type RelayTokenClaims = z.infer<typeof relayTokenClaimsSchema>;

export function bodyHash(body: unknown): string {
  return createHash('sha256')
    .update(canonicalize(body as never), 'utf8')
    .digest('base64url');
}

/** Customer-care history categories (what a care agent may see of a partner's history). */
export const CARE_CATEGORIES: readonly DataCategory[] = ['care-history', 'orders'];

// ---- history requests (pull) -----------------------------------------------------------------

export interface HistoryRequestBody {
  /**
   * One entry per holder: the subject's tokens under the pseudonym key of their agreement, and the
   * `history-request` signed by the requester for that holder (the relay forwards it untouched;
   * holders refuse a pull without one).
   */
  requests: { holder: string; agreementId: string; subjectTokens: string[]; request?: string }[];
  /** Per-holder timeout in ms (default 3000, at most 10000). */
  timeoutMs?: number;
}

/** Forwarded by the federation to each holder (signed relay token). */
export interface NodeHistoryRequest {
  requestId: string;
  requester: string;
  agreementId: string;
  subjectTokens: string[];
  /** Categories for which the registry holds a live consent (the holder re-checks). */
  categories: DataCategory[];
  /** The requester's signed `history-request` for this holder (reason, agent), as the requester sent it. */
  historyRequest?: string;
}

export interface NodeHistoryAnswer {
  /** The share envelope, signed by the holder, addressed to the requester; null when nothing is shared. */
  envelope: string | null;
  /** Batched envelopes only: each record with its inclusion proof. */
  items?: BatchedRecord[];
  /** `recordsRoot` envelopes only: the salted records, a compact JWE for the requester (typ SALTED_RECORDS_JWE_TYP). */
  sealedRecords?: string;
}

export type HistoryResultStatus =
  | 'ok'
  | 'empty'
  | 'no-consent'
  | 'agreement-not-active'
  | 'not-member'
  | 'timeout'
  | 'unreachable'
  | 'refused';

export interface HistoryResult {
  holder: string;
  /** The federation's id of this one holder's request (its relay log and ledger name it). */
  requestId: string;
  agreementId: string;
  status: HistoryResultStatus;
  envelope?: string;
  items?: BatchedRecord[];
  sealedRecords?: string;
  error?: { code: string; message: string };
  durationMs: number;
}

export interface HistoryResponse {
  results: HistoryResult[];
  /** True when at least one holder could not answer (timeout, unreachable, refused). */
  partial: boolean;
}

// ---- envelopes (push) -------------------------------------------------------------------------

export interface EnvelopeRelayBody {
  envelope: string;
  items?: BatchedRecord[];
  /** `recordsRoot` envelopes: the salted records sealed for the recipient; the relay passes them on unread. */
  sealedRecords?: string;
}

export interface NodeEnvelopeAnswer {
  envelopeId: string;
  stored: number;
  /** True when the envelope id was already stored: nothing was stored again. */
  duplicate: boolean;
}

// ---- withdrawals (purge) ----------------------------------------------------------------------

export interface WithdrawalRelayBody {
  withdrawal: string;
}

export interface NodeWithdrawalAnswer {
  /** Purge receipt signed by the recipient, addressed to the controller and the federation. */
  receipt: string;
}

export interface WithdrawalResult {
  recipient: string;
  status: 'purged' | 'timeout' | 'unreachable' | 'refused';
  receipt?: string;
  error?: { code: string; message: string };
}

export interface WithdrawalRelayResponse {
  consentId: string;
  results: WithdrawalResult[];
}

// ---- consent status (receivers' check before storing) -----------------------------------------

export interface ConsentStatusBody {
  consentIds: string[];
  agreementId: string;
}

export interface ConsentStatusResponse {
  agreement: {
    agreementId: string;
    live: boolean;
    purposes: string[];
    categories: string[];
    retentionDays: number;
  };
  consents: {
    consentId: string;
    controller: string | null;
    /** Registered, not withdrawn, valid now, naming the requester as a recipient. */
    live: boolean;
    withdrawn: boolean;
    purposes: string[];
    categories: string[];
  }[];
}
