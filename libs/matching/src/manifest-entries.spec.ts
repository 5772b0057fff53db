import { describe, expect, it } from '@jest/globals';
import { subjectToken } from '#protocol';
import { manifestEntriesOf, mergeAgreementProblem, type MemberIdentifier } from './manifest-entries.js';
import { tokenBytes } from './manifest.js';

const KEY = new Uint8Array(32).fill(7);
const member = (customerId: string, value: string, country: string | null = null): MemberIdentifier => ({
  customerId,
  kind: 'email',
  value,
  country,
});

describe('manifestEntriesOf', () => {
  it('numbers members in order, flags consented tokens and keeps a shared address with its first customer', () => {
    const consented = new Set([subjectToken(KEY, 'email', 'b@example.org')]);
    const built = manifestEntriesOf(
      [
        member('c1', 'a@example.org'),
        member('c1', 'A2@example.org'),
        member('c2', 'b@example.org'),
        member('c3', 'a@example.org'),
      ],
      KEY,
      consented,
      false,
    );
    expect(built.entries.map((e) => [e.member, e.consent, e.bucket])).toEqual([
      [0, false, 0],
      [0, false, 0],
      [1, true, 0],
    ]);
    expect(built.entries[0]!.token).toEqual(tokenBytes(subjectToken(KEY, 'email', 'a@example.org')));
    expect(built.owner.get(subjectToken(KEY, 'email', 'a@example.org'))).toBe('c1');
    expect(built.labels).toEqual([]);
    expect(built.skipped).toBe(0);
  });

  it('buckets by country (sorted labels, unknown in 0) and counts identifiers it cannot normalise', () => {
    const built = manifestEntriesOf(
      [
        member('c1', 'a@example.org', 'IT'),
        member('c2', 'not an address', 'FR'),
        member('c3', 'c@example.org', 'DE'),
        member('c4', 'd@example.org'),
      ],
      KEY,
      new Set(),
      true,
    );
    expect(built.labels).toEqual(['DE', 'FR', 'IT']);
    expect(built.entries.map((e) => e.bucket)).toEqual([3, 1, 0]);
    expect(built.skipped).toBe(1);
  });
});

describe('mergeAgreementProblem', () => {
  const terms = {
    agreementId: 'agr-1',
    state: 'active',
    purposes: ['marketing'],
    categories: ['segment-membership'],
    direction: 'mutual',
  };

  it('accepts a live mutual marketing agreement covering segment membership', () => {
    expect(mergeAgreementProblem(terms)).toBeNull();
    expect(mergeAgreementProblem({ ...terms, state: 'accepted' })).toBeNull();
  });

  it('names what is missing', () => {
    expect(mergeAgreementProblem({ ...terms, state: 'terminated' })).toBe('agreement agr-1 is terminated');
    expect(mergeAgreementProblem({ ...terms, purposes: ['customer-care'] })).toMatch(/purpose marketing/);
    expect(mergeAgreementProblem({ ...terms, categories: [] })).toMatch(/segment membership/);
    expect(mergeAgreementProblem({ ...terms, direction: 'one-way' })).toMatch(/one-way/);
  });
});
