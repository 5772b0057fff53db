import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from '@jest/globals';
import { SeededRandom } from '#fixtures';
import { sampleClaims } from '../testing/fixtures.js';
import { canonicalize } from '../jcs.js';
import {
  consentCanonicalText,
  consentRegistrationCanonicalText,
  consentRegistrationSchema,
  consentSchema,
  fastConsent,
  fastConsentRegistration,
} from './consent.js';
import { MESSAGE_KINDS } from './kinds.js';
import { COLLECTION_METHODS, DATA_CATEGORIES, PURPOSES } from './vocabulary.js';

/**
 * Differential test of the fast validators against their zod schemas: on the fixtures and on tens
 * of thousands of generated valid and mutated documents, whenever the fast path answers it must
 * be with zod's verdict (accept) and zod's output, members in the same order; and it must answer
 * for every ordinary document zod accepts, or it would be a fast path in name only.
 */

// Deterministic, so that a failure names a reproducible case.
const seeded = new SeededRandom(8785);
const random = () => seeded.next();
const int = (n: number) => Math.floor(random() * n);
const pick = <T>(items: ArrayLike<T>): T => items[int(items.length)] as T;
const chance = (p: number) => seeded.chance(p);

const LOWER = 'abcdefghijklmnopqrstuvwxyz0123456789';
const ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:-';
const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';
const chars = (alphabet: string, n: number) => Array.from({ length: n }, () => pick(alphabet)).join('');

// Valid values, including the boundary lengths of each pattern.
function entityId(): string {
  const length = pick([1, 2, 3, 8, 20, 127, 128]);
  if (length === 1) return pick(LOWER);
  return pick(LOWER) + chars(`${LOWER}._-`, length - 2) + pick(LOWER);
}
const id = () => chars(ID_CHARS, pick([8, 9, 36, 127, 128]));
const hash = () => chars(B64URL, 43);
const date = () => pick([0, 1, 1_750_000_000, 4_102_444_800, Number.MAX_SAFE_INTEGER - 1]);
const distinctSample = <T>(items: readonly T[]) => {
  const chosen = items.filter(() => chance(0.5));
  return chosen.length > 0 ? chosen : [pick(items)];
};

function validConsent(): Record<string, unknown> {
  const iss = entityId();
  const validFrom = pick([0, 1_750_000_000, 4_000_000_000]);
  const recipients = Array.from({ length: 1 + int(3) }, (_, i) => `recipient-${i}-${chars(LOWER, 3)}`);
  const claims: Record<string, unknown> = {
    iss,
    iat: date(),
    exp: date(),
    jti: id(),
    consentId: id(),
    subjectTokens: Array.from({ length: 1 + int(3) }, () => ({
      kind: pick(['email', 'phone']),
      token: hash(),
      ...(chance(0.6) ? { keyId: id() } : {}),
    })),
    controller: iss,
    purposes: distinctSample(PURPOSES),
    categories: distinctSample(DATA_CATEGORIES),
    recipients,
    givenAt: date(),
    validFrom,
    validUntil: validFrom + pick([1, 86_400, 1_000_000_000]),
    collectionMethod: pick(COLLECTION_METHODS),
    notice: { id: id(), version: chars(`${LOWER}-é😀"\\\n\u0007`, 1 + int(64)), contentHash: hash() },
    jurisdiction: pick(['FR', 'US-CA', 'DE-BY', 'GB-ENG', 'IT-1A']),
    language: pick(['fr', 'fr-FR', 'en-GB', 'de', 'zh-Hans-CN', 'ast-es']),
  };
  if (chance(0.4)) claims.nbf = date();
  if (chance(0.7)) claims.aud = chance(0.5) ? entityId() : [entityId(), ...(chance(0.5) ? [entityId()] : [])];
  // Members in a random order: zod's output order must not depend on the input's.
  const shuffled = Object.entries(claims).sort(() => random() - 0.5);
  return Object.fromEntries(shuffled);
}

// Values of every JSON type and the boundaries of each pattern, all wrong for some member.
const WRONG_VALUES: unknown[] = [
  null,
  true,
  false,
  0,
  -0,
  1,
  -1,
  1.5,
  2 ** 53,
  -(2 ** 53),
  Number.NaN,
  Number.POSITIVE_INFINITY,
  '',
  'a',
  'A',
  '0',
  '-a',
  'a-',
  'a'.repeat(129),
  'a'.repeat(7),
  'A'.repeat(44),
  'A'.repeat(42),
  'A'.repeat(43),
  'a'.repeat(65),
  'é',
  'a\u0301',
  '\uD800',
  '😀',
  'fr_FR',
  'FRA',
  'fr-FR-',
  'US-CAXX',
  'email',
  'phone',
  'fax',
  'marketing',
  'contact',
  'web_form',
  'federation',
  'alice-bank',
  'consent-0001',
  '1764600000',
  [],
  [null],
  ['a'],
  ['marketing', 'marketing'],
  {},
  { a: 1 },
  { kind: 'email', token: 'A'.repeat(43) },
  { id: 'privacy-notice', version: 'v', contentHash: 'A'.repeat(43) },
];

