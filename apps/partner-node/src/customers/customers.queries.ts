import { defineQueries } from '#platform/database/named-queries';

/** A customer row's columns over `customer c` (also the search's select list: customer-search.ts). */
export const CUSTOMER_COLUMNS = `c.id, c.first_name, c.last_name, c.address_line1, c.address_line2,
  c.address_postal_code, c.address_city, c.address_region, c.address_country, c.language,
  c.lifecycle_stage, c.owner_id, c.tags, c.attributes, c.external_id, c.created_at, c.updated_at,
  c.deleted_at`;

/**
 * The customer module's hot reads, as the SQL that runs: fixed texts, run as prepared statements
 * (`runPrepared`; `customers.spec.ts` plans each of them against the migrated schema). Writes,
 * lists with filters and sorts stay with TypeORM in CustomersService. The conditions and orders are
 * those of the bare handler of `npm run bench:graphql` (bench/bare-graphql-server.ts), which selects
 * `*` and leaves the array's type to PostgreSQL.
 */
export const CUSTOMER_QUERIES = defineQueries('customers', {
  liveById: `SELECT ${CUSTOMER_COLUMNS} FROM customer c WHERE c.id = $1 AND c.deleted_at IS NULL`,
  liveByIds: `SELECT ${CUSTOMER_COLUMNS} FROM customer c WHERE c.id = ANY($1::uuid[]) AND c.deleted_at IS NULL`,
  anyByIds: `SELECT ${CUSTOMER_COLUMNS} FROM customer c WHERE c.id = ANY($1::uuid[])`,
  emailsOf: `SELECT e.id, e.customer_id, e.address, e.is_primary, e.created_at FROM customer_email e
      WHERE e.customer_id = ANY($1::uuid[]) ORDER BY e.is_primary DESC, e.address ASC`,
  phonesOf: `SELECT p.id, p.customer_id, p.number, p.is_primary, p.created_at FROM customer_phone p
      WHERE p.customer_id = ANY($1::uuid[]) ORDER BY p.is_primary DESC, p.number ASC`,
});
