import { defineQueries } from '#platform/database/named-queries';

/**
 * The identifiers of customers that other modules turn into subject tokens (the agreements
 * module's pseudonyms): live customers among some ids, and their e-mail addresses and phone
 * numbers, primary first. Run by CustomerIdentifiersRepository.
 */
export const CUSTOMER_IDENTIFIER_QUERIES = defineQueries('customers', {
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
