import { defineQueries } from '#platform/database/named-queries';

/** What an erasure (GDPR Art. 17) deletes of `customer_order` (the orders module's table): the orders (their lines go with them) of customer $1; how many. */
export const ORDER_SUBJECT_QUERIES = defineQueries('orders', {
  eraseOfCustomer: `
    WITH gone AS (DELETE FROM customer_order WHERE customer_id = $1 RETURNING 1) SELECT count(*)::int AS n FROM gone`,
  portableOfCustomer: `SELECT * FROM customer_order WHERE customer_id = $1 ORDER BY ordered_at, id`,
  portableLinesOfCustomer: `
    SELECT ol.* FROM order_line ol JOIN customer_order o ON o.id = ol.order_id
     WHERE o.customer_id = $1 ORDER BY ol.order_id, ol.position`,
});
