import { defineQueries } from '#platform/database/named-queries';

/** What other modules ask of `erasure_request` (the compliance module's table). */
export const ERASURE_RECORD_QUERIES = defineQueries('compliance', {
  /** A row when customer $1 was erased (GDPR Art. 17): a tombstone, never restored. */
  erased: `SELECT 1 FROM erasure_request WHERE customer_id = $1`,
});
