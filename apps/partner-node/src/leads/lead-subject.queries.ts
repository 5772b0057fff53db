import { defineQueries } from '#platform/database/named-queries';

/** What an erasure (GDPR Art. 17) deletes of `lead` (the leads module's table): the leads of customer $1; how many. */
export const LEAD_SUBJECT_QUERIES = defineQueries('leads', {
  eraseOfCustomer: `
    WITH gone AS (DELETE FROM lead WHERE customer_id = $1 RETURNING 1) SELECT count(*)::int AS n FROM gone`,
  portableOfCustomer: `SELECT * FROM lead WHERE customer_id = $1 ORDER BY created_at, id`,
});
