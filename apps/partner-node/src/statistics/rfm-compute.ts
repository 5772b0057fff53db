import type { EntityManager } from 'typeorm';
import type { OrderRfmRepository } from '../orders/order-rfm.repository.js';

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
 * `asOf` (in `currency`, or all), ranked in SQL by the orders module (`OrderRfmRepository`) in the
 * caller's transaction (`manager`), and tallied here into cells and per-score ranges.
 */
export async function computeRfm(
  orders: OrderRfmRepository,
  manager: EntityManager,
  asOf: Date,
  windowDays: number,
  currency: string | null,
): Promise<RfmResult> {
  const rows = await orders.cells(manager, asOf, windowDays, currency);
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
