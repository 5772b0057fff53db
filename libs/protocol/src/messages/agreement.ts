import { z } from 'zod';
import {
  audienceSchema,
  base64urlHashSchema,
  distinct,
  entityIdSchema,
  idSchema,
  numericDateSchema,
  registeredClaims,
} from './common.js';
import {
  AGREEMENT_DIRECTIONS,
  AGREEMENT_STATES,
  dataCategorySchema,
  isAllowedAgreementTransition,
  purposeSchema,
} from './vocabulary.js';
import { mergeBucketAttributeSchema } from './merge.js';

/**
 * A sharing agreement between two partners. The agreement message is the proposal, signed by the
 * proposer; every later state change is an agreement transition signed by the party that makes it
 * and bound to the exact terms by `agreementHash` (base64url SHA-256 of the agreement JWS).
 */
export const agreementSchema = z
  .strictObject({
    ...registeredClaims,
    aud: audienceSchema,
    agreementId: idSchema,
    /** Revision of the terms, starting at 1; a change of terms is a new proposal. */
    version: z.int().min(1),
    parties: z.tuple([entityIdSchema, entityIdSchema]),
    direction: z.enum(AGREEMENT_DIRECTIONS),
    purposes: z.array(purposeSchema).min(1).refine(distinct, 'duplicate purpose'),
    categories: z.array(dataCategorySchema).min(1).refine(distinct, 'duplicate category'),
    retentionDays: z.int().min(1).max(3650),
    /** Overlap counts below it are suppressed (invariant 6). */
    minCohortSize: z.int().min(1),
    /** Attributes a segment merge under this agreement may break its counts down by (none when absent). */
    mergeBuckets: z
      .array(mergeBucketAttributeSchema)
      .min(1)
      .refine(distinct, 'duplicate attribute')
      .optional(),
    validFrom: numericDateSchema,
    validUntil: numericDateSchema,
  })
  .refine((claims) => claims.parties[0] !== claims.parties[1], {
    message: 'parties must differ',
    path: ['parties'],
  })
  .refine((claims) => claims.parties.includes(claims.iss), {
    message: 'the proposer is a party',
    path: ['iss'],
  })
  .refine((claims) => claims.validUntil > claims.validFrom, {
    message: 'empty validity',
    path: ['validUntil'],
  });

export const agreementTransitionSchema = z
  .strictObject({
    ...registeredClaims,
    aud: audienceSchema,
    agreementId: idSchema,
    version: z.int().min(1),
    agreementHash: base64urlHashSchema,
    from: z.enum(AGREEMENT_STATES),
    to: z.enum(AGREEMENT_STATES),
    reason: z.string().max(500).optional(),
  })
  .refine((claims) => isAllowedAgreementTransition(claims.from, claims.to), {
    message: 'transition not allowed',
    path: ['to'],
  });

export type Agreement = z.infer<typeof agreementSchema>;
export type AgreementTransition = z.infer<typeof agreementTransitionSchema>;
