import { z } from 'zod';

/**
 * The relay's HTTP bodies, spoken by the federation (which validates them) and the partner nodes
 * (which send them, and validate the relayed requests they answer). Protocol bodies travel as
 * `application/concordia+json`, which the applications' JSON parsers (100 kB limit) leave alone: a
 * batch of encrypted records is bigger than that; handlers read them with `readJsonBody`
 * (#platform/http/json-body) and these schemas.
 */
export const RELAY_CONTENT_TYPE = 'application/concordia+json';
export const MAX_RELAY_BODY_BYTES = 64 * 1024 * 1024;
/** The relay's routes: left alone by the body parsers (their handlers check the caller first). */
export const RELAY_PATH_PREFIX = '/federation/v1/relay/';

const token = z.string().regex(/^[A-Za-z0-9_-]{43}$/u);
const entityId = z.string().regex(/^[a-z0-9](?:[a-z0-9._-]{0,126}[a-z0-9])?$/u);
const id = z.string().regex(/^[A-Za-z0-9._:-]{8,128}$/u);
const jws = z.string().min(1).max(MAX_RELAY_BODY_BYTES);
const batchedItem = z.object({ record: z.unknown(), index: z.int().min(0), proof: z.array(z.string()) });

export const historyRequestBodySchema = z.strictObject({
  requests: z
    .array(
      z.strictObject({
        holder: entityId,
        agreementId: id,
        subjectTokens: z.array(token).min(1).max(20),
        request: jws.optional(),
      }),
    )
    .min(1)
    .max(50),
  timeoutMs: z.int().min(100).max(10_000).optional(),
});

export const envelopeRelayBodySchema = z.strictObject({
  envelope: jws,
  items: z.array(batchedItem).optional(),
  sealedRecords: jws.optional(),
});

export const withdrawalRelayBodySchema = z.strictObject({ withdrawal: jws });

export const consentStatusBodySchema = z.strictObject({
  consentIds: z.array(id).min(1).max(10_000),
  agreementId: id,
});

export const nodeHistoryRequestSchema = z.strictObject({
  requestId: z.string().min(1).max(128),
  requester: entityId,
  agreementId: id,
  subjectTokens: z.array(token).min(1).max(20),
  categories: z.array(z.enum(['contact', 'orders', 'care-history', 'segment-membership'])).min(1),
  historyRequest: jws.optional(),
});

/** How relay bodies are read (`readJsonBody(req, schema, RELAY_BODY)`): their type and size limit. */
export const RELAY_BODY = { limit: MAX_RELAY_BODY_BYTES, contentType: RELAY_CONTENT_TYPE } as const;
