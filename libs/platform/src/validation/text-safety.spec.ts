import { describe, expect, it } from '@jest/globals';
import { CsvRowValidator } from '../csv/csv-columns.js';
import {
  checkEmailText,
  identifierProblem,
  isPlainAscii,
  mixedScripts,
  unsafeCharacterProblem,
} from './text-safety.js';

/** Plain ASCII takes a shortcut past the Unicode checks: it must refuse and accept exactly as before. */
describe('text safety, plain ASCII shortcut', () => {
  it('knows plain ASCII: printable characters and tab only', () => {
    expect(isPlainAscii('Ada Lovelace\t<ada@example.com> ~!')).toBe(true);
    expect(isPlainAscii('')).toBe(true);
    for (const text of ['a\u0001b', 'a\u007fb', 'a\nb', 'a\rb', 'é', 'a\u200bb', 'а'])
      expect(isPlainAscii(text)).toBe(false);
  });

  it('still refuses control characters in ASCII text, and what is not ASCII', () => {
    expect(unsafeCharacterProblem('a\u0000b')).toBe('contains a NUL character');
    expect(unsafeCharacterProblem('a\u0007b')).toBe('contains the control character U+0007');
    expect(unsafeCharacterProblem('a\u007fb')).toBe('contains the control character U+007F');
    expect(unsafeCharacterProblem('a\u202eb')).toBe('contains the control character U+202E');
    expect(unsafeCharacterProblem('a\ud800b')).toBe('is not valid Unicode text (lone surrogate)');
    expect(unsafeCharacterProblem('plain\ttext')).toBeUndefined();
    expect(identifierProblem('Ada\u200bLovelace')).toBe('contains the invisible character U+200B');
    expect(identifierProblem('Ada Lovelace')).toBeUndefined();
  });

  it('checks e-mails: ASCII as is, look-alike scripts refused, other text in NFC', () => {
    expect(checkEmailText('ada.lovelace@example.com')).toEqual({ value: 'ada.lovelace@example.com' });
    expect(checkEmailText('pаypal@example.com')).toEqual({
      reason: 'mixes look-alike scripts (Latin, Cyrillic)',
    });
    expect(checkEmailText('jose\u0301@example.com')).toEqual({ value: 'jos\u00e9@example.com' });
    expect(mixedScripts('paypal')).toEqual([]);
  });

  it('a CSV row: ASCII values kept as they are, others in NFC, unsafe ones refused', () => {
    const read = CsvRowValidator.fromHeader(
      [
        { name: 'first_name', kind: 'text', description: '' },
        { name: 'city', kind: 'text', description: '' },
      ],
      ['first_name', 'city'],
    );
    if (!('validator' in read)) throw new Error('header refused');
    expect(read.validator.check([' Ada ', 'Jose\u0301'])).toEqual({ ok: true, values: ['Ada', 'Jos\u00e9'] });
    expect(read.validator.check(['A\u0001da', 'Paris'])).toEqual({
      ok: false,
      reason: 'first_name: contains the control character U+0001',
    });
    expect(read.validator.check(['Ada', 'Par\ufffdis'])).toEqual({
      ok: false,
      reason: 'city: is not UTF-8 text (save the file as UTF-8)',
    });
  });
});
