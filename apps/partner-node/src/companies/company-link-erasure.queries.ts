import { defineQueries } from '#platform/database/named-queries';

/** What an erasure (GDPR Art. 17) deletes of `customer_company` (the companies module's table): the links to companies of customer $1; how many. */
export const COMPANY_LINK_ERASURE_QUERIES = defineQueries('companies', {
  eraseOfCustomer: `
    WITH gone AS (DELETE FROM customer_company WHERE customer_id = $1 RETURNING 1) SELECT count(*)::int AS n FROM gone`,
});
