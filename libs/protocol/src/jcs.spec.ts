import { describe, expect, it } from '@jest/globals';
import { isProtocolError } from './errors.js';
import { canonicalBytes, canonicalize, isCanonical, isCanonicalJsonText, parseCanonical } from './jcs.js';
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

  describe('one-pass canonical check', () => {
    // The definition: text is canonical iff re-serialising what it parses to gives it back.
    const byDefinition = (text: string) => {
      try {
        return canonicalize(JSON.parse(text)) === text;
      } catch {
        return false;
      }
    };

    // A small deterministic generator (no Math.random: a failure must be reproducible).
    let seed = 20261201;
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    // Fragments of JSON string text (escapes written out): canonical and non-canonical forms.
    const ATOMS = [
      'a',
      'b',
      'ab',
      'B',
      '\\u00e9',
      'é',
      '\\u001f',
      '\\u001F',
      '\\n',
      '\\"',
      '\\/',
      '\\u0041',
      '\\ud83d\\ude00',
      '😀',
      '\\ud800',
      '\\u000A',
      '\\u000a',
      '\\t',
      '\\u0009',
      'aa',
      'a\\u0000',
      '\\u0061',
    ];
    const NUMBERS = [
      '0',
      '-0',
      '1',
      '1.0',
      '1e3',
      '1000',
      '1e+21',
      '1E+21',
      '1e21',
      '0.1',
      '.1e1',
      '-1.5',
      '1e-7',
      '0.0000001',
      '9007199254740993',
      '1e400',
      '10',
      '01',
      '-01',
      '-12',
      '123456789012345',
      '999999999999999',
      '1234567890123456',
      '9007199254740992',
      '100000000000000000000',
      '1000000000000000000000',
    ];
    const text = (depth: number): string => {
      switch (next(depth > 3 ? 4 : 7)) {
        case 0:
          return `"${ATOMS[next(ATOMS.length)]}${ATOMS[next(ATOMS.length)]}"`;
        case 1:
          return NUMBERS[next(NUMBERS.length)] as string;
        case 2:
          return ['true', 'false', 'null'][next(3)] as string;
        case 3:
          return `"${ATOMS[next(ATOMS.length)]}"`;
        case 4:
          return `[${Array.from({ length: next(4) }, () => text(depth + 1)).join(next(8) === 0 ? ', ' : ',')}]`;
        default: {
          const members = Array.from(
            { length: next(4) },
            () => `"${ATOMS[next(ATOMS.length)]}":${next(10) === 0 ? ' ' : ''}${text(depth + 1)}`,
          );
          return `{${members.join(',')}}`;
        }
      }
    };

    it('agrees with the re-serialising definition on 20,000 generated documents', () => {
      let canonical = 0;
      const disagreements: string[] = [];
      for (let i = 0; i < 20_000; i++) {
        const candidate = text(0);
        let parsed: unknown;
        try {
          parsed = JSON.parse(candidate);
        } catch {
          continue;
        }
        const expected = byDefinition(candidate);
        if (expected) canonical++;
        if (isCanonicalJsonText(candidate) !== expected) disagreements.push(candidate);
        // The canonical form of every document is recognised as canonical.
        let serialised: string | undefined;
        try {
          serialised = canonicalize(parsed);
        } catch {
          // not I-JSON (lone surrogate, 1e400): no canonical form
        }
        if (serialised !== undefined && !isCanonicalJsonText(serialised)) disagreements.push(serialised);
      }
      expect(disagreements).toEqual([]);
      // The generator must exercise both answers.
      expect(canonical).toBeGreaterThan(1_000);
    });

    it('agrees on the RFC 8785 vectors, input and output', () => {
      for (const name of VECTOR_NAMES) {
        for (const file of [`jcs/input/${name}.json.txt`, `jcs/output/${name}.json.txt`]) {
          const vector = readVector(file);
          expect(isCanonicalJsonText(vector)).toBe(byDefinition(vector));
        }
      }
    });

    it('refuses nesting at the depth the serialiser refuses', () => {
      expect(isCanonicalJsonText('['.repeat(64) + ']'.repeat(64))).toBe(true);
      expect(isCanonicalJsonText('['.repeat(65) + ']'.repeat(65))).toBe(false);
      expect(byDefinition('['.repeat(65) + ']'.repeat(65))).toBe(false);
    });
  });
});
