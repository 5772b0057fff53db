import 'reflect-metadata';
import { describe, expect, it } from '@jest/globals';
import { validateSync } from 'class-validator';
import { DataCategory, Purpose } from '../agreements/agreement.enums.js';
import { CollectionMethod } from './consent.entity.js';
import { GiveConsentInput } from './consents.dto.js';
import { meetsGiveConsentRules } from './give-consent-rules.js';

/** Values each field may take in a test input: valid ones first, then what the rules refuse. */
const FIELDS: Record<string, { valid: unknown[]; invalid: unknown[] }> = {
  customerId: {
    valid: ['0b6a3f5e-8a41-4c4e-9d1f-6c2b7a9e1d20', 'A0B6A3F5-8A41-4C4E-9D1F-6C2B7A9E1D20'],
    invalid: [
      '',
      'not-a-uuid',
      '0b6a3f5e8a414c4e9d1f6c2b7a9e1d20',
      ' 0b6a3f5e-8a41-4c4e-9d1f-6c2b7a9e1d20',
      42,
      null,
      undefined,
    ],
  },
  purposes: {
    valid: [[Purpose.CUSTOMER_CARE], Object.values(Purpose)],
    invalid: [
      [],
      [Purpose.CUSTOMER_CARE, Purpose.CUSTOMER_CARE],
      ['CUSTOMER_CARE'],
      ['gossip'],
      'customer-care',
      [null],
      undefined,
    ],
  },
  categories: {
    valid: [[DataCategory.CONTACT], Object.values(DataCategory)],
    invalid: [[], [DataCategory.CONTACT, DataCategory.CONTACT], ['CONTACT'], [7], null],
  },
  recipients: {
    valid: [['bank'], ['bank', 'telco-2', 'a', 'x.y_z-0'], Array.from({ length: 50 }, (_, i) => `p${i}`)],
    invalid: [
      [],
      ['bank', 'bank'],
      ['Bank'],
      ['-bank'],
      ['bank-'],
      ['a'.repeat(129)],
      ['ba nk'],
      [3],
      Array.from({ length: 51 }, (_, i) => `p${i}`),
      'bank',
      undefined,
    ],
  },
  validFrom: {
    valid: [undefined, null, new Date('2026-01-01T00:00:00Z')],
    invalid: [new Date('nope'), '2026-01-01', 0],
  },
  validUntil: {
    valid: [new Date('2030-01-01T00:00:00Z')],
    invalid: [undefined, null, new Date(Number.NaN), '2030-01-01', 1_900_000_000],
  },
  givenAt: {
    valid: [undefined, null, new Date('2025-06-01T12:00:00Z')],
    invalid: [new Date('x'), 'yesterday'],
  },
  collectionMethod: {
    valid: Object.values(CollectionMethod),
    invalid: ['', 'WEB_FORM', 'carrier pigeon', undefined, 1],
  },
  privacyNoticeId: {
    valid: ['7d3f0c1a-2b4e-4f6a-8c9d-0e1f2a3b4c5d'],
    invalid: ['', 'notice', null],
  },
  language: {
    valid: [undefined, null, 'en', 'it', 'fr-FR', 'zh-Hant-TW'],
    invalid: ['', 'EN', 'english', 'en_US', 'e', 5],
  },
  jurisdiction: {
    valid: ['FR', 'US-CA', 'IT-21'],
    invalid: ['', 'fr', 'FRA', 'US-CALI', undefined],
  },
};

const inputOf = (values: Record<string, unknown>): GiveConsentInput =>
  Object.assign(new GiveConsentInput(), values);

const validInput = (): GiveConsentInput =>
  inputOf(Object.fromEntries(Object.entries(FIELDS).map(([field, { valid }]) => [field, valid[0]])));

/** class-validator's verdict: what the import asked of every line before. */
const accepted = (input: GiveConsentInput): boolean => validateSync(input).length === 0;

/** A small deterministic generator (mulberry32), so that a failure names an input that comes back. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('meetsGiveConsentRules (the consents import checks a line without validateSync when it passes)', () => {
  it('accepts what validateSync accepts', () => {
    const input = validInput();
    expect(accepted(input)).toBe(true);
    expect(meetsGiveConsentRules(input)).toBe(true);
  });

  it.each(
    Object.entries(FIELDS).flatMap(([field, { invalid }]) =>
      invalid.map((value) => [field, value] as [string, unknown]),
    ),
  )('refuses %s = %p, as validateSync does', (field, value) => {
    const input = inputOf({ ...validInput(), [field]: value });
    expect(accepted(input)).toBe(false);
    expect(meetsGiveConsentRules(input)).toBe(false);
  });

  it('agrees with validateSync on 3,000 inputs mixing valid and invalid values of every field', () => {
    const next = random(17);
    const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)]!;
    const verdicts = { both: 0, neither: 0 };
    for (let i = 0; i < 3000; i++) {
      const values = Object.fromEntries(
        Object.entries(FIELDS).map(([field, { valid, invalid }]) => [
          field,
          next() < 0.85 ? pick(valid) : pick(invalid),
        ]),
      );
      const input = inputOf(values);
      const expected = accepted(input);
      if (meetsGiveConsentRules(input) !== expected) {
        throw new Error(`input ${i} disagrees (validateSync: ${expected}): ${JSON.stringify(values)}`);
      }
      verdicts[expected ? 'both' : 'neither'] += 1;
    }
    // Both answers occur often, or the comparison would prove little.
    expect(verdicts.both).toBeGreaterThan(300);
    expect(verdicts.neither).toBeGreaterThan(300);
  });
});
