import type { CollectionMethod as ProtocolCollectionMethod, MessageInput } from '#protocol';
import { toProtocolCategories, toProtocolPurposes } from '../agreements/agreement.enums.js';
import type { PrivacyNotice } from '../privacy-notices/privacy-notice.entity.js';
import { RegistrationStatus, type Consent, type StoredSubjectToken } from './consent.entity.js';
import type { GiveConsentInput } from './consents.dto.js';

/** A consent checked and about to be signed: what both the interactive and the bulk path hold. */
export interface CheckedConsent {
  partnerId: string;
  federationId: string;
  consentId: string;
  input: GiveConsentInput;
  subjectTokens: StoredSubjectToken[];
  agreementIds: string[];
  notice: PrivacyNotice;
  language: string;
  /** NumericDates. */
  now: number;
  givenAt: number;
  validFrom: number;
  validUntil: number;
}

/** The claims of the consent's receipt (signed by this node, kept here). */
export function receiptClaims(c: CheckedConsent): MessageInput<'consent'> {
  return {
    iss: c.partnerId,
    aud: c.federationId,
    iat: c.now,
    // The receipt is verifiable as long as it is valid.
    exp: c.validUntil,
    consentId: c.consentId,
    subjectTokens: c.subjectTokens,
    controller: c.partnerId,
    purposes: toProtocolPurposes(c.input.purposes),
    categories: toProtocolCategories(c.input.categories),
    recipients: c.input.recipients,
    givenAt: c.givenAt,
    validFrom: c.validFrom,
    validUntil: c.validUntil,
    collectionMethod: c.input.collectionMethod as unknown as ProtocolCollectionMethod,
    notice: { id: c.notice.id, version: c.notice.version, contentHash: c.notice.contentHash as string },
    jurisdiction: c.input.jurisdiction,
    language: c.language,
  };
}

/** The consent's row, with its signed receipt, before its registrations leave. */
export function consentRow(
  c: CheckedConsent,
  receipt: { jws: string; kid: string },
  capturedBy: string | null,
): Partial<Consent> {
  return {
    id: c.consentId,
    customerId: c.input.customerId,
    purposes: c.input.purposes,
    categories: c.input.categories,
    recipients: c.input.recipients,
    agreementIds: c.agreementIds,
    givenAt: new Date(c.givenAt * 1000),
    validFrom: new Date(c.validFrom * 1000),
    validUntil: new Date(c.validUntil * 1000),
    collectionMethod: c.input.collectionMethod,
    privacyNoticeId: c.notice.id,
    noticeVersion: c.notice.version,
    noticeContentHash: c.notice.contentHash as string,
    language: c.language,
    jurisdiction: c.input.jurisdiction,
    subjectTokens: c.subjectTokens,
    receiptJws: receipt.jws,
    receiptKid: receipt.kid,
    registrationStatus: RegistrationStatus.PENDING_REGISTRATION,
    registeredAt: null,
    capturedBy,
  };
}

/**
 * What the customer needs to verify the receipt without trusting this node (exportConsentReceipt):
 * the receipt (and withdrawal) JWS, this node's JWKS (retired keys included), the federation's
 * membership statement binding this node to those keys, the federation's keys, and the notice.
 */
export function receiptDocument(source: {
  consent: Consent;
  controller: string;
  controllerJwks: unknown;
  notice: PrivacyNotice;
  membership: {
    membershipStatement?: string | null;
    federationId: string;
    federationUrl: string;
    federationJwks: unknown;
  } | null;
}): string {
  const { consent, controller, controllerJwks, notice, membership } = source;
  const document = {
    format: 'concordia-consent-receipt/v1',
    consentId: consent.id,
    controller,
    receipt: consent.receiptJws,
    withdrawal: consent.withdrawalJws,
    controllerJwks,
    membershipStatement: membership?.membershipStatement ?? null,
    federation: membership
      ? { id: membership.federationId, url: membership.federationUrl, jwks: membership.federationJwks }
      : null,
    notice: {
      id: notice.id,
      noticeKey: notice.noticeKey,
      version: notice.version,
      language: notice.language,
      title: notice.title,
      body: notice.body,
      publishedAt: notice.publishedAt?.toISOString() ?? null,
      contentHash: notice.contentHash,
    },
    howToVerify: [
      'receipt: an EdDSA compact JWS (typ concordia-consent+jwt); its header kid names a key of controllerJwks',
      "membershipStatement: a JWS (typ concordia-membership+jwt) signed with a key of federation.jwks; its sub is the controller and its jwks lists the controller's current keys",
      'notice.contentHash: base64url SHA-256 of the RFC 8785 canonical JSON {"body","language","title","version"} of the notice; the receipt names it',
      'withdrawal (if any): a JWS (typ concordia-consent-withdrawal+jwt) signed by the controller, naming the consentId',
    ],
  };
  return JSON.stringify(document);
}
