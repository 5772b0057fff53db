import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { CsvSource } from '#platform/csv/csv-reader';
import type { DataSource, QueryRunner } from 'typeorm';
import { COUNTED_ORDER_STATUSES } from '#segments';
import { LIVE_CUSTOMERS } from '../customers/customer-references.queries.js';
import { orderNumberHeldByAnother } from '../orders/order-import.queries.js';
import { OrderImportRepository } from '../orders/order-import.repository.js';
import { MAX_LINES } from '../orders/orders.dto.js';
import {
  runCsvImport,
  takeProblemRows,
  type ImportPlan,
  type MergeCounts,
  type PlanContext,
  type SqlProblems,
} from './csv-import.js';
import type { ImportOptions, ImportReport, NotCountedOrders } from './import-report.js';
import { ORDER_COLUMNS, ORDER_LEVEL_COLUMNS, ORDER_STAGE_COLUMNS, orderRowProblem } from './order-csv.js';

const STAGE = 'import_order_stage';
/** Largest amount of a numeric(14,2) column. */
const MAX_AMOUNT = '999999999999.99';

const ORDER_LEVEL = ORDER_LEVEL_COLUMNS.join(', ');
const sameOrderLevel = (a: string, b: string) =>
  `(${ORDER_LEVEL_COLUMNS.map((c) => `${a}.${c}`).join(', ')}) IS DISTINCT FROM (${ORDER_LEVEL_COLUMNS.map((c) => `${b}.${c}`).join(', ')})`;

async function rows<T>(runner: QueryRunner, sql: string, params: unknown[] = []): Promise<T[]> {
  return (await runner.query(sql, params)) as T[];
}

/** One order per `order_external_id`: its first row, line count and amounts computed from the lines. */
async function buildHeads(runner: QueryRunner): Promise<void> {
  await runner.query(`DROP TABLE IF EXISTS import_order_head`);
  await runner.query(`
    CREATE TEMP TABLE import_order_head ON COMMIT DROP AS
    SELECT order_external_id, min(line_no) AS first_line, count(*)::int AS line_count,
           max(quantity::int * unit_price::numeric) AS max_line_total,
           sum(quantity::int * unit_price::numeric) AS subtotal
      FROM ${STAGE} GROUP BY order_external_id`);
  await runner.query(`ANALYZE import_order_head`);
}

/**
 * Orders: every check is per order, so that with `skipInvalid` an order is imported whole or not
 * at all (a bad line refuses its order; the order's other lines are reported too).
 */
