import { defineQueries } from '#platform/database/named-queries';
import { COUNTED_ORDER_STATUSES } from '#segments';
import { customerIsDeleted } from '../customers/customer-subject.queries.js';

/** The counted statuses as SQL literals (constants of the code), so that the planner matches the partial index on them. */
const COUNTED_SQL = [...COUNTED_ORDER_STATUSES].map((status) => `'${status}'`).join(', ');

/**
 * The orders module's RFM ranking, for the statistics module's RFM snapshots.
 * $1 as of, $2 window (days), $3 currency (null: all).
 */
export const ORDER_RFM_QUERIES = defineQueries('orders', {
  /**
   * The buyers of counted orders in the window, scored in quintiles of recency, frequency and money,
   * aggregated to one row per non-empty (r, f, m) cell (at most 125) with each cell's ranges: at a
   * million customers, sending every buyer's scores to the node cost more than computing them.
   * Counted orders in the window come from customer_order_counted_ordered_idx (ordered_at, with
   * customer, total and currency; migration 1700000009300), whose predicate is these statuses as
   * written here; erased or deleted customers (the customers module's predicate) are the few to
   * leave out.
   */
  cells: `
    WITH facts AS (
      SELECT o.customer_id, max(o.ordered_at) AS last_at, count(*)::int AS frequency, sum(o.total) AS monetary
        FROM customer_order o
       WHERE o.status IN (${COUNTED_SQL}) AND o.ordered_at <= $1 AND o.ordered_at > $1::timestamptz - make_interval(days => $2)
         AND ($3::text IS NULL OR o.currency = $3)
         AND NOT ${customerIsDeleted('o.customer_id')}
       GROUP BY o.customer_id),
    scored AS (
      SELECT ntile(5) OVER (ORDER BY last_at, customer_id)::int AS r,
             ntile(5) OVER (ORDER BY frequency, customer_id)::int AS f,
             ntile(5) OVER (ORDER BY monetary, customer_id)::int AS m,
             floor(extract(epoch FROM ($1::timestamptz - last_at)) / 86400)::int AS recency_days,
             frequency, monetary
        FROM facts)
    SELECT r, f, m, count(*)::int AS customers,
           min(recency_days)::int AS r_min, max(recency_days)::int AS r_max,
           min(frequency)::int AS f_min, max(frequency)::int AS f_max,
           min(monetary)::text AS m_min, max(monetary)::text AS m_max
      FROM scored GROUP BY r, f, m`,
});
