import { z } from 'zod';
import { canonicalString } from '../jcs.js';
import { SUBJECT_KINDS } from '../subject-token.js';
import {
  audienceSchema,
  BASE64URL_HASH,
  base64urlHashSchema,
  distinct,
  entityIdSchema,
  idSchema,
  numericDateSchema,
  registeredClaims,
  subjectTokenSchema,
} from './common.js';
import {
  copyArray,
  copyAudience,
  isAbsent,
  isEntityId,
  isId,
  isNumericDate,
  isString,
  oneOf,
  plainStrictObject,
} from './fast-check.js';
import {
  COLLECTION_METHODS,
  collectionMethodSchema,
  DATA_CATEGORIES,
  dataCategorySchema,
  PURPOSES,
  purposeSchema,
} from './vocabulary.js';

const JURISDICTION = /^[A-Z]{2}(?:-[A-Z0-9]{1,3})?$/u;
const LANGUAGE = /^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/u;

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
    jurisdiction: z.string().regex(JURISDICTION),
    /** BCP 47 language tag of the notice ("fr", "fr-FR"). */
    language: z.string().regex(LANGUAGE),
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

// The members of each schema, written out (not read from the schema) so that a member added
// there and not here makes the fast path defer or fail its differential test, never skip a check.
const REGISTERED_KEYS = ['iss', 'iat', 'nbf', 'exp', 'jti', 'aud'];
const CONSENT_KEYS = new Set([
  ...REGISTERED_KEYS,
  'consentId',
  'subjectTokens',
  'controller',
  'purposes',
  'categories',
  'recipients',
  'givenAt',
  'validFrom',
  'validUntil',
  'collectionMethod',
  'notice',
  'jurisdiction',
  'language',
]);
const SUBJECT_TOKEN_KEYS = new Set(['kind', 'token', 'keyId']);
const NOTICE_KEYS = new Set(['id', 'version', 'contentHash']);
const isSubjectKind = oneOf(SUBJECT_KINDS);
const isPurpose = oneOf(PURPOSES);
const isCategory = oneOf(DATA_CATEGORIES);
const isCollectionMethod = oneOf(COLLECTION_METHODS);

type SubjectTokenClaim = Consent['subjectTokens'][number];

function copySubjectToken(value: unknown): SubjectTokenClaim | undefined {
  const entry = plainStrictObject(value, SUBJECT_TOKEN_KEYS);
  if (entry === undefined) return undefined;
  const { kind, token, keyId } = entry;
  if (!isSubjectKind(kind) || !isString(token, BASE64URL_HASH)) return undefined;
  if (isAbsent(entry, 'keyId', keyId)) return { kind, token };
  return isId(keyId) ? { kind, token, keyId } : undefined;
}

function copySubjectTokens(value: unknown): SubjectTokenClaim[] | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  const copy = new Array<SubjectTokenClaim>(value.length);
  for (let i = 0; i < value.length; i++) {
    const entry = copySubjectToken(value[i]);
    if (entry === undefined) return undefined;
    copy[i] = entry;
  }
  return copy;
}

function copyNotice(value: unknown): Consent['notice'] | undefined {
  const notice = plainStrictObject(value, NOTICE_KEYS);
  if (notice === undefined) return undefined;
  const { id, version, contentHash } = notice;
  if (!isId(id) || typeof version !== 'string' || version.length < 1 || version.length > 64) return undefined;
  return isString(contentHash, BASE64URL_HASH) ? { id, version, contentHash } : undefined;
}

/** The registered claims, as zod outputs them (optional ones only when given); undefined: ask zod. */
interface Registered {
  iss: string;
  iat: number;
  nbf?: number;
  exp: number;
  jti: string;
  aud?: string | string[];
}

function copyRegistered(claims: Record<string, unknown>): Registered | undefined {
  const { iss, iat, nbf, exp, jti, aud } = claims;
  if (!isEntityId(iss) || !isNumericDate(iat) || !isNumericDate(exp) || !isId(jti)) return undefined;
  const noNbf = isAbsent(claims, 'nbf', nbf);
  if (!noNbf && !isNumericDate(nbf)) return undefined;
  const noAud = isAbsent(claims, 'aud', aud);
  const audience = noAud ? undefined : copyAudience(aud);
  if (!noAud && audience === undefined) return undefined;
  // Built member by member: object spreads (of conditional literals, then of this object into the
  // message's) took most of a validation's time (8.5 µs of 9 for a registration).
  const registered: Registered = { iss, iat } as Registered;
  if (!noNbf) registered.nbf = nbf as number;
  registered.exp = exp;
  registered.jti = jti;
  if (!noAud) registered.aud = audience;
  return registered;
}

/** The canonical text of subject tokens whose members all passed plain-ASCII patterns. */
function subjectTokensText(tokens: readonly SubjectTokenClaim[]): string {
  let text = '[';
  for (let i = 0; i < tokens.length; i++) {
    const { kind, token, keyId } = tokens[i] as SubjectTokenClaim;
    if (i > 0) text += ',';
    text += keyId === undefined ? '{' : `{"keyId":"${keyId}",`;
    text += `"kind":"${kind}","token":"${token}"}`;
  }
  return `${text}]`;
}

