import { defineQueries } from '#platform/database/named-queries';
import { LIVE_CUSTOMERS } from '../customers/customer-references.queries.js';

/**
 * The orders CSV import's writes to this module's tables (the import itself, staging and checks,
 * lives in import-export). They read the import's temporary tables: `import_order_stage` (one
 * `text` column per CSV column, already normalised, NULL when empty or not in the file) and
 * `import_order_head` (per order: its first line, line count and subtotal), both checked before.
 *
 * `importOrders` compares each order of the file with the stored one in one join; the lines of
 * existing orders are compared position by position (`importRelined`). Only what differs is written:
 * an unchanged order costs no write, no lock, no index entry and no trigger work, and a statement
 * with nothing to write is not run at all (a statement trigger fires even for no row).
 */
const FIELDS = [
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

/** The order's fields as the file gives them (f: its first row, h: its head, c: its customer). */
const VALUE: Record<(typeof FIELDS)[number], string> = {
  customer_id: 'c.id',
  ordered_at: 'f.ordered_at::timestamptz',
  status: `coalesce(f.status, 'pending')`,
  channel: 'f.channel',
  currency: 'f.currency',
  subtotal: 'h.subtotal::numeric(14,2)',
  discount: 'coalesce(f.discount::numeric, 0)::numeric(14,2)',
  shipping: 'coalesce(f.shipping::numeric, 0)::numeric(14,2)',
  tax: 'coalesce(f.tax::numeric, 0)::numeric(14,2)',
  total: `(h.subtotal - coalesce(f.discount::numeric, 0) + coalesce(f.shipping::numeric, 0) + coalesce(f.tax::numeric, 0))::numeric(14,2)`,
};
const list = (prefix: string) => FIELDS.map((f) => `${prefix}${f}`).join(', ');

/** The file's lines of the orders selected by a condition on `i`, numbered from 0 in file order. */
const fileLines = (where: string) => `
  SELECT i.order_id, (row_number() OVER (PARTITION BY s.order_external_id ORDER BY s.line_no) - 1)::int AS position,
         s.sku, s.product_name, s.product_category, s.quantity::int AS quantity,
         s.unit_price::numeric(14,2) AS unit_price
    FROM import_order_stage s JOIN import_order i ON i.external_id = s.order_external_id
   WHERE ${where}`;
const insertLines = (where: string) => `
  INSERT INTO order_line (order_id, position, sku, product_name, product_category, quantity, unit_price, line_total)
  SELECT order_id, position, sku, product_name, product_category, quantity, unit_price, quantity * unit_price
    FROM (${fileLines(where)}) l`;

/**
 * Order number `number` is held by a stored order other than the one with external id `externalId`
 * (numbers are unique): for the importer's checks of a file's lines.
 */
export const orderNumberHeldByAnother = (number: string, externalId: string): string =>
  `EXISTS (SELECT 1 FROM customer_order o WHERE o.number = ${number} AND o.external_id IS DISTINCT FROM ${externalId})`;

export const ORDER_IMPORT_QUERIES = defineQueries('orders', {
  // One row per order of the file, with its stored order if any (new orders get their id here) and
  // whether the stored order's fields differ from the file's (the number only when the file gives one).
  importOrders: `
    CREATE TEMP TABLE import_order ON COMMIT DROP AS
    SELECT h.order_external_id AS external_id, f.order_number AS number,
           ${FIELDS.map((f) => `${VALUE[f]} AS ${f}`).join(',\n           ')},
           o.id AS existing_id, coalesce(o.id, gen_random_uuid()) AS order_id,
           o.id IS NOT NULL
             AND (${list('o.')}, o.number)
                 IS DISTINCT FROM (${FIELDS.map((f) => VALUE[f]).join(', ')}, coalesce(f.order_number, o.number))
             AS changed
      FROM import_order_head h
      JOIN import_order_stage f ON f.line_no = h.first_line
      JOIN ${LIVE_CUSTOMERS} c ON c.external_id = f.customer_external_id
      LEFT JOIN customer_order o ON o.external_id = h.order_external_id`,
  importAnalyzeOrders: `ANALYZE import_order`,
  importOrderCounts: `
    SELECT count(*)::int AS total, count(existing_id)::int AS existing,
           count(*) FILTER (WHERE changed)::int AS changed
      FROM import_order`,
  importCreateUpdated: `CREATE TEMP TABLE import_order_updated (id uuid) ON COMMIT DROP`,
  importUpdateChanged: `
    WITH changed AS (
      UPDATE customer_order o
         SET ${FIELDS.map((f) => `${f} = i.${f}`).join(', ')}, number = coalesce(i.number, o.number), updated_at = now()
        FROM import_order i
       WHERE o.id = i.existing_id AND i.changed
         AND (${list('o.')}, o.number) IS DISTINCT FROM (${list('i.')}, coalesce(i.number, o.number))
      RETURNING o.id)
    INSERT INTO import_order_updated SELECT id FROM changed`,
  // Numbers from the node's sequence when the file gives none. Not a NOT EXISTS on customer_order:
  // planned as a scan of a table it thinks empty, it would rescan every page this very statement
  // writes, once per order (quadratic).
  importInsertNew: `
    INSERT INTO customer_order (id, external_id, number, ${list('')})
    SELECT i.order_id, i.external_id, coalesce(i.number, 'ORD-' || lpad(nextval('customer_order_number_seq')::text, 8, '0')),
           ${list('i.')}
      FROM import_order i
     WHERE i.existing_id IS NULL`,
  // Existing orders whose lines differ from the file's: stored and file lines in one join.
  importRelined: `
    CREATE TEMP TABLE import_order_relined ON COMMIT DROP AS
    SELECT DISTINCT coalesce(e.order_id, n.order_id) AS order_id
      FROM (SELECT ol.* FROM order_line ol JOIN import_order i ON i.existing_id = ol.order_id) e
      FULL JOIN (${fileLines('i.existing_id IS NOT NULL')}) n
        ON n.order_id = e.order_id AND n.position = e.position
     WHERE e.order_id IS NULL OR n.order_id IS NULL
        OR (e.sku, e.product_name, e.product_category, e.quantity, e.unit_price)
           IS DISTINCT FROM (n.sku, n.product_name, n.product_category, n.quantity, n.unit_price)`,
  // No existing order: none to compare.
  importNoneRelined: `CREATE TEMP TABLE import_order_relined (order_id uuid) ON COMMIT DROP`,
  importRelinedCount: `SELECT count(*)::int AS relined FROM import_order_relined`,
  importDeleteRelined: `DELETE FROM order_line ol USING import_order_relined r WHERE ol.order_id = r.order_id`,
  importInsertNewLines: insertLines('i.existing_id IS NULL'),
  importInsertLines: insertLines(
    'i.existing_id IS NULL OR i.order_id IN (SELECT order_id FROM import_order_relined)',
  ),
  importUpdatedCount: `
    SELECT count(*)::int AS updated FROM (
      SELECT id FROM import_order_updated UNION SELECT order_id FROM import_order_relined) x`,
});
