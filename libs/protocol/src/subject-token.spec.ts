import { describe, expect, it } from '@jest/globals';
import { createHmac } from 'node:crypto';
import { normaliseEmail, normalisePhone, subjectToken } from './subject-token.js';

const key = Buffer.alloc(32, 7);

describe('subject tokens', () => {
  describe('normaliseEmail', () => {
    it.each([
      ['  Jane.Doe@Example.COM ', 'jane.doe@example.com'],
      ['jane+news@example.co.uk', 'jane+news@example.co.uk'],
      ['ÉLODIE@exemple.fr', 'élodie@exemple.fr'],
      ['e\u0301lodie@exemple.fr', 'élodie@exemple.fr'],
    ])('normalises %j to %j', (raw, expected) => {
      expect(normaliseEmail(raw)).toBe(expected);
    });

    it.each([
      '',
      'jane',
      'jane@',
      '@example.com',
      'jane@@example.com',
      'jane@localhost',
      'jane@example..com',
      'jane@-example.com',
      'jane@example.com.',
      'jane doe@example.com',
      'jane@exa mple.com',
      '"jane"@example.com',
      'ja\tne@example.com',
      `${'a'.repeat(65)}@example.com`,
    ])('refuses %j', (raw) => {
      expect(() => normaliseEmail(raw)).toThrow(expect.objectContaining({ code: 'INVALID_IDENTIFIER' }));
    });
  });

  describe('normalisePhone', () => {
    it.each([
      ['+33 6 12 34 56 78', {}, '+33612345678'],
      ['0033 6.12.34.56.78', {}, '+33612345678'],
      ['06-12-34-56-78', { defaultCallingCode: '33' }, '+33612345678'],
      ['06 12 34 56 78', { defaultCallingCode: '+33' }, '+33612345678'],
      ['+44 (0)20 7946 0958', {}, '+442079460958'],
      ['(+1) 415/555-2671', {}, '+14155552671'],
      ['＋４９ ３０ １２３４５６７', {}, '+49301234567'],
    ])('normalises %j (%j) to %j', (raw, options, expected) => {
      expect(normalisePhone(raw, options)).toBe(expected);
    });

    it.each([
      ['06 12 34 56 78', {}],
      ['612345678', {}],
      ['+0 612345678', {}],
      ['+33 6 12', {}],
      ['+1234567890123456', {}],
      ['+33 6 12 34 56 7a', {}],
      ['tel:+33612345678', {}],
      ['', {}],
      ['06 12 34 56 78', { defaultCallingCode: '0' }],
    ])('refuses %j (%j)', (raw, options) => {
      expect(() => normalisePhone(raw, options)).toThrow(
        expect.objectContaining({ code: 'INVALID_IDENTIFIER' }),
      );
    });
  });

  describe('subjectToken', () => {
    it('is HMAC-SHA256 over kind:normalised identifier, base64url', () => {
      const expected = createHmac('sha256', key).update('email:jane@example.com').digest('base64url');
      expect(subjectToken(key, 'email', ' Jane@Example.com')).toBe(expected);
      expect(expected).toHaveLength(43);
    });

    it('gives the same token for every spelling of one identifier', () => {
      expect(subjectToken(key, 'phone', '+33 6 12 34 56 78')).toBe(
        subjectToken(key, 'phone', '06.12.34.56.78', { defaultCallingCode: '33' }),
      );
    });

    it('separates kinds and keys', () => {
      // The same text read as an e-mail and as a phone never gives the same token.
      expect(createHmac('sha256', key).update('email:x').digest('base64url')).not.toBe(
        createHmac('sha256', key).update('phone:x').digest('base64url'),
      );
      const other = Buffer.alloc(32, 8);
      expect(subjectToken(key, 'email', 'jane@example.com')).not.toBe(
        subjectToken(other, 'email', 'jane@example.com'),
      );
    });

    it('refuses short keys, unknown kinds and invalid identifiers', () => {
      expect(() => subjectToken(Buffer.alloc(8), 'email', 'jane@example.com')).toThrow(
        expect.objectContaining({ code: 'INVALID_KEY' }),
      );
      expect(() => subjectToken(key, 'fax' as never, '123')).toThrow(
        expect.objectContaining({ code: 'INVALID_IDENTIFIER' }),
      );
      expect(() => subjectToken(key, 'email', 'nope')).toThrow(
        expect.objectContaining({ code: 'INVALID_IDENTIFIER' }),
      );
    });
  });
});
