import { defineQueries } from '#platform/database/named-queries';

/**
 * What an erasure (GDPR Art. 17) deletes of `interaction` (the interactions module's table): the
 * interactions of customer $1 and those of their care cases $2 (ids, from the care-cases module);
 * how many.
 */
export const INTERACTION_SUBJECT_QUERIES = defineQueries('interactions', {
  eraseOfCustomer: `
    WITH gone AS (DELETE FROM interaction WHERE customer_id = $1 OR care_case_id = ANY ($2::uuid[]) RETURNING 1)
    SELECT count(*)::int AS n FROM gone`,
  portableOfCustomer: `SELECT * FROM interaction WHERE customer_id = $1 ORDER BY occurred_at, id`,
});
