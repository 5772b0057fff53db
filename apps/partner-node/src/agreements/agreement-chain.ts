import { unverifiedJwsPart } from '#protocol';
import { AgreementState } from './agreement.enums.js';

/**
 * The pure rules of an agreement's signed chain as this node mirrors it: no I/O, no keys (the
 * signatures are verified by the caller before these run).
 */

/** The `iat` of a compact JWS, unverified: the time at which a historical message is judged. */
export function peekIat(jws: string): number | undefined {
  const iat = unverifiedJwsPart(jws, 'claims')?.iat;
  return Number.isSafeInteger(iat) ? (iat as number) : undefined;
}

export const sameSet = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((value) => b.includes(value));

/** The agreement's state now: an accepted agreement in its validity is active, one past it expired. */
export function effectiveState(
  state: AgreementState,
  validFrom: Date,
  validUntil: Date,
  now: Date,
): AgreementState {
  if (state === AgreementState.TERMINATED || state === AgreementState.EXPIRED) return state;
  if (validUntil <= now) return AgreementState.EXPIRED;
  if (state === AgreementState.ACCEPTED && validFrom <= now) return AgreementState.ACTIVE;
  return state;
}

/** The signed terms' fields that the federation's summary of the agreement must repeat. */
export interface AgreementTermsLike {
  agreementId: string;
  version: number;
  parties: readonly string[];
  purposes: readonly string[];
  categories: readonly string[];
  validFrom: number;
  validUntil: number;
  direction: string;
}

/** The federation's summary says what the signed terms (whose hash is `hash`) say. */
export function summaryMatchesTerms(
  terms: AgreementTermsLike,
  hash: string,
  summary: AgreementTermsLike & { agreementHash: string },
): boolean {
  return (
    terms.agreementId === summary.agreementId &&
    hash === summary.agreementHash &&
    terms.version === summary.version &&
    sameSet(terms.parties, summary.parties) &&
    terms.parties[0] === summary.parties[0] &&
    sameSet(terms.purposes, summary.purposes) &&
    sameSet(terms.categories, summary.categories) &&
    terms.validFrom === summary.validFrom &&
    terms.validUntil === summary.validUntil &&
    terms.direction === summary.direction
  );
}

/**
 * A transition follows the chain when it names these terms (id, version, hash), starts from the
 * state reached so far (an accepted agreement may also be left as active), is signed by a party,
 * and is not an acceptance by the proposer.
 */
export function transitionFollows(
  terms: { agreementId: string; version: number; parties: readonly string[]; iss: string },
  hash: string,
  reached: AgreementState,
  transition: {
    agreementId: string;
    version: number;
    agreementHash: string;
    from: string;
    to: string;
    iss: string;
  },
): boolean {
  const from = transition.from as AgreementState;
  const fromMatches =
    from === reached || (reached === AgreementState.ACCEPTED && from === AgreementState.ACTIVE);
  return (
    transition.agreementId === terms.agreementId &&
    transition.version === terms.version &&
    transition.agreementHash === hash &&
    fromMatches &&
    terms.parties.includes(transition.iss) &&
    !(transition.to === 'accepted' && transition.iss === terms.iss)
  );
}
