import type { z } from 'zod';
import { agreementSchema, agreementTransitionSchema } from './agreement.js';
import {
  consentCanonicalText,
  consentRegistrationCanonicalText,
  consentRegistrationSchema,
  consentSchema,
  consentWithdrawalSchema,
  fastConsent,
  fastConsentRegistration,
} from './consent.js';
import {
  federationKeyRotationSchema,
  keyRotationSchema,
  membershipApplicationSchema,
  membershipStatementSchema,
} from './membership.js';
import {
  mergeAcceptanceSchema,
  mergeManifestSchema,
  mergeProposalSchema,
  mergeResultSchema,
} from './merge.js';
import { historyRequestSchema } from './history-request.js';
import { purgeReceiptSchema, shareSchema } from './share.js';

/**
 * Every signed message kind, its `typ` header (RFC 8725 §3.11 explicit typing) and its claims
 * schema. The `typ` is checked before anything else, and the claims against the schema of that
 * kind only, so a message signed as one kind can never be accepted as another. A kind may add
 * `fast`, a hand-written twin of its schema (see fast-check.ts) tried before zod, and with it
 * `canonicalText`, which writes the RFC 8785 text of claims that `fast` accepted.
 */
export const MESSAGE_KINDS = {
  'membership-application': { typ: 'concordia-application+jwt', schema: membershipApplicationSchema },
  'membership-statement': { typ: 'concordia-membership+jwt', schema: membershipStatementSchema },
  'key-rotation': { typ: 'concordia-key-rotation+jwt', schema: keyRotationSchema },
  'federation-key-rotation': {
    typ: 'concordia-federation-key-rotation+jwt',
    schema: federationKeyRotationSchema,
  },
  agreement: { typ: 'concordia-agreement+jwt', schema: agreementSchema },
  'agreement-transition': { typ: 'concordia-agreement-transition+jwt', schema: agreementTransitionSchema },
  consent: {
    typ: 'concordia-consent+jwt',
    schema: consentSchema,
    fast: fastConsent,
    canonicalText: consentCanonicalText,
  },
  'consent-registration': {
    typ: 'concordia-consent-registration+jwt',
    schema: consentRegistrationSchema,
    fast: fastConsentRegistration,
    canonicalText: consentRegistrationCanonicalText,
  },
  'consent-withdrawal': { typ: 'concordia-consent-withdrawal+jwt', schema: consentWithdrawalSchema },
  share: { typ: 'concordia-share+jwt', schema: shareSchema },
  'history-request': { typ: 'concordia-history-request+jwt', schema: historyRequestSchema },
  'purge-receipt': { typ: 'concordia-purge-receipt+jwt', schema: purgeReceiptSchema },
  'merge-proposal': { typ: 'concordia-merge-proposal+jwt', schema: mergeProposalSchema },
  'merge-acceptance': { typ: 'concordia-merge-acceptance+jwt', schema: mergeAcceptanceSchema },
  'merge-manifest': { typ: 'concordia-merge-manifest+jwt', schema: mergeManifestSchema },
  'merge-result': { typ: 'concordia-merge-result+jwt', schema: mergeResultSchema },
} as const;

export type MessageKind = keyof typeof MESSAGE_KINDS;

export type MessageClaims<K extends MessageKind> = z.infer<(typeof MESSAGE_KINDS)[K]['schema']>;

/** Claims as given to signMessage: `iat` defaults to now and `jti` to a random UUID. */
export type MessageInput<K extends MessageKind> = Omit<MessageClaims<K>, 'iat' | 'jti'> & {
  iat?: number;
  jti?: string;
};

const KIND_BY_TYP = new Map<string, MessageKind>(
  Object.entries(MESSAGE_KINDS).map(([kind, { typ }]) => [typ, kind as MessageKind]),
);

export function messageKindOfTyp(typ: string): MessageKind | undefined {
  return KIND_BY_TYP.get(typ);
}
