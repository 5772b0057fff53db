import { defineQueries } from '#platform/database/named-queries';
import { customerIsLive } from '../customers/customer-subject.queries.js';

/**
 * Customer `customer` is linked to company `company` (SQL expressions: columns or parameters): the
 * companies module's definition of membership, for the customers module's list filtered by company
 * (a semi-join on `customer_company`'s key, inside the customers' keyset-paginated query).
 */
export const customerInCompany = (customer: string, company: string): string =>
  `EXISTS (SELECT 1 FROM customer_company cc WHERE cc.customer_id = ${customer} AND cc.company_id = ${company})`;

/** The companies' statements on their members (`customer_company`). */
export const COMPANY_MEMBER_QUERIES = defineQueries('companies', {
  /**
   * The live customers of the companies $1, newest links first, at most $2 each; a customer's
   * liveness is the customers module's (`customerIsLive`).
   */
  liveMembersOfCompanies: `
    SELECT customer_id, company_id, role, created_at, updated_at FROM (
      SELECT m.*, row_number() OVER (PARTITION BY m.company_id ORDER BY m.created_at DESC, m.customer_id) AS n
        FROM customer_company m
       WHERE m.company_id = ANY($1) AND ${customerIsLive('m.customer_id')}
    ) ranked WHERE n <= $2 ORDER BY company_id, n`,
});
