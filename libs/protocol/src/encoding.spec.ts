import { randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { fromBase64url } from './encoding.js';

// The definition fromBase64url had when it decoded through Buffer: the reference it must match.
function reference(text: string, what: string): Buffer {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) throw new Error(`${what} is not base64url`);
  const bytes = Buffer.from(text, 'base64url');
  if (bytes.toString('base64url') !== text) throw new Error(`${what} is not canonical base64url`);
  return bytes;
}

function outcome(decode: (text: string, what: string) => Buffer, text: string): string {
  try {
    return `bytes ${decode(text, 'x').toString('hex')}`;
  } catch (error) {
    return `error ${(error as Error).message}`;
  }
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const STRAY = ['=', '+', '/', ' ', '.', '\n', '\u0000', 'é', '\u00ff', '\u0100', '😀', '\uD800', 'Ａ'];

describe('fromBase64url', () => {
  it('decodes like strict Buffer base64url, and refuses the same texts with the same messages', () => {
    const texts = ['', 'A', 'AA', 'AAA', 'AAAA', 'AB', 'AAB', '__', '_-_-', 'AQ', 'AR', 'AQE', 'AQF'];
    for (let i = 0; i < 20_000; i++) {
      const encoded = randomBytes(i % 70).toString('base64url');
      const chars = [...encoded];
      switch (i % 5) {
        case 0:
          break; // valid and canonical
        case 1: // one character replaced by any of the alphabet: often non-canonical trailing bits
          if (chars.length > 0) chars[(i * 7) % chars.length] = ALPHABET[(i * 13) % 64] as string;
          break;
        case 2: // a stray character somewhere
          chars.splice((i * 3) % (chars.length + 1), 0, STRAY[i % STRAY.length] as string);
          break;
        case 3: // one character more or fewer
          if (i % 2 === 0) chars.pop();
          else chars.push(ALPHABET[i % 64] as string);
          break;
        default: // the last character swept through the alphabet
          if (chars.length > 0) chars[chars.length - 1] = ALPHABET[i % 64] as string;
      }
      texts.push(chars.join(''));
    }
    const outcomes = { bytes: 0, error: 0 };
    for (const text of texts) {
      const expected = outcome(reference, text);
      expect([text, outcome(fromBase64url, text)]).toEqual([text, expected]);
      outcomes[expected.startsWith('bytes') ? 'bytes' : 'error']++;
    }
    expect(outcomes.bytes).toBeGreaterThan(5_000);
    expect(outcomes.error).toBeGreaterThan(5_000);
  });

  it('refuses with a MALFORMED protocol error naming the value', () => {
    expect(() => fromBase64url('AB=', 'JWS signature')).toThrow(
      expect.objectContaining({ code: 'MALFORMED', message: 'JWS signature is not base64url' }),
    );
    expect(() => fromBase64url('AR', 'JWK "x"')).toThrow(
      expect.objectContaining({ code: 'MALFORMED', message: 'JWK "x" is not canonical base64url' }),
    );
  });
});