type Path = (string | number)[];

function paths(value: unknown, prefix: Path = []): Path[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  const children = Array.isArray(value)
    ? value.flatMap((item, i) => paths(item, [...prefix, i]))
    : Object.entries(value).flatMap(([key, item]) => paths(item, [...prefix, key]));
  return prefix.length === 0 ? children : [prefix, ...children];
}

function parentOf(document: unknown, path: Path): Record<string | number, unknown> {
  let node = document as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  return node;
}

const clone = <T>(value: T): T => structuredClone(value);

/** One random change: a member replaced, removed or added, an array emptied or duplicated, a
 * string edited by one character, a cross-member rule broken. */
function mutate(document: Record<string, unknown>): void {
  const all = paths(document);
  const path = pick(all);
  const parent = parentOf(document, path);
  const key = path[path.length - 1] as string | number;
  const current = parent[key];
  switch (int(9)) {
    case 0:
    case 1:
      parent[key] = clone(pick(WRONG_VALUES));
      return;
    case 2:
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key];
      return;
    case 3: {
      const target = Array.isArray(current) ? parent : current;
      if (typeof target === 'object' && target !== null && !Array.isArray(target)) {
        (target as Record<string, unknown>)[pick(['extra', 'constructor', 'toString', 'Iss', 'iss '])] =
          clone(pick(WRONG_VALUES));
      } else document[pick(['extra', 'sub', 'typ'])] = 'x';
      return;
    }
    case 4:
      if (Array.isArray(current)) {
        if (chance(0.5)) current.length = 0;
        else if (current.length > 0) current.push(clone(current[0]));
      } else parent[key] = [clone(current)];
      return;
    case 5:
      if (typeof current === 'string' && current.length > 0) {
        const at = int(current.length + 1);
        const edit = pick(['', 'A', 'a', '.', '-', '_', ':', ' ', '/', 'é', '\u0000', '\uDC00', '😀', '\n']);
        parent[key] = current.slice(0, at) + edit + current.slice(at + (chance(0.5) ? 1 : 0));
      } else if (typeof current === 'number') {
        parent[key] = current + pick([-1, 1, 0.5, -current - 1, 2 ** 53]);
      } else parent[key] = undefined;
      return;
    case 6:
      document.controller = pick([entityId(), document.iss, undefined]);
      return;
    case 7:
      document.validUntil = pick([
        document.validFrom,
        (document.validFrom as number) - 1,
        document.validUntil,
      ]);
      return;
    default:
      breakRule(document);
  }
}

/** A rule of the kind's own broken: a receipt naming its controller or a recipient twice, a
 * registration for its controller or with a token under another agreement. */
function breakRule(document: Record<string, unknown>): void {
  const recipients = document.recipients;
  if (Array.isArray(recipients)) {
    recipients.push(chance(0.7) ? document.iss : recipients[0]);
    return;
  }
  const tokens = document.subjectTokens;
  const token: unknown = Array.isArray(tokens) && tokens.length > 0 ? tokens[int(tokens.length)] : undefined;
  if (chance(0.5) || typeof token !== 'object' || token === null) document.recipient = document.iss;
  else (token as Record<string, unknown>).keyId = id();
}

// Ordinary: what the fast path must accept when zod does (JSON-like, no explicit undefined).
function isOrdinary(value: unknown): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'object' || value === null) return true;
  if (Array.isArray(value)) return value.every(isOrdinary);
  return Object.getPrototypeOf(value) === Object.prototype && Object.values(value).every(isOrdinary);
}

// The same keys in the same order at every depth, and isDeepStrictEqual values (-0 is not 0).
function sameOutput(a: unknown, b: unknown): boolean {
  if (!isDeepStrictEqual(a, b)) return false;
  if (typeof a !== 'object' || a === null) return true;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b as object);
  if (keysA.join('\u0000') !== keysB.join('\u0000')) return false;
  return keysA.every((key) =>
    sameOutput((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]),
  );
}

interface Tally {
  zodAccepted: number;
  zodRefused: number;
  /** Receipts whose canonical text consentCanonicalText wrote and canonicalize confirmed. */
  canonicalWritten: number;
  failures: string[];
}

/** canonicalize's text for the document, or undefined where it refuses it (a lone surrogate). */
function generalCanonicalText(document: unknown): string | undefined {
  try {
    return canonicalize(document);
  } catch {
    return undefined;
  }
}

