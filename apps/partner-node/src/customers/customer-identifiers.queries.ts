import { defineQueries } from '#platform/database/named-queries';

/**
 * The identifiers of customers that other modules turn into subject tokens (the agreements
 * module's pseudonyms): live customers among some ids, and their e-mail addresses and phone
 * numbers, primary first. Run by CustomerIdentifiersRepository.
 */
export const CUSTOMER_IDENTIFIER_QUERIES = defineQueries('customers', {
  /**
   * One customer's identifiers in one statement (what the three below read for many): no row when
   * $1 is unknown or deleted, one row of nulls when it has none; e-mail addresses first (primary
   * first, then by address), then phone numbers (primary first, then by number).
   */
  identifiersOfOne: `
    SELECT i.kind, i.value
      FROM customer c
      LEFT JOIN LATERAL (
        SELECT 'email' AS kind, e.address AS value, 0 AS part, e.is_primary
          FROM customer_email e WHERE e.customer_id = c.id
        UNION ALL
        SELECT 'phone', p.number, 1, p.is_primary FROM customer_phone p WHERE p.customer_id = c.id
      ) i ON true
     WHERE c.id = $1::uuid AND c.deleted_at IS NULL
     ORDER BY i.part, i.is_primary DESC, i.value`,
  /** The ids among $1 of customers not deleted. */
  liveIdsAmong: `SELECT id FROM customer WHERE id = ANY ($1::uuid[]) AND deleted_at IS NULL`,
  /** The e-mail addresses of the customers $1, per customer primary first, then by address. */
  emailAddressesOf: `
    SELECT customer_id, address FROM customer_email WHERE customer_id = ANY ($1::uuid[])
     ORDER BY customer_id, is_primary DESC, address`,
  /** The phone numbers of the customers $1, per customer primary first, then by number. */
  phoneNumbersOf: `
    SELECT customer_id, number FROM customer_phone WHERE customer_id = ANY ($1::uuid[])
     ORDER BY customer_id, is_primary DESC, number`,
});
