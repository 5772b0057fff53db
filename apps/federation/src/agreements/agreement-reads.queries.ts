import { defineQueries } from '#platform/database/named-queries';
import { agreementInForce } from './agreements.queries.js';

/**
 * An agreement `a` in force that lets `controller` share with `recipient` (SQL expressions): one-way
 * from party A to party B, or mutual either way. The consent registry's and the relay's rule.
 */
export const agreementLetsShare = (a: string, controller: string, recipient: string): string => `
  ((${a}.party_a = ${controller} AND ${a}.party_b = ${recipient})
    OR (${a}.direction = 'mutual' AND ${a}.party_a = ${recipient} AND ${a}.party_b = ${controller}))
  AND ${agreementInForce(a)}`;

/**
 * Some agreement in force lets `controller` share with `recipient` (SQL expressions), covering
 * `purpose` and `category` when given: the condition another module's statement embeds when it
 * must stay one statement (the consent registry's live-consent reads).
 */
export const someAgreementLetsShare = (
  controller: string,
  recipient: string,
  covering?: { purpose: string; category: string },
): string =>
  `EXISTS (SELECT 1 FROM agreement la WHERE ${agreementLetsShare('la', controller, recipient).replace(/\s+/g, ' ').trim()}${
    covering
      ? ` AND ${covering.purpose} = ANY (la.purposes) AND ${covering.category} = ANY (la.categories)`
      : ''
  })`;

/**
 * The reads other modules make of `agreement` and `agreement_message` (the agreements module's
 * tables): what the relay checks before it carries a message, what a party learns of an agreement's
 * status, what a segment merge runs under, and the registry's check of a batch of registrations.
 */
export const AGREEMENT_READ_QUERIES = defineQueries('agreements', {
  /** The categories of agreement $3 if it is in force, lets $1 share with $2, and covers customer care. */
  liveCareCategories: `
    SELECT a.categories FROM agreement a
     WHERE a.agreement_id = $3 AND ${agreementLetsShare('a', '$1', '$2')} AND 'customer-care' = ANY (a.purposes)`,
  /** The categories and purposes of agreement $3 if it is in force and lets $1 share with $2. */
  liveTerms: `
    SELECT a.categories, a.purposes FROM agreement a
     WHERE a.agreement_id = $3 AND ${agreementLetsShare('a', '$1', '$2')}`,
  /** Agreement $1 as party $2 may learn it: its parties, direction, terms and whether it is in force. */
  ofParty: `
    SELECT party_a, party_b, direction, purposes, categories, retention_days,
           (${agreementInForce('agreement')}) AS live
      FROM agreement WHERE agreement_id = $1 AND $2 IN (party_a, party_b)`,
  /** Agreement $1's parties, direction, terms, minimum cohort and whether it is in force. */
  terms: `
    SELECT party_a, party_b, direction, purposes, categories, min_cohort_size,
           (${agreementInForce('agreement')}) AS live
      FROM agreement WHERE agreement_id = $1`,
  /** The signed terms (the first `agreement` message) of agreement $1. */
  signedTerms: `SELECT jws FROM agreement_message WHERE agreement_id = $1 AND kind = 'agreement' ORDER BY seq LIMIT 1`,
});
