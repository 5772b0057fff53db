import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { CsvSource } from '#platform/csv/csv-reader';
import type { DataSource, QueryRunner } from 'typeorm';
import { COUNTED_ORDER_STATUSES } from '#segments';
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
/** Columns of customer_order written from the file (besides its external id and number). */
const ORDER_FIELDS = [
  'customer_id',
  'ordered_at',
  'status',
  'channel',
  'currency',
  'subtotal',
  'discount',
  'shipping',
  'tax',
  'total',
] as const;
const sameOrderLevel = (a: string, b: string) =>
  `(${ORDER_LEVEL_COLUMNS.map((c) => `${a}.${c}`).join(', ')}) IS DISTINCT FROM (${ORDER_LEVEL_COLUMNS.map((c) => `${b}.${c}`).join(', ')})`;

async function affected(runner: QueryRunner, sql: string): Promise<number> {
  const result = await runner.query(sql, [], true);
  return (result as { affected?: number }).affected ?? 0;
}

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
         WHERE NOT EXISTS (SELECT 1 FROM customer c
                            WHERE c.external_id = s.customer_external_id AND c.deleted_at IS NULL)`);
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
          JOIN customer_order o ON o.number = s.order_number
         WHERE o.external_id IS DISTINCT FROM s.order_external_id`);

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

    async merge(runner: QueryRunner, _staged, ctx: PlanContext): Promise<MergeCounts> {
      const given = (column: string, fallback: string) =>
        ctx.header.has(column) ? `coalesce(f.${column}::numeric, ${fallback})` : fallback;
      // The order's fields as the file gives them (f: its first row, h: its head).
      const value: Record<(typeof ORDER_FIELDS)[number], string> = {
        customer_id: 'c.id',
        ordered_at: 'f.ordered_at::timestamptz',
        status: `coalesce(f.status, 'pending')`,
        channel: 'f.channel',
        currency: 'f.currency',
        subtotal: 'h.subtotal::numeric(14,2)',
        discount: `${given('discount', '0')}::numeric(14,2)`,
        shipping: `${given('shipping', '0')}::numeric(14,2)`,
        tax: `${given('tax', '0')}::numeric(14,2)`,
        total: `(h.subtotal - ${given('discount', '0')} + ${given('shipping', '0')} + ${given('tax', '0')})::numeric(14,2)`,
      };
      // One row per order of the file, with its stored order if any (new orders get their id here)
      // and whether the stored order's fields differ from the file's (the number only when given).
      await runner.query(`
        CREATE TEMP TABLE import_order ON COMMIT DROP AS
        SELECT h.order_external_id AS external_id, f.order_number AS number,
               ${ORDER_FIELDS.map((f) => `${value[f]} AS ${f}`).join(', ')},
               o.id AS existing_id, coalesce(o.id, gen_random_uuid()) AS order_id,
               o.id IS NOT NULL
                 AND (${ORDER_FIELDS.map((f) => `o.${f}`).join(', ')}, o.number)
                     IS DISTINCT FROM (${ORDER_FIELDS.map((f) => value[f]).join(', ')}, coalesce(f.order_number, o.number))
                 AS changed
          FROM import_order_head h
          JOIN ${STAGE} f ON f.line_no = h.first_line
          JOIN customer c ON c.external_id = f.customer_external_id AND c.deleted_at IS NULL
          LEFT JOIN customer_order o ON o.external_id = h.order_external_id`);
      await runner.query(`ANALYZE import_order`);
      const [{ total, existing, changed }] = await rows<{ total: number; existing: number; changed: number }>(
        runner,
        `SELECT count(*)::int AS total, count(existing_id)::int AS existing,
                count(*) FILTER (WHERE changed)::int AS changed
           FROM import_order`,
      );
      // The file's lines of the orders selected by a condition on `i`, numbered from 0 in file order.
      const fileLines = (where: string) => `
        SELECT i.order_id, (row_number() OVER (PARTITION BY s.order_external_id ORDER BY s.line_no) - 1)::int AS position,
               s.sku, s.product_name, s.product_category, s.quantity::int AS quantity,
               s.unit_price::numeric(14,2) AS unit_price
          FROM ${STAGE} s JOIN import_order i ON i.external_id = s.order_external_id
         WHERE ${where}`;

      // Existing orders: update what changed (the number only when the file gives one). An order
      // equal to the file is not written (no lock, no index entry, no trigger work).
      await runner.query(`CREATE TEMP TABLE import_order_updated (id uuid) ON COMMIT DROP`);
      if (changed > 0)
        await runner.query(`
        WITH changed AS (
          UPDATE customer_order o
             SET ${ORDER_FIELDS.map((f) => `${f} = i.${f}`).join(', ')}, number = coalesce(i.number, o.number), updated_at = now()
            FROM import_order i
           WHERE o.id = i.existing_id AND i.changed
             AND (${ORDER_FIELDS.map((f) => `o.${f}`).join(', ')}, o.number)
                 IS DISTINCT FROM (${ORDER_FIELDS.map((f) => `i.${f}`).join(', ')}, coalesce(i.number, o.number))
          RETURNING o.id)
        INSERT INTO import_order_updated SELECT id FROM changed`);
      // New orders, with the ids drawn above; numbers from the node's sequence when the file gives none.
      // (A statement is not run at all when it has nothing to write: its statement triggers would.)
      const inserted =
        total === existing
          ? 0
          : await affected(
              runner,
              `INSERT INTO customer_order (id, external_id, number, ${ORDER_FIELDS.join(', ')})
         SELECT i.order_id, i.external_id, coalesce(i.number, 'ORD-' || lpad(nextval('customer_order_number_seq')::text, 8, '0')),
                ${ORDER_FIELDS.map((f) => `i.${f}`).join(', ')}
           FROM import_order i
          -- Not a NOT EXISTS on customer_order: planned as a scan of a table it thinks empty, it
          -- would rescan every page this very statement writes, once per order (quadratic).
          WHERE i.existing_id IS NULL`,
            );
      // Existing orders whose lines differ from the file's: their lines are replaced. Compared in
      // one join of the stored lines with the file's; new orders have no stored lines to compare.
      await runner.query(`
        CREATE TEMP TABLE import_order_relined ON COMMIT DROP AS
        SELECT DISTINCT coalesce(e.order_id, n.order_id) AS order_id
          FROM (SELECT ol.* FROM order_line ol JOIN import_order i ON i.existing_id = ol.order_id) e
          FULL JOIN (${fileLines('i.existing_id IS NOT NULL')}) n
            ON n.order_id = e.order_id AND n.position = e.position
         WHERE ${existing > 0 ? 'true' : 'false'}
           AND (e.order_id IS NULL OR n.order_id IS NULL
            OR (e.sku, e.product_name, e.product_category, e.quantity, e.unit_price)
               IS DISTINCT FROM (n.sku, n.product_name, n.product_category, n.quantity, n.unit_price))`);
      const [{ relined }] = await rows<{ relined: number }>(
        runner,
        `SELECT count(*)::int AS relined FROM import_order_relined`,
      );
      if (relined > 0)
        await runner.query(
          `DELETE FROM order_line ol USING import_order_relined r WHERE ol.order_id = r.order_id`,
        );
      const lines =
        inserted + relined === 0
          ? 0
          : await affected(
              runner,
              `INSERT INTO order_line (order_id, position, sku, product_name, product_category, quantity, unit_price, line_total)
               SELECT order_id, position, sku, product_name, product_category, quantity, unit_price, quantity * unit_price
                 FROM (${fileLines(
                   relined > 0
                     ? 'i.existing_id IS NULL OR i.order_id IN (SELECT order_id FROM import_order_relined)'
                     : 'i.existing_id IS NULL',
                 )}) l`,
            );
      // Existing orders changed: their fields, or only their lines.
      const [{ updated }] = await rows<{ updated: number }>(
        runner,
        `SELECT count(*)::int AS updated FROM (
           SELECT id FROM import_order_updated UNION SELECT order_id FROM import_order_relined) x`,
      );
      return {
        inserted,
        updated,
        unchanged: total - inserted - updated,
        details: { lines },
      };
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
