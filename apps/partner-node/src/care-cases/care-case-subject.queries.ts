import { defineQueries } from '#platform/database/named-queries';

/**
 * What other modules ask of `care_case` (the care-cases module's table) about a customer: for an
 * erasure (GDPR Art. 17) the customer's cases (their interactions go first) and their deletion.
 */
export const CARE_CASE_SUBJECT_QUERIES = defineQueries('care-cases', {
  idsOfCustomer: `SELECT id::text AS id FROM care_case WHERE customer_id = $1`,
  eraseOfCustomer: `
    WITH gone AS (DELETE FROM care_case WHERE customer_id = $1 RETURNING 1) SELECT count(*)::int AS n FROM gone`,
  portableOfCustomer: `SELECT * FROM care_case WHERE customer_id = $1 ORDER BY opened_at, id`,
});