/** A schema, its fast twin and its canonical writer. */
interface Twin<T> {
  schema: { safeParse(value: unknown): { success: boolean; data?: T } };
  fast(value: unknown): T | undefined;
  canonicalText(accepted: T): string | undefined;
}

const RECEIPT: Twin<unknown> = {
  schema: consentSchema,
  fast: fastConsent,
  canonicalText: consentCanonicalText as (accepted: unknown) => string | undefined,
};
const REGISTRATION: Twin<unknown> = {
  schema: consentRegistrationSchema,
  fast: fastConsentRegistration,
  canonicalText: consentRegistrationCanonicalText as (accepted: unknown) => string | undefined,
};

function compare(document: unknown, tally: Tally, twin: Twin<unknown> = RECEIPT): void {
  const expected = twin.schema.safeParse(document);
  const fast = twin.fast(document);
  if (expected.success) tally.zodAccepted++;
  else tally.zodRefused++;
  if (tally.failures.length >= 5) return;
  const shown = () => JSON.stringify(document, (_, v: unknown) => (v === undefined ? '<undefined>' : v));
  if (fast !== undefined && !expected.success)
    tally.failures.push(`fast accepts what zod refuses: ${shown()}`);
  else if (fast !== undefined && !sameOutput(fast, expected.data))
    tally.failures.push(`fast output differs: ${shown()}`);
  else if (fast === undefined && expected.success && isOrdinary(document))
    tally.failures.push(`fast defers on an ordinary valid document: ${shown()}`);
  else if (fast !== undefined) {
    const written = twin.canonicalText(fast);
    if (written !== generalCanonicalText(document))
      tally.failures.push(`canonical text differs (${written ?? 'none'}): ${shown()}`);
    else if (written !== undefined) tally.canonicalWritten++;
  }
}

describe('fast consent validator, against consentSchema', () => {
  it('lists exactly the members of the schema', () => {
    const fields = Object.keys(consentSchema.shape);
    const complete = validConsent();
    complete.nbf = 1;
    complete.aud = 'federation';
    expect(Object.keys(fastConsent(complete) ?? {})).toEqual(fields);
    expect(MESSAGE_KINDS.consent.fast).toBe(fastConsent);
    expect(MESSAGE_KINDS.consent.canonicalText).toBe(consentCanonicalText);
  });

  it('agrees on the fixture, the fixture as JSON, and each of its single mutations', () => {
    const tally: Tally = { zodAccepted: 0, zodRefused: 0, canonicalWritten: 0, failures: [] };
    const fixture = sampleClaims().consent as unknown as Record<string, unknown>;
    const complete = { ...fixture, jti: 'message-0001' };
    compare(complete, tally);
    compare(JSON.parse(JSON.stringify(complete)), tally);
    expect(fastConsent(complete)).toEqual(complete);
    for (const path of paths(complete)) {
      for (const wrong of WRONG_VALUES) {
        const document = clone(complete);
        parentOf(document, path)[path[path.length - 1] as string] = clone(wrong);
        compare(document, tally);
      }
      const removed = clone(complete);
      delete parentOf(removed, path)[path[path.length - 1] as string];
      compare(removed, tally);
    }
    expect(tally.failures).toEqual([]);
    expect(tally.zodRefused).toBeGreaterThan(500);
  });

  it('agrees on 10 000 generated receipts (20 000 documents), valid and mutated', () => {
    const tally: Tally = { zodAccepted: 0, zodRefused: 0, canonicalWritten: 0, failures: [] };
    for (let i = 0; i < 10_000; i++) {
      const document = validConsent();
      const mutations = i % 4 === 0 ? 0 : 1 + int(3);
      for (let m = 0; m < mutations; m++) mutate(document);
      compare(document, tally);
      // Through JSON, as a verifier receives it (undefined members vanish, "__proto__" is own).
      const text = JSON.stringify(document);
      if (text !== undefined) compare(JSON.parse(text) as unknown, tally);
    }
    expect(tally.failures).toEqual([]);
    expect(tally.zodAccepted).toBeGreaterThan(5_000);
    expect(tally.zodRefused).toBeGreaterThan(7_500);
    expect(tally.canonicalWritten).toBeGreaterThan(1_500);
  });

  it('defers to zod on what is not a plain JSON-like object, and zod decides', () => {
    const complete = { ...sampleClaims().consent, jti: 'message-0001' } as Record<string, unknown>;
    const inherited = Object.assign(Object.create({ extra: 1 }) as object, complete);
    const nullPrototype = Object.assign(Object.create(null) as object, complete);
    class Receipt {}
    const instance = Object.assign(new Receipt(), complete);
    const explicitUndefined = { ...complete, nbf: undefined };
    const ownProto = JSON.parse(`{"__proto__":1,${JSON.stringify(complete).slice(1)}`) as unknown;
    for (const document of [inherited, instance, explicitUndefined, ownProto, [complete], 'x', null]) {
      expect(fastConsent(document)).toBeUndefined();
    }
    expect(consentSchema.safeParse(inherited).success).toBe(false);
    expect(consentSchema.safeParse(ownProto).success).toBe(false);
    expect(consentSchema.safeParse(explicitUndefined).success).toBe(true);
    // A null-prototype object is as plain as JSON's: same verdict, same output.
    expect(sameOutput(fastConsent(nullPrototype), consentSchema.parse(nullPrototype))).toBe(true);
  });
});

