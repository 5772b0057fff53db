import type { EntityManager } from 'typeorm';
import { COUNTED_ORDER_STATUSES } from '#segments';

/** The counted statuses as SQL literals (constants of the code), so that the planner matches the partial index on them. */
const COUNTED_SQL = [...COUNTED_ORDER_STATUSES].map((status) => `'${status}'`).join(', ');

export interface RfmCellResult {
  recency: number;
  frequency: number;
  monetary: number;
  customers: number;
}

export interface RfmScoreResult {
  score: number;
  customers: number;
  min: number;
  max: number;
}

/** A computed RFM distribution (what a snapshot stores as JSON): cells, per-score ranges, customers. */
export interface RfmResult {
  customers: number;
  cells: RfmCellResult[];
  recency: RfmScoreResult[];
  frequency: RfmScoreResult[];
  monetary: RfmScoreResult[];
}

/**
 * RFM quintile scores of the live customers with counted orders in the `windowDays` days up to
 * `asOf` (in `currency`, or all), computed in SQL. Runs in the caller's transaction (`manager`),
 * whose memory and JIT settings it changes for that transaction only.
 */
export async function computeRfm(
  manager: EntityManager,
  asOf: Date,
  windowDays: number,
  currency: string | null,
): Promise<RfmResult> {
  // A year of a million customers' orders is some 400,000 buyers grouped by customer and then
  // sorted three times (one ntile each): with the default 4 MB the grouping and each sort
  // spilled to disk, and compiling the plan (JIT) cost more than it saved. For this
  // transaction only.
  await manager.query(`SET LOCAL work_mem = '256MB'`);
  await manager.query(`SET LOCAL jit = off`);
  // Aggregated in SQL (one row per non-empty cell, at most 125): at a million customers, sending
  // every buyer's scores to the node cost more than computing them.
  // Counted orders in the window come from customer_order_counted_ordered_idx (ordered_at,
  // with customer, total and currency; migration 1700000009300), whose predicate is these
  // statuses as written here; erased or deleted customers are the few to leave out.
  const rows: {
    r: number;
    f: number;
    m: number;
    customers: number;
    r_min: number;
    r_max: number;
    f_min: number;
    f_max: number;
    m_min: string;
    m_max: string;
  }[] = await manager.query(
    `WITH facts AS (
       SELECT o.customer_id, max(o.ordered_at) AS last_at, count(*)::int AS frequency, sum(o.total) AS monetary
         FROM customer_order o
        WHERE o.status IN (${COUNTED_SQL}) AND o.ordered_at <= $1 AND o.ordered_at > $1::timestamptz - make_interval(days => $2)
          AND ($3::text IS NULL OR o.currency = $3)
          AND NOT EXISTS (SELECT 1 FROM customer c WHERE c.id = o.customer_id AND c.deleted_at IS NOT NULL)
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
    [asOf, windowDays, currency],
  );
  const cells = rows.map((row) => ({
    recency: row.r,
    frequency: row.f,
    monetary: row.m,
    customers: row.customers,
  }));
  const scores = {
    recency: new Map<number, RfmScoreResult>(),
    frequency: new Map<number, RfmScoreResult>(),
    monetary: new Map<number, RfmScoreResult>(),
  };
  // A score's range is the union of its cells' ranges.
  const tally = (
    map: Map<number, RfmScoreResult>,
    score: number,
    customers: number,
    min: number,
    max: number,
  ) => {
    const s = map.get(score) ?? { score, customers: 0, min, max };
    s.customers += customers;
    s.min = Math.min(s.min, min);
    s.max = Math.max(s.max, max);
    map.set(score, s);
  };
  let customers = 0;
  for (const row of rows) {
    customers += row.customers;
    tally(scores.recency, row.r, row.customers, row.r_min, row.r_max);
    tally(scores.frequency, row.f, row.customers, row.f_min, row.f_max);
    tally(scores.monetary, row.m, row.customers, Number(row.m_min), Number(row.m_max));
  }
  const sorted = (map: Map<number, RfmScoreResult>) => [...map.values()].sort((a, b) => a.score - b.score);
  return {
    customers,
    cells: cells.sort(
      (a, b) => a.recency - b.recency || a.frequency - b.frequency || a.monetary - b.monetary,
    ),
    recency: sorted(scores.recency),
    frequency: sorted(scores.frequency),
    monetary: sorted(scores.monetary),
  };
}
