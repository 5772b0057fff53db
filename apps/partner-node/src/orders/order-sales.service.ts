import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { addMonths } from '#segments';

/** Sales of one calendar month (UTC), 'YYYY-MM'. */
export interface MonthSales {
  month: string;
  orders: number;
  revenue: string;
}

/** Sales of one product category (null: lines without one). */
export interface CategorySalesRow {
  category: string | null;
  orders: number;
  quantity: number;
  revenue: string;
}

export interface SalesFilter {
  statuses: readonly string[];
  currency: string;
}

/** Parts a sums table may hold before a read compacts it (one row per key stays after). */
const COMPACT_ABOVE = 5_000;

/** 'YYYY-MM-DD' of a month's first day: the `month date` columns, free of the session's time zone. */
const day = (d: Date): string => d.toISOString().slice(0, 10);

const isMonthStart = (d: Date): boolean => addMonths(d, 0).getTime() === d.getTime();

/**
 * Sales per month and per category from the sums the orders module keeps (order_sales_month and
 * order_category_sales_month, migration 1700000009300: triggers add a row per key at each write),
 * for the statistics. The figures are those of the raw orders and lines; a period that does not
 * start or end on a month's first instant takes its partial months from the raw rows.
 */
@Injectable()
export class OrderSalesService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Orders (count, sum of totals) per month in [start, end); both are first instants of months. With `category`: the orders having a line of it and those lines' totals. */
  async byMonth(filter: SalesFilter, start: Date, end: Date, category: string | null): Promise<MonthSales[]> {
    await this.compactWhenFragmented();
    return category === null
      ? this.dataSource.query(
          `SELECT to_char(month, 'YYYY-MM') AS month, sum(orders)::int AS orders, sum(revenue)::text AS revenue
             FROM order_sales_month
            WHERE status = ANY($1) AND currency = $2 AND month >= $3 AND month < $4
            GROUP BY month HAVING sum(orders) > 0`,
          [filter.statuses, filter.currency, day(start), day(end)],
        )
      : this.dataSource.query(
          `SELECT to_char(month, 'YYYY-MM') AS month, sum(orders)::int AS orders, sum(revenue)::text AS revenue
             FROM order_category_sales_month
            WHERE status = ANY($1) AND currency = $2 AND month >= $3 AND month < $4 AND category = $5
            GROUP BY month HAVING sum(orders) > 0`,
          [filter.statuses, filter.currency, day(start), day(end), category],
        );
  }

  /**
   * Per category, orders having a line of it, quantity and line totals in [from, to) (open ends
   * when null), by revenue. Whole months come from the sums; the partial months at either end from
   * the lines (an order is in one month, so the two parts add up exactly).
   */
  async byCategory(filter: SalesFilter, from: Date | null, to: Date | null): Promise<CategorySalesRow[]> {
    await this.compactWhenFragmented();
    const wholeFrom = from && (isMonthStart(from) ? from : addMonths(from, 1));
    const wholeTo = to && addMonths(to, 0);
    const noWholeMonth = wholeFrom && wholeTo && wholeFrom.getTime() >= wholeTo.getTime();
    // Raw ranges: [from, wholeFrom) and [wholeTo, to), or all of [from, to) when no month is whole.
    const head = noWholeMonth ? [from, to] : from && wholeFrom !== from ? [from, wholeFrom] : [null, null];
    const tail = !noWholeMonth && to && wholeTo!.getTime() !== to.getTime() ? [wholeTo, to] : [null, null];
    return this.dataSource.query(
      `SELECT category, sum(orders)::int AS orders, sum(quantity)::int AS quantity, sum(revenue)::text AS revenue
         FROM (SELECT category, orders, quantity, revenue FROM order_category_sales_month
                WHERE NOT $3 AND status = ANY($1) AND currency = $2
                  AND ($4::date IS NULL OR month >= $4) AND ($5::date IS NULL OR month < $5)
               UNION ALL
               SELECT l.product_category, count(DISTINCT o.id), sum(l.quantity), sum(l.line_total)
                 FROM customer_order o JOIN order_line l ON l.order_id = o.id
                WHERE o.status = ANY($1) AND o.currency = $2
                  AND (o.ordered_at >= $6 AND o.ordered_at < $7 OR o.ordered_at >= $8 AND o.ordered_at < $9)
                GROUP BY 1) parts
        GROUP BY category HAVING sum(orders) > 0
        ORDER BY sum(revenue) DESC, category`,
      [
        filter.statuses,
        filter.currency,
        Boolean(noWholeMonth),
        wholeFrom && day(wholeFrom),
        wholeTo && day(wholeTo),
        head[0],
        head[1],
        tail[0],
        tail[1],
      ],
    );
  }

  /**
   * Folds each sums table into one row per key when writes have left many parts. Safe beside
   * writers (they only add rows, which this DELETE's snapshot does not see) and beside another
   * compaction (a part deleted by the other is skipped here, so it is summed once).
   */
  async compactWhenFragmented(): Promise<void> {
    const [{ month, category }] = (await this.dataSource.query(
      `SELECT (SELECT count(*) FROM order_sales_month)::int AS month,
              (SELECT count(*) FROM order_category_sales_month)::int AS category`,
    )) as [{ month: number; category: number }];
    if (month > COMPACT_ABOVE) await this.compact('month');
    if (category > COMPACT_ABOVE) await this.compact('category');
  }

  async compact(which: 'month' | 'category'): Promise<void> {
    await this.dataSource.query(
      which === 'month'
        ? `WITH parts AS (DELETE FROM order_sales_month RETURNING *)
           INSERT INTO order_sales_month (month, currency, status, orders, revenue)
           SELECT month, currency, status, sum(orders), sum(revenue) FROM parts
            GROUP BY 1, 2, 3 HAVING sum(orders) <> 0 OR sum(revenue) <> 0`
        : `WITH parts AS (DELETE FROM order_category_sales_month RETURNING *)
           INSERT INTO order_category_sales_month (month, currency, status, category, orders, quantity, revenue)
           SELECT month, currency, status, category, sum(orders), sum(quantity), sum(revenue) FROM parts
            GROUP BY 1, 2, 3, 4 HAVING sum(orders) <> 0 OR sum(quantity) <> 0 OR sum(revenue) <> 0`,
    );
  }
}
