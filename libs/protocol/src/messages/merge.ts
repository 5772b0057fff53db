import { z } from 'zod';
import {
  audienceSchema,
  base64urlHashSchema,
  entityIdSchema,
  idSchema,
  numericDateSchema,
  registeredClaims,
} from './common.js';

/** Attributes a merge may be broken down by (coarse, and chosen by both parties). */
export const MERGE_BUCKET_ATTRIBUTES = ['country'] as const;
export type MergeBucketAttribute = (typeof MERGE_BUCKET_ATTRIBUTES)[number];
export const mergeBucketAttributeSchema = z.enum(MERGE_BUCKET_ATTRIBUTES);
/** At most 127 buckets per manifest (bits 1-7 of a record's flag byte). */
export const MAX_MERGE_BUCKETS = 127;
const bucketLabelSchema = z.string().regex(/^[A-Za-z0-9_-]{1,32}$/u, 'not a bucket label');

/**
 * Segment merge (docs/protocol.md, "Segment merge"): a partner proposes to merge one of its
 * segments with the other party's under an agreement, the other accepts naming its segment, each
 * sends a signed manifest header (its chunks of subject tokens travel next to it, bound by their
 * Merkle root), and the federation signs the result: counts with small cells suppressed, and the
 * hash of the list of consented shared tokens.
 */
export const mergeProposalSchema = z
  .strictObject({
    ...registeredClaims,
    aud: audienceSchema,
    mergeId: idSchema,
    agreementId: idSchema,
    /** The other party of the agreement, asked to accept. */
    partner: entityIdSchema,
    /** The proposer's segment (its own id, opaque to others). */
    segment: idSchema,
    /** Optional breakdown of the counts by this attribute (the acceptance must name it too). */
    bucketBy: mergeBucketAttributeSchema.optional(),
  })
  .refine((claims) => claims.partner !== claims.iss, { message: 'partner must differ', path: ['partner'] });

export const mergeAcceptanceSchema = z.strictObject({
  ...registeredClaims,
  aud: audienceSchema,
  mergeId: idSchema,
  agreementId: idSchema,
  /** jwsHash of the proposal accepted. */
  proposalHash: base64urlHashSchema,
  /** The accepting partner's segment. */
  segment: idSchema,
  /** The proposal's breakdown attribute, agreed to. */
  bucketBy: mergeBucketAttributeSchema.optional(),
});

/** Binary record layout of the chunks (libs/matching): token 32 ‖ member uint32 ‖ flags 1. */
export const MANIFEST_FORMAT = 'token32-member32-flags8';

export const mergeManifestSchema = z.strictObject({
  ...registeredClaims,
  aud: audienceSchema,
  mergeId: idSchema,
  agreementId: idSchema,
  segment: idSchema,
  format: z.literal(MANIFEST_FORMAT),
  chunkCount: z.int().min(1).max(100_000),
  /** Records (tokens) in all chunks. */
  total: z.int().min(1).max(20_000_000),
  /** Members (customers) in the segment that have at least one token. */
  members: z.int().min(1).max(20_000_000),
  /** base64url RFC 9162 Merkle root of the chunks (leaf = SHA-256(0x00 ‖ chunk bytes)). */
  root: base64urlHashSchema,
  /** With a breakdown: the labels of buckets 1 … n of the records' flag bytes (0 = unknown). */
  buckets: z
    .array(bucketLabelSchema)
    .max(MAX_MERGE_BUCKETS)
    .refine((labels) => new Set(labels).size === labels.length, 'duplicate bucket')
    .optional(),
});

const count = z.int().min(0).nullable();
const sideCellSchema = z.strictObject({
  /** The bucket's label; null = members whose attribute is unknown. */
  bucket: bucketLabelSchema.nullable(),
  count,
  intersection: count,
  only: count,
});

export const mergeResultSchema = z.strictObject({
  ...registeredClaims,
  aud: audienceSchema,
  mergeId: idSchema,
  agreementId: idSchema,
  /** [proposer, partner]: `a` counts are the proposer's segment, `b` the partner's. */
  parties: z.tuple([entityIdSchema, entityIdSchema]),
  minCohortSize: z.int().min(1),
  /** The manifests the result was computed from: jwsHash of each header, in parties order. */
  manifests: z.tuple([base64urlHashSchema, base64urlHashSchema]),
  /** People (not tokens); null = suppressed (below minCohortSize, or so that none can be derived). */
  counts: z.strictObject({
    a: count,
    b: count,
    intersection: count,
    union: count,
    aOnly: count,
    bOnly: count,
  }),
  /**
   * The member-level merge: shared tokens flagged by both sides and backed by a live consent in
   * the registry on both sides; `tokensHash` = base64url SHA-256 of their 32-byte values, sorted.
   */
  consented: z.strictObject({
    persons: z.int().min(0),
    tokens: z.int().min(0),
    tokensHash: base64urlHashSchema,
  }),
  /** Per side, people by that side's own attribute value; suppressed like the counts. */
  breakdown: z
    .strictObject({
      attribute: mergeBucketAttributeSchema,
      a: z.array(sideCellSchema),
      b: z.array(sideCellSchema),
    })
    .optional(),
  computedAt: numericDateSchema,
});

export type MergeProposal = z.infer<typeof mergeProposalSchema>;
export type MergeAcceptance = z.infer<typeof mergeAcceptanceSchema>;
export type MergeManifest = z.infer<typeof mergeManifestSchema>;
export type MergeResult = z.infer<typeof mergeResultSchema>;
