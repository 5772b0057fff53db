import { defineQueries } from '#platform/database/named-queries';

/**
 * What other modules ask of `care_case` (the care-cases module's table) about a customer: the
 * customer of a case (an interaction must be of its case's customer), and for an erasure (GDPR
 * Art. 17) the customer's cases (their interactions go first) and their deletion.
 */
export const CARE_CASE_SUBJECT_QUERIES = defineQueries('care-cases', {
  customerOf: `SELECT customer_id FROM care_case WHERE id = $1`,
  idsOfCustomer: `SELECT id::text AS id FROM care_case WHERE customer_id = $1`,
  eraseOfCustomer: `
    WITH gone AS (DELETE FROM care_case WHERE customer_id = $1 RETURNING 1) SELECT count(*)::int AS n FROM gone`,
  portableOfCustomer: `SELECT * FROM care_case WHERE customer_id = $1 ORDER BY opened_at, id`,
});
