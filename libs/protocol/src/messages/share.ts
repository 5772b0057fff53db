import { randomBytes } from 'node:crypto';
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

/** 16 random bytes, base64url: blinds a record's leaf hash so that a small record cannot be guessed from it. */
export const RECORD_SALT = /^[A-Za-z0-9_-]{22}$/u;

/** The `typ` of the JWE that carries the salted records of a `recordsRoot` envelope to its recipient. */
export const SALTED_RECORDS_JWE_TYP = 'concordia-salted-records+jwe';

/** A record of a committed envelope with its salt; the leaf is SHA-256(0x00 ‖ JCS({record, salt})). */
export const saltedRecordSchema = z.strictObject({
  record: shareRecordSchema,
  salt: z.string().regex(RECORD_SALT, 'not a 16-byte base64url salt'),
});

/** The signed commitment to the records of an envelope: leaf count and RFC 9162 root (base64url). */
export const recordsRootSchema = z.strictObject({ size: z.int().min(1), root: base64urlHashSchema });

const COMPACT_JWE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/u;

/**
 * Share envelope (invariant 1): signed by the origin partner for one recipient (`aud`), naming the
 * purpose, the agreement and the consents that allow it. The records travel in exactly one way:
 * - `records`: in clear inside the signed payload;
 * - `encryptedRecords`: a compact JWE of the JSON array of records, for the recipient's X25519
 *   key, so the relay cannot read them;
 * - `batch`: one signature over the Merkle root of many records (leaf = canonical record); each
 *   record then travels with its inclusion proof (see createShareBatch / verifyBatchedRecord);
 * - `recordsRoot`: the Merkle root over salted per-record leaf hashes; the records travel beside the
 *   envelope, sealed for the recipient (see commitRecords / openCommittedRecords). The signature
 *   then covers no record at all, so a recipient can keep the envelope as proof of receipt after it
 *   deleted the records, and its leaf hashes still match the signed root.
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
    recordsRoot: recordsRootSchema.optional(),
    /** A pull answer: the `jti` of the signed history request it answers. */
    inResponseTo: idSchema.optional(),
  })
  .refine(
    (claims) =>
      [claims.records, claims.encryptedRecords, claims.batch, claims.recordsRoot].filter(
        (way) => way !== undefined,
      ).length === 1,
    { message: 'exactly one of records, encryptedRecords, batch, recordsRoot' },
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
export type SaltedRecord = z.infer<typeof saltedRecordSchema>;
export type RecordsRoot = z.infer<typeof recordsRootSchema>;

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

/** The leaf hash of a salted record: SHA-256(0x00 ‖ JCS({record, salt})). */
export function saltedLeafHash(item: SaltedRecord): Uint8Array {
  return canonicalLeafHash({ record: item.record, salt: item.salt });
}

/** The `recordsRoot` of leaf hashes (base64url, in leaf order); MALFORMED when one is not a hash. */
export function recordsRootOf(leafHashes: readonly string[]): RecordsRoot {
  if (leafHashes.length === 0) throw new ProtocolError('MALFORMED', 'a commitment needs at least one record');
  const leaves = leafHashes.map((hash, i) => {
    const bytes = typeof hash === 'string' ? fromBase64url(hash, `record hash ${i}`) : undefined;
    if (bytes?.length !== 32) throw new ProtocolError('MALFORMED', `record hash ${i} is not a SHA-256 hash`);
    return bytes;
  });
  return { size: leaves.length, root: toBase64url(merkleRoot(leaves)) };
}

/**
 * Commits to records for a `recordsRoot` envelope: each record gets a fresh random salt (so that
 * its leaf hash reveals nothing even when the record is small), the root is signed in the
 * envelope, and the salted records travel beside it (sealed for the recipient).
 */
export function commitRecords(
  records: readonly ShareRecord[],
  salt: () => string = () => toBase64url(randomBytes(16)),
): { recordsRoot: RecordsRoot; items: SaltedRecord[]; leafHashes: string[] } {
  const items = records.map((record) => ({ record, salt: salt() }));
  const leafHashes = items.map((item) => toBase64url(saltedLeafHash(item)));
  return { recordsRoot: recordsRootOf(leafHashes), items, leafHashes };
}

/** Checks leaf hashes (e.g. those a ledger kept after the records were purged) against a signed root. */
export function checkRecordHashes(recordsRoot: RecordsRoot, leafHashes: readonly string[]): void {
  const computed = recordsRootOf(leafHashes);
  if (computed.size !== recordsRoot.size) {
    throw new ProtocolError(
      'PROOF_INVALID',
      `${computed.size} record hashes where the envelope commits to ${recordsRoot.size}`,
    );
  }
  if (computed.root !== recordsRoot.root)
    throw new ProtocolError('PROOF_INVALID', 'the record hashes do not match the signed records root');
}

/**
 * Opens the salted records that travelled beside a verified `recordsRoot` envelope: every one well
 * formed, all of them (in order) hashing to the signed root, each within the envelope's consents
 * and categories. Returns the records and their leaf hashes (what the recipient keeps as evidence).
 */
export function openCommittedRecords(
  envelope: Share,
  items: unknown,
): { records: ShareRecord[]; leafHashes: string[] } {
  if (!envelope.recordsRoot) throw new ProtocolError('MALFORMED', 'the envelope commits to no records root');
  const parsed = z.array(saltedRecordSchema).min(1).safeParse(items);
  if (!parsed.success)
    throw new ProtocolError('INVALID_CLAIMS', `salted records: ${z.prettifyError(parsed.error)}`);
  const leafHashes = parsed.data.map((item) => toBase64url(saltedLeafHash(item)));
  checkRecordHashes(envelope.recordsRoot, leafHashes);
  const records = parsed.data.map((item) => item.record);
  for (const record of records) {
    if (!envelope.consentIds.includes(record.consentId) || !envelope.categories.includes(record.category)) {
      throw new ProtocolError(
        'INVALID_CLAIMS',
        'record is outside the consents or categories of its envelope',
      );
    }
  }
  return { records, leafHashes };
}