/**
 * consentSchema.safeParse(value).data when the receipt is valid and ordinary, undefined otherwise
 * (then zod decides and words the refusal). The consent receipt is the message signed and checked
 * most often (registration, every share); this twin spares it zod's cost on both sides.
 */
export function fastConsent(value: unknown): Consent | undefined {
  const claims = plainStrictObject(value, CONSENT_KEYS);
  if (claims === undefined) return undefined;
  const registered = copyRegistered(claims);
  if (registered === undefined) return undefined;
  const { iss } = registered;
  const { consentId, controller, givenAt, validFrom, validUntil } = claims;
  if (!isId(consentId) || !isEntityId(controller) || controller !== iss) return undefined;
  if (!isNumericDate(givenAt) || !isNumericDate(validFrom) || !isNumericDate(validUntil)) return undefined;
  if (!(validUntil > validFrom)) return undefined;
  const { collectionMethod, jurisdiction, language } = claims;
  if (!isCollectionMethod(collectionMethod) || !isString(jurisdiction, JURISDICTION)) return undefined;
  if (!isString(language, LANGUAGE)) return undefined;
  const subjectTokens = copySubjectTokens(claims.subjectTokens);
  const purposes = copyArray(claims.purposes, isPurpose, true);
  const categories = copyArray(claims.categories, isCategory, true);
  const recipients = copyArray(claims.recipients, isEntityId, true);
  const notice = copyNotice(claims.notice);
  if (!subjectTokens || !purposes || !categories || !recipients || !notice) return undefined;
  if (recipients.includes(iss)) return undefined;
  // zod's output: the schema's members in its order, optional ones only when given (added to the
  // fresh copy of the registered claims, not spread: see copyRegistered).
  return Object.assign(registered, {
    consentId,
    subjectTokens,
    controller,
    purposes,
    categories,
    recipients,
    givenAt,
    validFrom,
    validUntil,
    collectionMethod,
    notice,
    jurisdiction,
    language,
  });
}

/**
 * canonicalize(receipt) for a receipt that fastConsent accepted, written straight from its
 * members, in RFC 8785 order. Every string member but `notice.version` has passed a pattern of
 * plain ASCII (ids, entity ids, base64url, the vocabularies, country and language codes), so it
 * is written as it stands; numbers are safe integers, whose canonical form is String(n). Several
 * times faster than the general serializer for the message signed and checked most often;
 * fast-check.spec.ts proves it equal to canonicalize. Undefined when `notice.version` is not
 * I-JSON (then the general code refuses it with its own error).
 */
export function consentCanonicalText(receipt: Consent): string | undefined {
  const { aud, notice } = receipt;
  const version = canonicalString(notice.version);
  if (version === undefined) return undefined;
  let text = aud === undefined ? '{' : `{"aud":${typeof aud === 'string' ? `"${aud}"` : plainList(aud)},`;
  text +=
    `"categories":${plainList(receipt.categories)},"collectionMethod":"${receipt.collectionMethod}",` +
    `"consentId":"${receipt.consentId}","controller":"${receipt.controller}","exp":${receipt.exp},` +
    `"givenAt":${receipt.givenAt},"iat":${receipt.iat},"iss":"${receipt.iss}","jti":"${receipt.jti}",` +
    `"jurisdiction":"${receipt.jurisdiction}","language":"${receipt.language}",`;
  if (receipt.nbf !== undefined) text += `"nbf":${receipt.nbf},`;
  text +=
    `"notice":{"contentHash":"${notice.contentHash}","id":"${notice.id}","version":${version}},` +
    `"purposes":${plainList(receipt.purposes)},"recipients":${plainList(receipt.recipients)},` +
    `"subjectTokens":${subjectTokensText(receipt.subjectTokens)}`;
  return `${text},"validFrom":${receipt.validFrom},"validUntil":${receipt.validUntil}}`;
}

/** A non-empty list of strings that need no escaping, as JSON (concatenated: faster than join). */
function plainList(items: readonly string[]): string {
  let text = `["${items[0] as string}"`;
  for (let i = 1; i < items.length; i++) text += `,"${items[i] as string}"`;
  return `${text}]`;
}

/**
 * Consent registration: what the federation receives of a consent, one per recipient (issue 16).
 * The receipt (above) stays at the controller, naming every recipient; the federation gets, per
 * recipient, a statement of its own that shares no value with the statements for the other
 * recipients: its own `registrationId` (the id the recipient and the relay know the consent by),
 * the subject tokens under that recipient's agreement key only, validity on a whole-day grid
 * (so that two registrations of one receipt do not carry the same second), and a
 * `receiptCommitment` = base64url SHA-256(salt ‖ receipt JWS) with a salt drawn for this
 * registration alone, so that the controller can later prove which receipt a registration derives
 * from (by showing receipt and salt) while the federation cannot join two registrations by it.
 * The notice, collection method, jurisdiction, language and the second the customer agreed stay
 * in the receipt at the controller.
 */
