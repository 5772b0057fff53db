import { defineQueries } from '#platform/database/named-queries';

/**
 * How other modules resolve what names a customer (an id given by a client, an external id of a
 * CSV line) to the customers that exist. Run by CustomerReferencesRepository.
 */
/**
 * The live (not deleted) customers as a relation (id, external_id), for set-based statements of
 * other modules that resolve external ids (an order import's lines): a subquery the planner
 * flattens into the join it is used in.
 */
export const LIVE_CUSTOMERS = `(SELECT id, external_id FROM customer WHERE deleted_at IS NULL)`;

export const CUSTOMER_REFERENCE_QUERIES = defineQueries('customers', {
  /** The ids among $1 of customers not deleted. */
  liveIdsAmong: `SELECT id FROM customer WHERE id = ANY($1::uuid[]) AND deleted_at IS NULL`,
  /** Live customers by external id: those of $1 that name one. */
  liveByExternalIds: `
    SELECT id, external_id FROM customer WHERE external_id = ANY($1::text[]) AND deleted_at IS NULL`,
  /** Customers (deleted ones too) whose external id matches the LIKE pattern $1. */
  byExternalIdPattern: `SELECT id, external_id FROM customer WHERE external_id LIKE $1`,
  /** The creation time of the customer $1, when it is not deleted. */
  liveCreatedAt: `SELECT created_at FROM customer WHERE id = $1 AND deleted_at IS NULL`,
});
