import { defineQueries } from '#platform/database/named-queries';

/**
 * A live (not soft-deleted) customer: the customers module's one definition, for the statements of
 * other modules that keep only live customers of a set they read (a company's members, a campaign's
 * audience, a merge's tokens). `id` is the SQL expression of the customer id. A semi-join on the
 * primary key: the same plan as the join it replaces.
 */
export const customerIsLive = (id: string): string =>
  `EXISTS (SELECT 1 FROM customer lc WHERE lc.id = ${id} AND lc.deleted_at IS NULL)`;

/**
 * A soft-deleted (or erased) customer: the negation other modules' statements use to leave the few
 * such customers out of a large scan (an anti-join on the deleted ones, cheaper there than a
 * semi-join on every live one).
 */
export const customerIsDeleted = (id: string): string =>
  `EXISTS (SELECT 1 FROM customer dc WHERE dc.id = ${id} AND dc.deleted_at IS NOT NULL)`;

/**
 * The e-mail addresses and phone numbers of the live customers among `members` (a statement whose
 * rows have a `customer_id` column), one row per identifier with the customer's country, ordered
 * by customer, kind and value: what a segment merge's manifest is built from.
 */
export const contactIdentifiersOf = (members: string): string => `
    SELECT m.customer_id, 'email' AS kind, e.address AS value, c.address_country AS country
      FROM (${members}) m JOIN customer c ON c.id = m.customer_id AND c.deleted_at IS NULL
      JOIN customer_email e ON e.customer_id = m.customer_id
    UNION ALL
    SELECT m.customer_id, 'phone', p.number, c.address_country
      FROM (${members}) m JOIN customer c ON c.id = m.customer_id AND c.deleted_at IS NULL
      JOIN customer_phone p ON p.customer_id = m.customer_id
    ORDER BY 1, 2, 3`;

/**
 * The customers module's statements about one data subject, for the compliance officer: whether
 * the customer exists (soft-deleted or erased included), and what an erasure (GDPR Art. 17) does to
 * the customer's rows. $1 is the customer id.
 */
export const CUSTOMER_SUBJECT_QUERIES = defineQueries('customers', {
  exists: `SELECT 1 FROM customer WHERE id = $1`,
  lockForErasure: `SELECT id FROM customer WHERE id = $1 FOR UPDATE`,
  eraseEmails: `
    WITH gone AS (DELETE FROM customer_email WHERE customer_id = $1 RETURNING 1) SELECT count(*)::int AS n FROM gone`,
  erasePhones: `
    WITH gone AS (DELETE FROM customer_phone WHERE customer_id = $1 RETURNING 1) SELECT count(*)::int AS n FROM gone`,
  /** The tombstone: names $2, nothing personal left, soft-deleted (if it was not yet). */
  tombstone: `
    UPDATE customer SET first_name = $2, last_name = $2, address_line1 = NULL, address_line2 = NULL,
           address_postal_code = NULL, address_city = NULL, address_region = NULL, address_country = NULL,
           language = NULL, owner_id = NULL, tags = '{}', attributes = '{}', external_id = NULL,
           updated_at = now(), deleted_at = COALESCE(deleted_at, now())
     WHERE id = $1`,
  /** The customer with external id $1 (soft-deleted and erased included). */
  idOfExternal: `SELECT id FROM customer WHERE external_id = $1`,
  portableCustomer: `SELECT * FROM customer WHERE id = $1`,
  portableEmails: `SELECT * FROM customer_email WHERE customer_id = $1 ORDER BY is_primary DESC, created_at, id`,
  portablePhones: `SELECT * FROM customer_phone WHERE customer_id = $1 ORDER BY is_primary DESC, created_at, id`,
});