export const consentRegistrationSchema = z
  .strictObject({
    ...registeredClaims,
    aud: audienceSchema.optional(),
    registrationId: idSchema,
    /** The controller; equal to `iss`. */
    controller: entityIdSchema,
    recipient: entityIdSchema,
    agreementId: idSchema,
    subjectTokens: z
      .array(
        z.strictObject({
          kind: z.enum(SUBJECT_KINDS),
          token: subjectTokenSchema,
          keyId: idSchema.optional(),
        }),
      )
      .min(1),
    purposes: z.array(purposeSchema).min(1).refine(distinct, 'duplicate purpose'),
    categories: z.array(dataCategorySchema).min(1).refine(distinct, 'duplicate category'),
    validFrom: numericDateSchema,
    validUntil: numericDateSchema,
    receiptCommitment: base64urlHashSchema,
  })
  .refine((claims) => claims.controller === claims.iss, {
    message: 'controller must be the issuer',
    path: ['controller'],
  })
  .refine((claims) => claims.validUntil > claims.validFrom, {
    message: 'empty validity',
    path: ['validUntil'],
  })
  .refine((claims) => claims.recipient !== claims.iss, {
    message: 'controller is not a recipient',
    path: ['recipient'],
  })
  .refine(
    (claims) => claims.subjectTokens.every((t) => t.keyId === undefined || t.keyId === claims.agreementId),
    {
      message: 'subject tokens must be under the agreement of the registration',
      path: ['subjectTokens'],
    },
  );

export type ConsentRegistration = z.infer<typeof consentRegistrationSchema>;

// The members of consentRegistrationSchema, written out for the same reason as CONSENT_KEYS.
const REGISTRATION_KEYS = new Set([
  ...REGISTERED_KEYS,
  'registrationId',
  'controller',
  'recipient',
  'agreementId',
  'subjectTokens',
  'purposes',
  'categories',
  'validFrom',
  'validUntil',
  'receiptCommitment',
]);

/**
 * consentRegistrationSchema.safeParse(value).data for a valid, ordinary registration; undefined
 * otherwise (zod decides and words the refusal). A bulk file signs one per recipient and the
 * federation verifies each: this twin spares both zod's cost, as fastConsent does for receipts.
 */
export function fastConsentRegistration(value: unknown): ConsentRegistration | undefined {
  const claims = plainStrictObject(value, REGISTRATION_KEYS);
  if (claims === undefined) return undefined;
  const registered = copyRegistered(claims);
  if (registered === undefined) return undefined;
  const { iss } = registered;
  const { registrationId, controller, recipient, agreementId } = claims;
  if (!isId(registrationId) || !isEntityId(controller) || controller !== iss) return undefined;
  if (!isEntityId(recipient) || recipient === iss || !isId(agreementId)) return undefined;
  const { validFrom, validUntil, receiptCommitment } = claims;
  if (!isNumericDate(validFrom) || !isNumericDate(validUntil) || !(validUntil > validFrom)) return undefined;
  if (!isString(receiptCommitment, BASE64URL_HASH)) return undefined;
  const subjectTokens = copySubjectTokens(claims.subjectTokens);
  const purposes = copyArray(claims.purposes, isPurpose, true);
  const categories = copyArray(claims.categories, isCategory, true);
  if (!subjectTokens || !purposes || !categories) return undefined;
  for (const token of subjectTokens)
    if (token.keyId !== undefined && token.keyId !== agreementId) return undefined;
  // zod's output: the schema's members in its order, optional ones only when given (added to the
  // fresh copy of the registered claims, not spread: see copyRegistered).
  return Object.assign(registered, {
    registrationId,
    controller,
    recipient,
    agreementId,
    subjectTokens,
    purposes,
    categories,
    validFrom,
    validUntil,
    receiptCommitment,
  });
}

/**
 * canonicalize(registration) for a registration that fastConsentRegistration accepted, written
 * straight from its members in RFC 8785 order: every string member has passed a pattern of plain
 * ASCII and every number is a safe integer, so each is written as it stands (fast-check.spec.ts
 * proves it equal to canonicalize).
 */
export function consentRegistrationCanonicalText(registration: ConsentRegistration): string {
  const { aud } = registration;
  let text = `{"agreementId":"${registration.agreementId}",`;
  if (aud !== undefined) text += `"aud":${typeof aud === 'string' ? `"${aud}"` : plainList(aud)},`;
  text +=
    `"categories":${plainList(registration.categories)},"controller":"${registration.controller}",` +
    `"exp":${registration.exp},"iat":${registration.iat},"iss":"${registration.iss}","jti":"${registration.jti}",`;
  if (registration.nbf !== undefined) text += `"nbf":${registration.nbf},`;
  text +=
    `"purposes":${plainList(registration.purposes)},"receiptCommitment":"${registration.receiptCommitment}",` +
    `"recipient":"${registration.recipient}","registrationId":"${registration.registrationId}",` +
    `"subjectTokens":${subjectTokensText(registration.subjectTokens)}`;
  return `${text},"validFrom":${registration.validFrom},"validUntil":${registration.validUntil}}`;
}
