import { describe, expect, it } from '@jest/globals';
import { consentTimes, VALID_FROM_TOLERANCE_SECONDS } from './consent-validity.js';

const NOW = 1_760_000_000;
const at = (seconds: number): Date => new Date(seconds * 1000);

describe('consent validity (the rules of giveConsent and of the bulk path)', () => {
  it('takes a consent from now into the future, defaulting validFrom and givenAt to now', () => {
    expect(consentTimes({ validUntil: at(NOW + 86_400) }, NOW)).toEqual({
      validFrom: NOW,
      validUntil: NOW + 86_400,
      givenAt: NOW,
      problems: [],
    });
  });

  it.each([
    ['an end in the past', { validUntil: at(NOW) }, [['validUntil', 'VALIDITY_IN_THE_PAST']]],
    [
      'a start too far in the past',
      { validUntil: at(NOW + 60), validFrom: at(NOW - VALID_FROM_TOLERANCE_SECONDS - 1) },
      [['validFrom', 'VALIDITY_IN_THE_PAST']],
    ],
    [
      'an end before the start',
      { validUntil: at(NOW + 60), validFrom: at(NOW + 120) },
      [['validUntil', undefined]],
    ],
    [
      'a consent given in the future, and ended',
      { validUntil: at(NOW - 1), givenAt: at(NOW + 61) },
      [
        ['validUntil', 'VALIDITY_IN_THE_PAST'],
        ['givenAt', undefined],
      ],
    ],
  ])('refuses %s, in the order giveConsent reports', (_, input, expected) => {
    expect(consentTimes(input, NOW).problems.map((p) => [p.field, p.code])).toEqual(expected);
  });
});