function orderPlan(): ImportPlan {
  /** Orders with a row refused while reading (order external id → first bad line). */
  const badOrders = new Map<string, number>();
  return {
    kind: 'orders',
    stageTable: STAGE,
    columns: ORDER_COLUMNS,
    stageColumns: ORDER_STAGE_COLUMNS,
    checkRow: orderRowProblem,
    onBadRow(line, field) {
      const id = field('order_external_id');
      if (id && id.length <= 200 && !badOrders.has(id) && badOrders.size < 1_000_000) badOrders.set(id, line);
    },
    // An unreadable line may belong to any order: nothing can be imported safely.
    refuse: (staged) =>
      staged.syntaxProblems > 0
        ? `${staged.syntaxProblems} line(s) cannot be read as CSV; fix them first (an order could be imported without some of its lines)`
        : undefined,

    async check(runner: QueryRunner, _staged, ctx: PlanContext): Promise<SqlProblems> {
      await runner.query(
        `CREATE TEMP TABLE import_order_refused (line_no int, order_external_id text, reason text) ON COMMIT DROP`,
      );
      await buildHeads(runner);
      const refuse = (select: string, params: unknown[] = []) =>
        runner.query(
          `INSERT INTO import_order_refused (line_no, order_external_id, reason) ${select}`,
          params,
        );
      await refuse(`
        SELECT s.line_no, s.order_external_id, 'customer_external_id: no customer has this external id'
          FROM ${STAGE} s
         WHERE NOT EXISTS (SELECT 1 FROM ${LIVE_CUSTOMERS} c WHERE c.external_id = s.customer_external_id)`);
      await refuse(`
        SELECT s.line_no, s.order_external_id,
               'order-level columns (${ORDER_LEVEL}) differ from the first row of order ' || s.order_external_id || ' (line ' || h.first_line || ')'
          FROM ${STAGE} s
          JOIN import_order_head h ON h.order_external_id = s.order_external_id
          JOIN ${STAGE} f ON f.line_no = h.first_line
         WHERE s.line_no <> h.first_line AND ${sameOrderLevel('s', 'f')}`);
      await refuse(`
        SELECT s.line_no, s.order_external_id, 'order ' || s.order_external_id || ' has more than ${MAX_LINES} lines'
          FROM ${STAGE} s JOIN import_order_head h ON h.order_external_id = s.order_external_id
         WHERE h.line_count > ${MAX_LINES}`);
      await refuse(`
        SELECT s.line_no, s.order_external_id,
               CASE WHEN h.max_line_total > ${MAX_AMOUNT} THEN 'quantity × unit_price of a line of the order is too large'
                    WHEN coalesce(s.discount::numeric, 0) > h.subtotal THEN 'discount: must not exceed the order''s subtotal (the sum of its lines)'
                    ELSE 'the order''s total is too large' END
          FROM import_order_head h JOIN ${STAGE} s ON s.line_no = h.first_line
         WHERE h.max_line_total > ${MAX_AMOUNT}
            OR coalesce(s.discount::numeric, 0) > h.subtotal
            OR h.subtotal > ${MAX_AMOUNT}
            OR h.subtotal - coalesce(s.discount::numeric, 0) + coalesce(s.shipping::numeric, 0) + coalesce(s.tax::numeric, 0) > ${MAX_AMOUNT}`);
      // Order numbers are unique: not twice in the file, not taken by another order.
      await refuse(`
        SELECT s.line_no, s.order_external_id, 'order_number: used by another order of the file (line ' || d.first_line || ')'
          FROM import_order_head h JOIN ${STAGE} s ON s.line_no = h.first_line
          JOIN (SELECT f.order_number, min(f.line_no) AS first_line FROM import_order_head h2
                  JOIN ${STAGE} f ON f.line_no = h2.first_line
                 WHERE f.order_number IS NOT NULL GROUP BY f.order_number HAVING count(*) > 1) d
            ON d.order_number = s.order_number
         WHERE s.line_no <> d.first_line`);
      await refuse(`
        SELECT s.line_no, s.order_external_id, 'order_number: already used by another order'
          FROM import_order_head h JOIN ${STAGE} s ON s.line_no = h.first_line
         WHERE ${orderNumberHeldByAnother('s.order_number', 's.order_external_id')}`);

      if (ctx.skipInvalid) {
        // A refused line refuses its whole order: report its other lines too.
        if (badOrders.size > 0) {
          await runner.query(
            `CREATE TEMP TABLE import_order_bad (order_external_id text, line_no int) ON COMMIT DROP`,
          );
          const entries = [...badOrders];
          for (let i = 0; i < entries.length; i += 5000) {
            await runner.query(`INSERT INTO import_order_bad SELECT * FROM unnest($1::text[], $2::int[])`, [
              entries.slice(i, i + 5000).map((e) => e[0]),
              entries.slice(i, i + 5000).map((e) => e[1]),
            ]);
          }
        }
        const known =
          badOrders.size > 0 ? `UNION ALL SELECT order_external_id, line_no FROM import_order_bad` : '';
        await refuse(`
          SELECT s.line_no, s.order_external_id,
                 'order ' || s.order_external_id || ' is not imported: its line ' || b.first_line || ' is refused'
            FROM ${STAGE} s
            JOIN (SELECT order_external_id, min(line_no) AS first_line
                    FROM (SELECT order_external_id, line_no FROM import_order_refused ${known}) x
                   GROUP BY order_external_id) b ON b.order_external_id = s.order_external_id
           WHERE NOT EXISTS (SELECT 1 FROM import_order_refused r WHERE r.line_no = s.line_no)`);
      }
      // One reason per line (the first found).
      const problems = await takeProblemRows(
        runner,
        STAGE,
        `SELECT DISTINCT ON (line_no) line_no, reason FROM import_order_refused ORDER BY line_no`,
        [],
        ctx.maxProblems,
      );
      // The heads are computed again only when refused orders left the staging table.
      if (problems.count > 0) await buildHeads(runner);
      return problems;
    },

    async summarise(runner: QueryRunner, ctx: PlanContext): Promise<Partial<ImportReport>> {
      const statuses = await rows<{ status: string; orders: number }>(
        runner,
        `SELECT coalesce(f.status, 'pending') AS status, count(*)::int AS orders
           FROM import_order_head h JOIN ${STAGE} f ON f.line_no = h.first_line
          GROUP BY 1 ORDER BY 2 DESC, 1`,
      );
      const counted: readonly string[] = COUNTED_ORDER_STATUSES;
      const notCounted: NotCountedOrders = {
        orders: 0,
        ofOrders: 0,
        byStatus: {},
        statusColumnMissing: !ctx.header.has('status'),
        countedStatuses: [...COUNTED_ORDER_STATUSES],
      };
      for (const { status, orders } of statuses) {
        notCounted.ofOrders += orders;
        if (counted.includes(status)) continue;
        notCounted.orders += orders;
        notCounted.byStatus[status] = orders;
      }
      return notCounted.orders > 0 ? { notCounted } : {};
    },

    async merge(runner: QueryRunner): Promise<MergeCounts> {
      // The orders module's statements (orders/order-import.queries.ts).
      const { inserted, updated, unchanged, lines } = await new OrderImportRepository(runner).merge();
      return { inserted, updated, unchanged, details: { lines } };
    },
  };
}

/**
 * Imports orders from a CSV stream, one row per order line (see ORDER_COLUMNS): idempotent by
 * `order_external_id`, totals computed by the database, all or nothing unless `skipInvalid`.
 */
@Injectable()
export class OrderImportService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  import(source: CsvSource, options: ImportOptions = {}): Promise<ImportReport> {
    return runCsvImport(this.dataSource, orderPlan(), source, options);
  }
}
