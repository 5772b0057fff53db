import { describe, expect, it } from '@jest/globals';
import { summaryMatchesTerms, transitionFollows } from './agreement-chain.js';
import { AgreementState } from './agreement.enums.js';

const terms = {
  agreementId: 'agr-1',
  version: 1,
  iss: 'alpha',
  parties: ['alpha', 'beta'],
  purposes: ['customer-care', 'marketing'],
  categories: ['care-history'],
  validFrom: 1_900_000_000,
  validUntil: 1_950_000_000,
  direction: 'mutual',
};
const summary = { ...terms, purposes: ['marketing', 'customer-care'], agreementHash: 'h1' };
const transition = {
  agreementId: 'agr-1',
  version: 1,
  agreementHash: 'h1',
  from: 'proposed',
  to: 'accepted',
  iss: 'beta',
};

describe('the agreement chain rules (pure)', () => {
  it('a summary matches its signed terms in any order of purposes, not with other parties first', () => {
    expect(summaryMatchesTerms(terms, 'h1', summary)).toBe(true);
    expect(summaryMatchesTerms(terms, 'h2', summary)).toBe(false);
    expect(summaryMatchesTerms(terms, 'h1', { ...summary, parties: ['beta', 'alpha'] })).toBe(false);
    expect(summaryMatchesTerms(terms, 'h1', { ...summary, validUntil: 1_960_000_000 })).toBe(false);
  });

  it('a transition follows from the state reached, signed by a party, never accepted by its proposer', () => {
    expect(transitionFollows(terms, 'h1', AgreementState.PROPOSED, transition)).toBe(true);
    expect(transitionFollows(terms, 'h1', AgreementState.PROPOSED, { ...transition, iss: 'alpha' })).toBe(
      false,
    );
    expect(transitionFollows(terms, 'h1', AgreementState.PROPOSED, { ...transition, iss: 'gamma' })).toBe(
      false,
    );
    expect(transitionFollows(terms, 'h1', AgreementState.ACCEPTED, transition)).toBe(false);
    const termination = { ...transition, from: 'active', to: 'terminated', iss: 'alpha' };
    expect(transitionFollows(terms, 'h1', AgreementState.ACCEPTED, termination)).toBe(true);
    expect(transitionFollows(terms, 'h2', AgreementState.ACCEPTED, termination)).toBe(false);
  });
});
