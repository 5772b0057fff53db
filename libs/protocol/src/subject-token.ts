import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import { ProtocolError } from './errors.js';

/**
 * Keyed pseudonyms of customers (invariant 4): token = base64url(HMAC-SHA256(key, kind ":" id)),
 * where id is the normalised identifier. The key is shared by the partners of an agreement
 * (deriveSharedKey) and never by the federation, which therefore can match tokens but cannot
 * reverse them by trying every known address. The kind prefix keeps an e-mail from ever equalling
 * a phone number.
 *
 * E-mail normalisation:
 *   1. Unicode NFC, trim surrounding white space, lower-case the whole address.
 *   2. Refuse unless: exactly one "@"; a non-empty local part of at most 64 characters; a domain of
 *      at most 253 characters, with at least one dot, made of non-empty labels that do not start or
 *      end with "-"; no white space, control character, or any of  ( ) < > , ; : \ " [ ]  anywhere;
 *      at most 254 characters in all.
 *   Deliberately not done: removing dots or "+tags" (provider-specific; it would merge people).
 *
 * Phone normalisation to E.164:
 *   1. Unicode NFKC (full-width digits become ASCII), trim.
 *   2. Drop a "(0)" written after the country code ("+44 (0)20…"), then remove spaces, "-", ".",
 *      "(", ")" and "/".
 *   3. A leading "00" becomes "+".
 *   4. A national number (one leading "0") becomes "+" + defaultCallingCode + the rest, when the
 *      option is given (countries with a trunk prefix 0: France "33", Germany "49", UK "44"…;
 *      not Italy, whose numbers keep their 0: give Italian numbers in international form).
 *   5. Refuse unless the result is "+" and 8 to 15 digits, the first not 0.
 */
export const SUBJECT_KINDS = ['email', 'phone'] as const;
export type SubjectKind = (typeof SUBJECT_KINDS)[number];

export interface NormaliseOptions {
  /** Country calling code (e.g. "33" or "+33") for national numbers that start with 0. */
  defaultCallingCode?: string;
}

const EMAIL_FORBIDDEN = /[\s\p{Cc}()<>,;:\\"[\]]/u;
const DOMAIN_LABEL = /^[^-.][^.]*(?<!-)$/u;

export function normaliseEmail(raw: string): string {
  if (typeof raw !== 'string') throw badIdentifier('e-mail address must be a string');
  const email = raw.normalize('NFC').trim().toLowerCase();
  if (email.length > 254 || EMAIL_FORBIDDEN.test(email)) throw badIdentifier('e-mail address is not valid');
  const at = email.indexOf('@');
  if (at <= 0 || at !== email.lastIndexOf('@')) throw badIdentifier('e-mail address needs one "@"');
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  if (local.length > 64 || domain.length > 253) throw badIdentifier('e-mail address is too long');
  const labels = domain.split('.');
  if (labels.length < 2 || !labels.every((label) => DOMAIN_LABEL.test(label))) {
    throw badIdentifier('e-mail domain is not valid');
  }
  return email;
}

const PHONE_SEPARATORS = /[\s\-.()/]/gu;
const E164 = /^\+[1-9]\d{7,14}$/;

export function normalisePhone(raw: string, options: NormaliseOptions = {}): string {
  if (typeof raw !== 'string') throw badIdentifier('phone number must be a string');
  let phone = raw.normalize('NFKC').trim();
  if (phone.startsWith('+') || phone.startsWith('00'))
    phone = phone.replace(/^(\+|00)(\d{1,3})\s*\(0\)/u, '$1$2');
  phone = phone.replace(PHONE_SEPARATORS, '');
  if (phone.startsWith('00')) {
    phone = `+${phone.slice(2)}`;
  } else if (phone.startsWith('0') && options.defaultCallingCode !== undefined) {
    const code = options.defaultCallingCode.replace(/^\+/u, '');
    if (!/^[1-9]\d{0,2}$/u.test(code)) throw badIdentifier('default calling code is not valid');
    phone = `+${code}${phone.slice(1)}`;
  }
  if (!E164.test(phone)) throw badIdentifier('phone number is not a valid international (E.164) number');
  return phone;
}

export function normaliseIdentifier(kind: SubjectKind, raw: string, options: NormaliseOptions = {}): string {
  switch (kind) {
    case 'email':
      return normaliseEmail(raw);
    case 'phone':
      return normalisePhone(raw, options);
    default:
      throw badIdentifier(`unknown identifier kind "${String(kind)}"`);
  }
}

// 128 bits is the floor for a key that must resist offline guessing of the HMAC input.
const MIN_KEY_BYTES = 16;
const keyObjects = new WeakMap<Uint8Array, KeyObject>();

function hmacKey(key: Uint8Array): KeyObject {
  let keyObject = keyObjects.get(key);
  if (!keyObject) {
    if (!(key instanceof Uint8Array) || key.length < MIN_KEY_BYTES) {
      throw new ProtocolError('INVALID_KEY', `subject-token key needs at least ${MIN_KEY_BYTES} bytes`);
    }
    keyObject = createSecretKey(key);
    keyObjects.set(key, keyObject);
  }
  return keyObject;
}

/** The pseudonym of one identifier under one key, as 43 base64url characters. */
export function subjectToken(
  key: Uint8Array,
  kind: SubjectKind,
  rawIdentifier: string,
  options: NormaliseOptions = {},
): string {
  const normalised = normaliseIdentifier(kind, rawIdentifier, options);
  return createHmac('sha256', hmacKey(key)).update(`${kind}:${normalised}`, 'utf8').digest('base64url');
}

function badIdentifier(message: string): ProtocolError {
  return new ProtocolError('INVALID_IDENTIFIER', message);
}
