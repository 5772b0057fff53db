import { defineQueries } from '#platform/database/named-queries';

/**
 * An agreement in force: accepted or active (the local mirror of its signed chain) and within its
 * validity. The one definition of "live agreement" on this node; `a` is the alias of
 * `sharing_agreement` in the statement that uses it.
 */
export const agreementInForce = (a: string): string =>
  `${a}.state IN ('accepted','active') AND ${a}.valid_from <= now() AND ${a}.valid_until > now()`;

/** Customer care is among the agreement's purposes. */
const forCustomerCare = (a: string): string => `'customer-care' = ANY (${a}.purposes)`;

/** Statements on `sharing_agreement`, the agreements module's table. */
export const AGREEMENT_QUERIES = defineQueries('agreements', {
  /**
   * Customer-care agreements in force that let this node ($3) send to each (agreement $1[i],
   * partner $2[i]): mutual, or outbound (this node is party A).
   */
  liveOutbound: `
    SELECT a.agreement_id, a.partner_id, a.categories, a.retention_days
      FROM sharing_agreement a
      JOIN unnest($1::text[], $2::text[]) AS asked(agreement_id, partner_id)
        ON a.agreement_id = asked.agreement_id AND a.partner_id = asked.partner_id
     WHERE ${agreementInForce('a')}
       AND (a.direction = 'mutual' OR a.party_a = $3) AND ${forCustomerCare('a')}`,
  /** Customer-care agreements in force under which partners send to this node ($1): mutual or inbound. */
  liveInbound: `
    SELECT a.agreement_id, a.partner_id
      FROM sharing_agreement a
     WHERE ${agreementInForce('a')}
       AND ${forCustomerCare('a')} AND (a.direction = 'mutual' OR a.party_b = $1)
     ORDER BY a.partner_id, a.agreement_id`,
});
