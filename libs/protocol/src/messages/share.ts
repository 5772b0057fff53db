import { z } from 'zod';
import { fromBase64url, toBase64url } from '../encoding.js';
import { ProtocolError } from '../errors.js';
import {
  canonicalLeafHash,
  inclusionProof,
  memoizedHashSource,
  merkleRoot,
  verifyInclusion,
} from '../merkle.js';
import {
  audienceSchema,
  base64urlHashSchema,
  distinct,
  entityIdSchema,
  idSchema,
  numericDateSchema,
  registeredClaims,
  subjectTokenSchema,
} from './common.js';
import { dataCategorySchema, purposeSchema } from './vocabulary.js';

/** One shared record; it names its own consent so that batches may span many customers. */
export const shareRecordSchema = z.strictObject({
  recordId: idSchema,
  consentId: idSchema,
  subjectToken: subjectTokenSchema,
  category: dataCategorySchema,
  data: z.record(z.string(), z.json()),
});

const COMPACT_JWE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/u;

/**
 * Share envelope (invariant 1): signed by the origin partner for one recipient (`aud`), naming the
 * purpose, the agreement and the consents that allow it. The records travel in exactly one way:
 * - `records`: in clear inside the signed payload;
 * - `encryptedRecords`: a compact JWE of the JSON array of records, for the recipient's X25519
 *   key, so the relay cannot read them;
 * - `batch`: one signature over the Merkle root of many records (leaf = canonical record); each
 *   record then travels with its inclusion proof (see createShareBatch / verifyBatchedRecord).
 */
export const shareSchema = z
  .strictObject({
    ...registeredClaims,
    aud: entityIdSchema,
    purpose: purposeSchema,
    agreementId: idSchema,
    consentIds: z.array(idSchema).min(1).refine(distinct, 'duplicate consent'),
    categories: z.array(dataCategorySchema).min(1).refine(distinct, 'duplicate category'),
    records: z.array(shareRecordSchema).min(1).optional(),
    encryptedRecords: z.string().regex(COMPACT_JWE, 'not a compact JWE').optional(),
    batch: z.strictObject({ size: z.int().min(1), root: base64urlHashSchema }).optional(),
  })
  .refine(
    (claims) =>
      [claims.records, claims.encryptedRecords, claims.batch].filter((way) => way !== undefined).length === 1,
    { message: 'exactly one of records, encryptedRecords, batch' },
  )
  .refine(
    (claims) =>
      (claims.records ?? []).every(
        (record) =>
          claims.consentIds.includes(record.consentId) && claims.categories.includes(record.category),
      ),
    { message: 'a record is outside the consents or categories of its envelope', path: ['records'] },
  );

/** Purge receipt (invariant 3): the recipient's signed word that it deleted its copies. */
export const purgeReceiptSchema = z.strictObject({
  ...registeredClaims,
  /** The origin partner (and/or the federation) asking for the purge. */
  aud: audienceSchema,
  consentId: idSchema,
  /** The `jti` of the consent withdrawal that triggered the purge, when there was one. */
  withdrawalId: idSchema.optional(),
  /** The share envelopes whose records were purged. */
  envelopeIds: z.array(idSchema).optional(),
  recordsPurged: z.int().min(0),
  purgedAt: numericDateSchema,
});

export type ShareRecord = z.infer<typeof shareRecordSchema>;
export type Share = z.infer<typeof shareSchema>;
export type PurgeReceipt = z.infer<typeof purgeReceiptSchema>;

export interface BatchedRecord {
  record: ShareRecord;
  index: number;
  /** Inclusion proof, base64url hashes, deepest first. */
  proof: string[];
}

export interface ShareBatch {
  batch: { size: number; root: string };
  items: BatchedRecord[];
}

/** Builds the Merkle batch of records: the `batch` claim to sign once, and one item per record. */
export function createShareBatch(records: readonly ShareRecord[]): ShareBatch {
  if (records.length === 0) throw new ProtocolError('MALFORMED', 'a batch needs at least one record');
  const leaves = records.map((record) => canonicalLeafHash(record));
  const source = memoizedHashSource(leaves);
  const root = merkleRoot(source, leaves.length);
  return {
    batch: { size: leaves.length, root: toBase64url(root) },
    items: records.map((record, index) => ({
      record,
      index,
      proof: inclusionProof(source, index, leaves.length).map(toBase64url),
    })),
  };
}

/**
 * Checks one record of a verified batched envelope: its inclusion under the signed root, and that
 * its consent and category are among those the envelope names. Returns the validated record.
 */
export function verifyBatchedRecord(envelope: Share, item: BatchedRecord): ShareRecord {
  if (!envelope.batch) throw new ProtocolError('MALFORMED', 'the envelope is not a batch');
  const parsed = shareRecordSchema.safeParse(item?.record);
  if (!parsed.success) throw new ProtocolError('INVALID_CLAIMS', `record: ${z.prettifyError(parsed.error)}`);
  if (!Array.isArray(item.proof)) throw new ProtocolError('MALFORMED', 'proof must be an array');
  const proof = item.proof.map((hash) => fromBase64url(hash, 'proof hash'));
  verifyInclusion(
    canonicalLeafHash(item.record),
    item.index,
    envelope.batch.size,
    proof,
    fromBase64url(envelope.batch.root, 'batch root'),
  );
  const record = parsed.data;
  if (!envelope.consentIds.includes(record.consentId) || !envelope.categories.includes(record.category)) {
    throw new ProtocolError('INVALID_CLAIMS', 'record is outside the consents or categories of its envelope');
  }
  return record;
}
