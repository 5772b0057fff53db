import { z } from 'zod';
import { SUBJECT_KINDS } from '../subject-token.js';
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
import { collectionMethodSchema, dataCategorySchema, purposeSchema } from './vocabulary.js';

/**
 * Consent receipt (invariant 3), after ISO/IEC TS 27560 and the Kantara Consent Receipt: signed
 * by the partner that holds the customer (the controller, `iss`) and registered with the
 * federation. `iat` is when it was signed, `givenAt` when the customer agreed. The subject is
 * named only by pseudonyms (invariant 4); `keyId` names the pseudonym key (e.g. the agreement).
 */
export const consentSchema = z
  .strictObject({
    ...registeredClaims,
    aud: audienceSchema.optional(),
    consentId: idSchema,
    subjectTokens: z
      .array(
        z.strictObject({
          kind: z.enum(SUBJECT_KINDS),
          token: subjectTokenSchema,
          keyId: idSchema.optional(),
        }),
      )
      .min(1),
    /** The controller; equal to `iss`. */
    controller: entityIdSchema,
    purposes: z.array(purposeSchema).min(1).refine(distinct, 'duplicate purpose'),
    categories: z.array(dataCategorySchema).min(1).refine(distinct, 'duplicate category'),
    recipients: z.array(entityIdSchema).min(1).refine(distinct, 'duplicate recipient'),
    givenAt: numericDateSchema,
    validFrom: numericDateSchema,
    validUntil: numericDateSchema,
    collectionMethod: collectionMethodSchema,
    notice: z.strictObject({
      id: idSchema,
      version: z.string().min(1).max(64),
      /** base64url SHA-256 of the notice text the customer was shown. */
      contentHash: base64urlHashSchema,
    }),
    /** ISO 3166-1 alpha-2, optionally with an ISO 3166-2 subdivision ("FR", "US-CA"). */
    jurisdiction: z.string().regex(/^[A-Z]{2}(?:-[A-Z0-9]{1,3})?$/u),
    /** BCP 47 language tag of the notice ("fr", "fr-FR"). */
    language: z.string().regex(/^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/u),
  })
  .refine((claims) => claims.controller === claims.iss, {
    message: 'controller must be the issuer',
    path: ['controller'],
  })
  .refine((claims) => claims.validUntil > claims.validFrom, {
    message: 'empty validity',
    path: ['validUntil'],
  })
  .refine((claims) => !claims.recipients.includes(claims.iss), {
    message: 'controller is not a recipient',
    path: ['recipients'],
  });

/** Withdrawal: as easy as giving; signed by the same controller, naming the consent. */
export const consentWithdrawalSchema = z.strictObject({
  ...registeredClaims,
  aud: audienceSchema.optional(),
  consentId: idSchema,
  withdrawnAt: numericDateSchema,
});

export type Consent = z.infer<typeof consentSchema>;
export type ConsentWithdrawal = z.infer<typeof consentWithdrawalSchema>;
