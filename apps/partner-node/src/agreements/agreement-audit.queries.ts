/**
 * The agreements module's facts for the compliance officer's violations report (issue 18): the
 * columns of `sharing_agreement` its checks read, as a relation (a plain subquery the planner
 * flattens into the join).
 */
export const AGREEMENT_AUDIT_FACTS = `(
  SELECT agreement_id, partner_id, state, direction, party_a, party_b, purposes, categories, retention_days,
         valid_from, valid_until
    FROM sharing_agreement)`;
