import { defineQueries } from '#platform/database/named-queries';

/** A consent not withdrawn. `c` is the alias of `consent` in the statement that uses it. */
export const consentNotWithdrawn = (c: string): string => `${c}.withdrawn_at IS NULL`;

/**
 * A consent in force: not withdrawn and within its validity. The one definition of "live consent"
 * on this node.
 */
export const consentInForce = (c: string): string =>
  `${consentNotWithdrawn(c)} AND ${c}.valid_from <= now() AND ${c}.valid_until > now()`;

/** A customer-care consent in force whose registration for `recipient` the federation accepted. */
const liveCareConsentFor = (c: string, recipient: string): string =>
  [
    `'customer-care' = ANY (${c}.purposes) AND ${consentInForce(c)}`,
    `AND EXISTS (SELECT 1 FROM consent_registration g`,
    `WHERE g.consent_id = ${c}.id AND g.recipient = ${recipient} AND g.status = 'registered')`,
  ].join(' ');

/** Statements on `consent` and `consent_registration`, the consents module's tables. */
export const CONSENT_QUERIES = defineQueries('consents', {
  /**
   * Live customer-care consents of the customers $1, one row per registered recipient, with the
   * agreement it names for that recipient and the customer's subject token under that agreement's
   * key (the first by kind; null when the consent carries none).
   */
  liveCareForCustomers: `
    SELECT c.id, c.customer_id, c.categories, r.recipient, c.agreement_ids[r.n] AS agreement_id,
           (SELECT e->>'token' FROM jsonb_array_elements(c.subject_tokens) e
             WHERE e->>'keyId' = c.agreement_ids[r.n] ORDER BY e->>'kind' LIMIT 1) AS token
      FROM consent c, unnest(c.recipients) WITH ORDINALITY AS r(recipient, n)
     WHERE c.customer_id = ANY ($1::uuid[])
       AND ${liveCareConsentFor('c', 'r.recipient')}`,
  /**
   * Live customer-care consents for recipient $1 under agreement $2, with the subject token under
   * its key; narrowed to subject tokens $3 and to customers $4 when given (null: all).
   */
  liveCareForRecipient: `
    SELECT c.id, c.customer_id, c.categories,
           (SELECT e->>'token' FROM jsonb_array_elements(c.subject_tokens) e
             WHERE e->>'keyId' = $2 AND ($3::text[] IS NULL OR e->>'token' = ANY ($3::text[]))
             ORDER BY e->>'kind' LIMIT 1) AS token
      FROM consent c
     WHERE $1 = ANY (c.recipients) AND c.agreement_ids[array_position(c.recipients, $1)] = $2
       AND ${liveCareConsentFor('c', '$1')}
       AND ($4::uuid[] IS NULL OR c.customer_id = ANY ($4::uuid[]))
       AND ($3::text[] IS NULL OR EXISTS (SELECT 1 FROM jsonb_array_elements(c.subject_tokens) e
             WHERE e->>'keyId' = $2 AND e->>'token' = ANY ($3::text[])))`,
  /**
   * Live consents of this node's customers to share segment membership for marketing with $1 (the
   * partner) under agreement $2, registered with the federation: their subject tokens under that
   * agreement's key (what a merge's manifest flags, and what a merged segment keeps).
   */
  liveSegmentMembershipTokens: `
    SELECT DISTINCT e->>'token' AS token, c.customer_id
      FROM consent c, jsonb_array_elements(c.subject_tokens) e
     WHERE $1 = ANY (c.recipients) AND c.agreement_ids[array_position(c.recipients, $1)] = $2
       AND 'marketing' = ANY (c.purposes) AND 'segment-membership' = ANY (c.categories)
       AND ${consentInForce('c')}
       AND c.registration_status = 'registered' AND e->>'keyId' = $2`,
  /** Of the consents $1, those in force. */
  liveAmong: `
    SELECT c.id FROM consent c WHERE c.id = ANY ($1::uuid[]) AND ${consentInForce('c')}`,
  /** The consents of customer $1 not withdrawn (in force or expired). */
  notWithdrawnOfCustomer: `
    SELECT c.id FROM consent c WHERE c.customer_id = $1 AND ${consentNotWithdrawn('c')}`,
  /** One consent's signed withdrawal and the state of its registration at the federation. */
  withdrawal: `
    SELECT c.withdrawal_jws, c.withdrawal_registration_status FROM consent c WHERE c.id = $1`,
  /** A consent's recipients, one row each. */
  recipients: `
    SELECT c.id AS consent_id, r AS recipient FROM consent c, unnest(c.recipients) AS r WHERE c.id = $1`,
});
