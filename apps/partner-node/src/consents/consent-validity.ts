import type { GiveConsentInput } from './consents.dto.js';

/** How far in the past validFrom may lie (clock skew between the form and the server). */
export const VALID_FROM_TOLERANCE_SECONDS = 300;

const seconds = (date: Date): number => Math.floor(date.getTime() / 1000);

/** A consent's times as NumericDates, and what is wrong with them (the rules of both paths). */
export interface ConsentTimes {
  validFrom: number;
  validUntil: number;
  givenAt: number;
  /** In the order `giveConsent` reports them (it refuses with the first); the bulk path names each. */
  problems: {
    field: 'validUntil' | 'validFrom' | 'givenAt';
    reason: string;
    code?: 'VALIDITY_IN_THE_PAST';
  }[];
}

/**
 * The validity rules of a consent at `now`: it ends in the future, starts now or later (within
 * the tolerance), ends after it starts, and was not given in the future. Shared by the
 * interactive and the bulk path, so that both refuse the same inputs.
 */
export function consentTimes(
  input: Pick<GiveConsentInput, 'validFrom' | 'validUntil' | 'givenAt'>,
  now: number,
): ConsentTimes {
  const validFrom = input.validFrom ? seconds(input.validFrom) : now;
  const validUntil = seconds(input.validUntil);
  const givenAt = input.givenAt ? seconds(input.givenAt) : now;
  const problems: ConsentTimes['problems'] = [];
  if (validUntil <= now) {
    problems.push({ field: 'validUntil', reason: 'must be in the future', code: 'VALIDITY_IN_THE_PAST' });
  } else if (validFrom < now - VALID_FROM_TOLERANCE_SECONDS) {
    problems.push({ field: 'validFrom', reason: 'cannot be in the past', code: 'VALIDITY_IN_THE_PAST' });
  } else if (validUntil <= validFrom) {
    problems.push({ field: 'validUntil', reason: 'must be after validFrom' });
  }
  if (givenAt > now + 60) problems.push({ field: 'givenAt', reason: 'cannot be in the future' });
  return { validFrom, validUntil, givenAt, problems };
}
