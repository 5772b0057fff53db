// Test-only sample claims of every message kind (excluded from the build).
import { createJwks, generateAgreementKeyPair, generateSigningKeyPair } from '../keys.js';
import type { MessageInput, MessageKind } from '../messages/kinds.js';

export const NOW = 1_760_000_000;
export const DAY = 86_400;
const TOKEN = 'x'.repeat(43);

export const federation = generateSigningKeyPair();
export const alice = generateSigningKeyPair();
export const aliceEncryption = generateAgreementKeyPair();
export const bob = generateSigningKeyPair();
export const bobEncryption = generateAgreementKeyPair();

export function sampleClaims(): { [K in MessageKind]: MessageInput<K> } {
  return {
    'membership-application': {
      iss: 'alice-bank',
      sub: 'alice-bank',
      aud: 'federation',
      iat: NOW,
      exp: NOW + DAY,
      name: 'Alice Bank',
      endpoint: 'https://alice.example/concordia',
      jwks: createJwks([alice.publicJwk, aliceEncryption.publicJwk]),
    },
    'membership-statement': {
      iss: 'federation',
      sub: 'alice-bank',
      iat: NOW,
      exp: NOW + DAY,
      name: 'Alice Bank',
      endpoint: 'https://alice.example/concordia',
      status: 'active',
      jwks: createJwks([alice.publicJwk, aliceEncryption.publicJwk]),
    },
    'federation-key-rotation': {
      iss: 'federation',
      sub: 'federation',
      iat: NOW,
      exp: NOW + DAY,
      jwk: generateSigningKeyPair().publicJwk,
      previousKid: federation.kid,
      activatesAt: NOW + 3600,
    },
    'key-rotation': {
      iss: 'alice-bank',
      aud: 'federation',
      iat: NOW,
      exp: NOW + DAY,
      jwks: createJwks([generateSigningKeyPair().publicJwk, aliceEncryption.publicJwk]),
    },
    agreement: {
      iss: 'alice-bank',
      aud: ['bob-shop', 'federation'],
      iat: NOW,
      exp: NOW + 30 * DAY,
      agreementId: 'agreement-0001',
      version: 1,
      parties: ['alice-bank', 'bob-shop'],
      direction: 'mutual',
      purposes: ['customer-care', 'marketing'],
      categories: ['contact', 'care-history'],
      retentionDays: 365,
      minCohortSize: 10,
      validFrom: NOW,
      validUntil: NOW + 365 * DAY,
    },
    'agreement-transition': {
      iss: 'bob-shop',
      aud: ['alice-bank', 'federation'],
      iat: NOW,
      exp: NOW + DAY,
      agreementId: 'agreement-0001',
      version: 1,
      agreementHash: TOKEN,
      from: 'proposed',
      to: 'accepted',
    },
    consent: {
      iss: 'alice-bank',
      aud: 'federation',
      iat: NOW,
      exp: NOW + 365 * DAY,
      consentId: 'consent-0001',
      subjectTokens: [{ kind: 'email', token: TOKEN, keyId: 'agreement-0001' }],
      controller: 'alice-bank',
      purposes: ['customer-care'],
      categories: ['contact', 'care-history'],
      recipients: ['bob-shop'],
      givenAt: NOW - 60,
      validFrom: NOW,
      validUntil: NOW + 365 * DAY,
      collectionMethod: 'web_form',
      notice: { id: 'privacy-notice', version: '2025-06', contentHash: TOKEN },
      jurisdiction: 'FR',
      language: 'fr-FR',
    },
    'consent-withdrawal': {
      iss: 'alice-bank',
      aud: ['federation', 'bob-shop'],
      iat: NOW,
      exp: NOW + 30 * DAY,
      consentId: 'consent-0001',
      withdrawnAt: NOW,
    },
    share: {
      iss: 'alice-bank',
      aud: 'bob-shop',
      iat: NOW,
      exp: NOW + 600,
      purpose: 'customer-care',
      agreementId: 'agreement-0001',
      consentIds: ['consent-0001'],
      categories: ['care-history'],
      records: [
        {
          recordId: 'case-000042',
          consentId: 'consent-0001',
          subjectToken: TOKEN,
          category: 'care-history',
          data: { opened: '2025-05-02', channel: 'phone', satisfaction: 4 },
        },
      ],
    },
    'purge-receipt': {
      iss: 'bob-shop',
      aud: ['alice-bank', 'federation'],
      iat: NOW,
      exp: NOW + 30 * DAY,
      consentId: 'consent-0001',
      withdrawalId: 'withdrawal-0001',
      envelopeIds: ['share-0000001'],
      recordsPurged: 3,
      purgedAt: NOW,
    },
  };
}
