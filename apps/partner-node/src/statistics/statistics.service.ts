import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ValidationError } from '#platform/errors/app-errors';
import { addMonths, COUNTED_ORDER_STATUSES, linearFit, monthKey, projectFit } from '#segments';
import { OrderSalesService } from '../orders/order-sales.service.js';
import { SegmentsService } from '../segments/segments.service.js';
import type {
  CareSatisfaction,
  CareSatisfactionByMonthInput,
  CareSatisfactionMonth,
  CategorySales,
  PeriodInput,
  RfmDistribution,
  RfmScore,
  RfmInput,
  SalesByCategoryInput,
  SalesByMonthInput,
  SalesReport,
  SegmentSizeSeries,
  SegmentSizesInput,
} from './statistics.dto.js';

const COUNTED = [...COUNTED_ORDER_STATUSES];
/** The counted statuses as SQL literals (constants of the code), so that the planner matches the partial index on them. */
const COUNTED_SQL = COUNTED.map((status) => `'${status}'`).join(', ');

function checkPeriod(period: PeriodInput): void {
  if (period.from && period.to && period.to.getTime() <= period.from.getTime()) {
    throw new ValidationError('to', 'must be after from');
  }
}

/** Read-only aggregates for the dashboards; each is one SQL query over the CRM tables. */
@Injectable()
export class StatisticsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly segments: SegmentsService,
    private readonly sales: OrderSalesService,
  ) {}

  /**
   * Counted orders (paid, shipped, delivered) per calendar month (UTC) of the `months` complete
   * months before `until`, months without sales included as 0, and the least-squares trend over
   * them (libs/segments/src/trend.ts) projected over `projectMonths`.
   */
  async salesByMonth(input: SalesByMonthInput): Promise<SalesReport> {
    const months = input.months ?? 12;
    const end = addMonths(input.until ?? new Date(), 0);
    const start = addMonths(end, -months);
    const category = input.category?.trim() || null;
    const rows = await this.sales.byMonth(
      { statuses: COUNTED, currency: input.currency },
      start,
      end,
      category,
    );
    const byMonth = new Map(rows.map((r) => [r.month, r]));
    const series = Array.from({ length: months }, (_, i) => {
      const month = monthKey(addMonths(start, i));
      const row = byMonth.get(month);
      return { month, orders: row?.orders ?? 0, revenue: row?.revenue ?? '0.00', projected: false };
    });
    const fit = linearFit(series.map((m) => Number(m.revenue)));
    const projection = projectFit(fit, input.projectMonths ?? 3).map((value, i) => ({
      month: monthKey(addMonths(end, i)),
      orders: 0,
      revenue: value.toFixed(2),
      projected: true,
    }));
    return { currency: input.currency, category, months: series, trend: fit, projection };
  }

  /** Counted order lines per product category in the period, by revenue. */
  async salesByCategory(input: SalesByCategoryInput): Promise<CategorySales[]> {
    checkPeriod(input);
    return this.sales.byCategory(
      { statuses: COUNTED, currency: input.currency },
      input.from ?? null,
      input.to ?? null,
    );
  }

  async segmentSizes(input: SegmentSizesInput): Promise<SegmentSizeSeries[]> {
    checkPeriod(input);
    const ids = [...new Set(input.segmentIds)];
    const found = new Map((await this.segments.findByIds(ids)).map((s) => [s.id, s]));
    const missing = input.segmentIds.findIndex((id) => !found.has(id));
    if (missing >= 0) throw new ValidationError(`segmentIds[${missing}]`, 'no such segment');
    const points = await this.segments.sizeHistory(ids, input.from, input.to);
    return ids.map((id) => ({
      segmentId: id,
      segment: found.get(id),
      points: points.filter((p) => p.segmentId === id).map(({ size, at }) => ({ size, at })),
    }));
  }

  /** RFM quintile scores of the live customers with counted orders in the window. */
  async rfmDistribution(input: RfmInput): Promise<RfmDistribution> {
    const asOf = input.asOf ?? new Date();
    const windowDays = input.windowDays ?? 365;
    // Aggregated in SQL (one row per non-empty cell, at most 125): at a million customers, sending
    // every buyer's scores to the node cost more than computing them.
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
    }[] = await this.dataSource.transaction(async (manager) => {
      // A year of a million customers' orders is some 400,000 buyers grouped by customer and then
      // sorted three times (one ntile each): with the default 4 MB the grouping and each sort
      // spilled to disk, and compiling the plan (JIT) cost more than it saved. For this
      // transaction only.
      await manager.query(`SET LOCAL work_mem = '256MB'`);
      await manager.query(`SET LOCAL jit = off`);
      // Counted orders in the window come from customer_order_counted_ordered_idx (ordered_at,
      // with customer, total and currency; migration 1700000009300), whose predicate is these
      // statuses as written here; erased or deleted customers are the few to leave out.
      return manager.query(
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
        [asOf, windowDays, input.currency ?? null],
      );
    });
    const cells = rows.map((row) => ({
      recency: row.r,
      frequency: row.f,
      monetary: row.m,
      customers: row.customers,
    }));
    const scores = {
      recency: new Map<number, RfmScore>(),
      frequency: new Map<number, RfmScore>(),
      monetary: new Map<number, RfmScore>(),
    };
    // A score's range is the union of its cells' ranges.
    const tally = (
      map: Map<number, RfmScore>,
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
    const sorted = (map: Map<number, RfmScore>) => [...map.values()].sort((a, b) => a.score - b.score);
    return {
      asOf,
      windowDays,
      customers,
      cells: cells.sort(
        (a, b) => a.recency - b.recency || a.frequency - b.frequency || a.monetary - b.monetary,
      ),
      recency: sorted(scores.recency),
      frequency: sorted(scores.frequency),
      monetary: sorted(scores.monetary),
    };
  }

  /** Care cases opened in the period, per category: count, rated, average and distribution of satisfaction. */
  async careSatisfactionByCategory(input: PeriodInput): Promise<CareSatisfaction[]> {
    checkPeriod(input);
    const rows: {
      category: string | null;
      cases: number;
      rated: number;
      average: string | null;
      d1: number;
      d2: number;
      d3: number;
      d4: number;
      d5: number;
    }[] = await this.dataSource.query(
      `SELECT category, count(*)::int AS cases, count(satisfaction)::int AS rated, avg(satisfaction)::text AS average,
              count(*) FILTER (WHERE satisfaction = 1)::int AS d1, count(*) FILTER (WHERE satisfaction = 2)::int AS d2,
              count(*) FILTER (WHERE satisfaction = 3)::int AS d3, count(*) FILTER (WHERE satisfaction = 4)::int AS d4,
              count(*) FILTER (WHERE satisfaction = 5)::int AS d5
         FROM care_case
        WHERE ($1::timestamptz IS NULL OR opened_at >= $1) AND ($2::timestamptz IS NULL OR opened_at < $2)
        GROUP BY category ORDER BY count(*) DESC, category`,
      [input.from ?? null, input.to ?? null],
    );
    return rows.map((r) => ({
      category: r.category,
      cases: r.cases,
      rated: r.rated,
      average: r.average === null ? null : Number(r.average),
      distribution: [r.d1, r.d2, r.d3, r.d4, r.d5],
    }));
  }

  /** Care cases opened per calendar month (UTC) of the `months` complete months before `until`, empty months as 0. */
  async careSatisfactionByMonth(input: CareSatisfactionByMonthInput): Promise<CareSatisfactionMonth[]> {
    const months = input.months ?? 12;
    const end = addMonths(input.until ?? new Date(), 0);
    const start = addMonths(end, -months);
    const rows: { month: string; cases: number; rated: number; average: string | null }[] =
      await this.dataSource.query(
        `SELECT to_char(date_trunc('month', opened_at AT TIME ZONE 'UTC'), 'YYYY-MM') AS month,
                count(*)::int AS cases, count(satisfaction)::int AS rated, avg(satisfaction)::text AS average
           FROM care_case WHERE opened_at >= $1 AND opened_at < $2
          GROUP BY 1`,
        [start, end],
      );
    const byMonth = new Map(rows.map((r) => [r.month, r]));
    return Array.from({ length: months }, (_, i) => {
      const month = monthKey(addMonths(start, i));
      const row = byMonth.get(month);
      return {
        month,
        cases: row?.cases ?? 0,
        rated: row?.rated ?? 0,
        average: row?.average == null ? null : Number(row.average),
      };
    });
  }
}
