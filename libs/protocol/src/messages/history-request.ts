import { createHash } from 'node:crypto';
import { z } from 'zod';
import { toBase64url } from '../encoding.js';
import {
  base64urlHashSchema,
  distinct,
  entityIdSchema,
  idSchema,
  numericDateSchema,
  registeredClaims,
  subjectTokenSchema,
} from './common.js';
import { dataCategorySchema, purposeSchema } from './vocabulary.js';

/** The longest life (exp − iat) of a history request: it is answered within seconds or not at all. */
export const HISTORY_REQUEST_MAX_TTL_SECONDS = 300;

/** What the requester's care relationship with the customer is: one of its care cases or interactions. */
export const relationshipKindSchema = z.enum(['care-case', 'interaction']);

/**
 * History request (a pull): signed by the requesting node for one holder (`aud`), it ties the pull
 * to a real relationship at the requester and to the agent who asks, without personal data:
 * - `relationship.ref`: a salted hash of the local care case or interaction id (the requester can
 *   open it later, the holder cannot guess it);
 * - `agent`: an opaque, per-agreement stable hash of the requesting user (the holder rate-limits by it);
 * - `relationshipStartedAt` / `customerCreatedAt`: when that case or interaction and the customer
 *   were created at the requester, so the holder can notice a customer created just before the pull.
 * The holder answers with an envelope whose `inResponseTo` is this request's `jti`.
 */
export const historyRequestSchema = z
  .strictObject({
    ...registeredClaims,
    aud: entityIdSchema,
    agreementId: idSchema,
    purpose: purposeSchema,
    subjectTokens: z.array(subjectTokenSchema).min(1).max(20).refine(distinct, 'duplicate subject token'),
    categories: z.array(dataCategorySchema).min(1).refine(distinct, 'duplicate category'),
    relationship: z.strictObject({ kind: relationshipKindSchema, ref: base64urlHashSchema }),
    agent: base64urlHashSchema,
    relationshipStartedAt: numericDateSchema,
    customerCreatedAt: numericDateSchema,
  })
  .refine((claims) => claims.exp > claims.iat, { message: 'exp must be after iat', path: ['exp'] })
  .refine((claims) => claims.exp - claims.iat <= HISTORY_REQUEST_MAX_TTL_SECONDS, {
    message: `a history request lives at most ${HISTORY_REQUEST_MAX_TTL_SECONDS} s`,
    path: ['exp'],
  })
  .refine((claims) => claims.customerCreatedAt <= claims.iat && claims.relationshipStartedAt <= claims.iat, {
    message: 'the customer and the relationship must exist before the request',
    path: ['relationshipStartedAt'],
  });

export type HistoryRequest = z.infer<typeof historyRequestSchema>;
export type RelationshipKind = z.infer<typeof relationshipKindSchema>;

function taggedHash(...parts: string[]): string {
  return toBase64url(createHash('sha256').update(parts.join('\u0000'), 'utf8').digest());
}

/**
 * The `relationship.ref` of a history request: SHA-256 of the request's jti and the local id of the
 * care case or interaction. Salted by the jti, it differs at every pull (the holder cannot link
 * pulls by it); the requester, which keeps both, can show which relationship a pull named.
 */
export function relationshipRef(requestId: string, localId: string): string {
  return taggedHash('concordia-relationship', requestId, localId);
}

/**
 * The `agent` of a history request: SHA-256 of the agreement id and the requester's local user id.
 * Stable for one agent under one agreement (the holder rate-limits and correlates by it), different
 * under another agreement, and no personal data.
 */
export function agentRef(agreementId: string, userId: string): string {
  return taggedHash('concordia-agent', agreementId, userId);
}
