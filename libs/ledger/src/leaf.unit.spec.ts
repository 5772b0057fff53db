import { describe, expect, it } from '@jest/globals';
import { buildLeaf, canonicalEntry, parseLeaf } from './leaf.js';

describe('buildLeaf', () => {
  const at = new Date('2026-12-06T03:04:05.678Z');
  const values = [
    { type: 'consent.registered', subject: 'r-1', at: 1_780_000_000, purposes: ['customer-care'] },
    {
      z: 1,
      a: [1.5, -0, 1e21, 'é\u2028"\\'],
      nested: { b: null, a: true },
      '\u00e9': 'x',
      e: '\ud83d\ude00',
    },
    [],
    42,
  ];

  it('gives a canonicalEntry the leaf its value would have, without reading it back', () => {
    for (const value of values) {
      const leaf = buildLeaf('consent.registered', canonicalEntry(value), at);
      expect(leaf).toEqual(buildLeaf('consent.registered', value, at));
      expect(leaf).toEqual(buildLeaf('consent.registered', canonicalEntry(value).text, at));
      expect(parseLeaf(leaf.text).data).toEqual(JSON.parse(JSON.stringify(value)));
    }
  });

  it('takes an object that only looks like a canonicalEntry as the JSON value it is', () => {
    const leaf = buildLeaf('test.x', { text: '{"b":1,"a":2}' }, at);
    expect(parseLeaf(leaf.text).data).toEqual({ text: '{"b":1,"a":2}' });
    expect(() => buildLeaf('test.x', '{"b":1,"a":2}', at)).toThrow(/canonical/i);
  });
});