function validRegistration(): Record<string, unknown> {
  const iss = entityId();
  const validFrom = pick([0, 1_750_000_000, 4_000_000_000]);
  const agreementId = id();
  const claims: Record<string, unknown> = {
    iss,
    iat: date(),
    exp: date(),
    jti: id(),
    registrationId: id(),
    controller: iss,
    recipient: `recipient-${chars(LOWER, 1 + int(8))}`,
    agreementId,
    subjectTokens: Array.from({ length: 1 + int(3) }, () => ({
      kind: pick(['email', 'phone']),
      token: hash(),
      ...(chance(0.6) ? { keyId: agreementId } : {}),
    })),
    purposes: distinctSample(PURPOSES),
    categories: distinctSample(DATA_CATEGORIES),
    validFrom,
    validUntil: validFrom + pick([1, 86_400, 1_000_000_000]),
    receiptCommitment: hash(),
  };
  if (chance(0.4)) claims.nbf = date();
  if (chance(0.7)) claims.aud = chance(0.5) ? entityId() : [entityId(), ...(chance(0.5) ? [entityId()] : [])];
  const shuffled = Object.entries(claims).sort(() => random() - 0.5);
  return Object.fromEntries(shuffled);
}

describe('fast registration validator, against consentRegistrationSchema', () => {
  it('lists exactly the members of the schema, and is the kind’s twin', () => {
    const complete = validRegistration();
    complete.nbf = 1;
    complete.aud = 'federation';
    expect(Object.keys(fastConsentRegistration(complete) ?? {})).toEqual(
      Object.keys(consentRegistrationSchema.shape),
    );
    expect(MESSAGE_KINDS['consent-registration'].fast).toBe(fastConsentRegistration);
    expect(MESSAGE_KINDS['consent-registration'].canonicalText).toBe(consentRegistrationCanonicalText);
  });

  it('agrees on the fixture and each of its single mutations', () => {
    const tally: Tally = { zodAccepted: 0, zodRefused: 0, canonicalWritten: 0, failures: [] };
    const fixture = sampleClaims()['consent-registration'] as unknown as Record<string, unknown>;
    const complete = { ...fixture, jti: 'message-0001' };
    compare(complete, tally, REGISTRATION);
    expect(fastConsentRegistration(complete)).toEqual(complete);
    for (const path of paths(complete)) {
      for (const wrong of WRONG_VALUES) {
        const document = clone(complete);
        parentOf(document, path)[path[path.length - 1] as string] = clone(wrong);
        compare(document, tally, REGISTRATION);
      }
      const removed = clone(complete);
      delete parentOf(removed, path)[path[path.length - 1] as string];
      compare(removed, tally, REGISTRATION);
    }
    expect(tally.failures).toEqual([]);
    expect(tally.zodRefused).toBeGreaterThan(500);
  });

  it('agrees on 10 000 generated registrations (20 000 documents), valid and mutated', () => {
    const tally: Tally = { zodAccepted: 0, zodRefused: 0, canonicalWritten: 0, failures: [] };
    for (let i = 0; i < 10_000; i++) {
      const document = validRegistration();
      const mutations = i % 4 === 0 ? 0 : 1 + int(3);
      for (let m = 0; m < mutations; m++) mutate(document);
      compare(document, tally, REGISTRATION);
      const text = JSON.stringify(document);
      if (text !== undefined) compare(JSON.parse(text) as unknown, tally, REGISTRATION);
    }
    expect(tally.failures).toEqual([]);
    expect(tally.zodAccepted).toBeGreaterThan(5_000);
    expect(tally.zodRefused).toBeGreaterThan(7_500);
    expect(tally.canonicalWritten).toBeGreaterThan(5_000);
  });

  it('defers to zod on what is not a plain JSON-like object', () => {
    const complete = { ...sampleClaims()['consent-registration'], jti: 'message-0001' } as Record<
      string,
      unknown
    >;
    const inherited = Object.assign(Object.create({ extra: 1 }) as object, complete);
    const explicitUndefined = { ...complete, nbf: undefined };
    for (const document of [inherited, explicitUndefined, [complete], 'x', null]) {
      expect(fastConsentRegistration(document)).toBeUndefined();
    }
    expect(consentRegistrationSchema.safeParse(explicitUndefined).success).toBe(true);
  });
});
