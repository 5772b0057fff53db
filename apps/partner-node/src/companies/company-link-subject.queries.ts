import { defineQueries } from '#platform/database/named-queries';

/** What an erasure (GDPR Art. 17) deletes of `customer_company` (the companies module's table): the links to companies of customer $1; how many. */
export const COMPANY_LINK_SUBJECT_QUERIES = defineQueries('companies', {
  eraseOfCustomer: `
    WITH gone AS (DELETE FROM customer_company WHERE customer_id = $1 RETURNING 1) SELECT count(*)::int AS n FROM gone`,
  portableOfCustomer: `
    SELECT co.*, cc.role AS link_role, cc.created_at AS link_created_at
      FROM customer_company cc JOIN company co ON co.id = cc.company_id
     WHERE cc.customer_id = $1 ORDER BY cc.created_at, co.id`,
});
