import { describe, expect, it } from '@jest/globals';
import { customerSearchStatement, prefixEnd } from './customer-search.js';

describe('customer search statements (pure)', () => {
  it('ends a prefix range at the next code point, skipping surrogates and the last code point', () => {
    expect(prefixEnd('anna.')).toBe('anna/');
    expect(prefixEnd('müll')).toBe('mülm');
    expect(prefixEnd('a\u{d7ff}')).toBe('a\u{e000}');
    expect(prefixEnd('ab\u{10ffff}')).toBe('ac');
    expect(prefixEnd('\u{10ffff}')).toBeNull();
    expect(prefixEnd('')).toBeNull();
    // Every string that starts with the prefix sorts before its end, in code point order.
    for (const [prefix, longer] of [
      ['anna.', 'anna.zzz@x.test'],
      ['a\u{d7ff}', 'a\u{d7ff}\u{10ffff}'],
    ]) {
      expect(Buffer.compare(Buffer.from(longer), Buffer.from(prefixEnd(prefix)!))).toBe(-1);
    }
  });

  it('asks the e-mail lookups for a word, the phone lookup for digits, and names by their keys', () => {
    const combos = [
      { terms: ['smith', 'anna'], score: 2 },
      { terms: ['smith'], score: 1 },
    ];
    expect(customerSearchStatement('Anna.Smith', 20).params).toEqual([
      20,
      'anna.smith',
      'anna.smith',
      'anna.smiti',
      null,
      null,
      null,
      [],
      [],
    ]);
    expect(customerSearchStatement('Anna  Smith', 10, combos).params).toEqual([
      10,
      null,
      null,
      null,
      null,
      null,
      null,
      ['anna smith', 'smith'],
      [2, 1],
    ]);
    // A national number: matched as the suffix of its digits without the leading zero, reversed
    // (a range on the index of reversed numbers); whole, only if it is one as typed.
    expect(customerSearchStatement('06 12 34 56 78', 20).params.slice(4, 7)).toEqual([
      '+0612345678',
      '876543216',
      '876543217',
    ]);
    expect(customerSearchStatement('+39 06 1234 5678', 20).params.slice(4, 7)).toEqual([
      '+390612345678',
      '876543216093',
      '876543216094',
    ]);
  });

  it('finds nothing without asking the database when nothing can answer', () => {
    expect(customerSearchStatement('anna smith', 20, [], 'c.id')).toEqual({
      sql: 'SELECT c.id FROM customer c WHERE false',
      params: [],
    });
  });

  it('names its statement by its select list: the same text, the same prepared statement', () => {
    const a = customerSearchStatement('anna', 20, [], 'c.id');
    const b = customerSearchStatement('+33 6 12 34 56 78', 5, [{ terms: ['x'], score: 1 }], 'c.id');
    const c = customerSearchStatement('anna', 20, [], 'c.*');
    expect(a.sql).toBe(b.sql);
    expect(a.name).toBe(b.name);
    expect(c.name).not.toBe(a.name);
    expect(a.name!.length).toBeLessThanOrEqual(63);
  });
});
