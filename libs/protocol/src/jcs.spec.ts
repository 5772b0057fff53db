import { describe, expect, it } from '@jest/globals';
import { isProtocolError } from './errors.js';
import { canonicalBytes, canonicalize, isCanonical, parseCanonical } from './jcs.js';
import { readVector } from './testing/vectors.js';

const VECTOR_NAMES = ['arrays', 'french', 'structures', 'unicode', 'values', 'weird'];

describe('RFC 8785 canonical JSON', () => {
  describe.each(VECTOR_NAMES)('cyberphone vector %s', (name) => {
    const input = JSON.parse(readVector(`jcs/input/${name}.json.txt`));
    const expected = readVector(`jcs/output/${name}.json.txt`);
    const expectedHex = readVector(`jcs/outhex/${name}.txt`).replace(/\s+/g, '');

    it('serialises to the expected text', () => {
      expect(canonicalize(input)).toBe(expected);
    });

    it('serialises to the expected bytes', () => {
      expect(canonicalBytes(input).toString('hex')).toBe(expectedHex);
    });

    it('recognises the output as canonical and the input as not', () => {
      expect(isCanonical(expected)).toBe(true);
      expect(isCanonical(readVector(`jcs/input/${name}.json.txt`))).toBe(false);
    });
  });

  it('serialises numbers as ECMAScript does', () => {
    expect(canonicalize([0, -0, 1e21, 1e-7, Number('9007199254740993'), 0.1 + 0.2])).toBe(
      '[0,0,1e+21,1e-7,9007199254740992,0.30000000000000004]',
    );
  });

  it('sorts keys by UTF-16 code units, not code points', () => {
    // U+1F600 is \uD83D\uDE00: by code unit it sorts before U+FB33, by code point after.
    expect(canonicalize({ '\uFB33': 1, '\u{1F600}': 2 })).toBe('{"\u{1F600}":2,"\uFB33":1}');
  });

  it('leaves out undefined members', () => {
    expect(canonicalize({ b: undefined, a: 1 })).toBe('{"a":1}');
  });

  it.each([
    ['NaN', NaN],
    ['Infinity', Infinity],
    ['a lone surrogate', '\uD800'],
    ['a lone surrogate key', { '\uDC00': 1 }],
    ['undefined in an array', [undefined]],
    ['a function', () => 1],
    ['a bigint', 1n],
    ['a Date', new Date(0)],
    ['a Map', new Map()],
  ])('refuses %s', (_name, value) => {
    expect(() => canonicalize(value)).toThrow(expect.objectContaining({ code: 'MALFORMED' }));
  });

  it('refuses documents nested too deeply', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100; i++) deep = [deep];
    expect(() => canonicalize(deep)).toThrow(expect.objectContaining({ code: 'MALFORMED' }));
  });

  it.each([
    ['spaces', '{"a": 1}'],
    ['unsorted keys', '{"b":1,"a":2}'],
    ['duplicate keys', '{"a":1,"a":1}'],
    ['a non-shortest number', '{"a":1.0}'],
    ['an escaped slash', '"\\/"'],
    ['an upper-case escape', '"\\u001F"'],
    ['an escaped lone surrogate', '"\\ud800"'],
    ['invalid JSON', '{'],
  ])('finds text with %s not canonical', (_name, text) => {
    expect(isCanonical(text)).toBe(false);
  });

  it('parses canonical text and refuses the rest with a typed error', () => {
    expect(parseCanonical('{"a":[1,"x"]}')).toEqual({ a: [1, 'x'] });
    const attempt = (text: string) => {
      try {
        parseCanonical(text);
        return 'accepted';
      } catch (error) {
        return isProtocolError(error) ? error.code : 'crash';
      }
    };
    expect(attempt('{"b":1,"a":2}')).toBe('NOT_CANONICAL');
    expect(attempt('"\\ud800"')).toBe('NOT_CANONICAL');
    expect(attempt('nope')).toBe('MALFORMED');
  });
});
