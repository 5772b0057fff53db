/**
 * CSV import of orders (one row per order line) through the product's importer (stream-parse +
 * validate in Node, COPY into a staging table, checks per order in SQL, one-transaction merge into
 * customer_order / order_line) against, in the same run, a raw pg-copy-streams COPY of the same
 * orders and lines into the same real tables of a migrated schema (all their indexes, constraints,
 * foreign keys and triggers). Goals (issue 17, as for customers): the importer within 2× of that
 * COPY; re-importing the unchanged file within 0.5× of the first import.
 *
 *   npm run build && node dist/bench/import-orders.bench.js [--rows 1000000]
 *
 * `--rows` counts order lines (1 to 4 per order). The orders belong to rows / 10 customers loaded
 * first (untimed) into both databases. Runs against BENCH_DATABASE_URL on databases of its own,
 * created and dropped.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { finished, pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { ORDER_STAGE_COLUMNS } from '../apps/partner-node/src/import-export/order-csv.js';
import { OrderImportService } from '../apps/partner-node/src/import-export/order-import.service.js';
import {
  benchArgs,
  copyTextFile,
  createBenchDatabase,
  csvRecords,
  fmt,
  loadCustomers,
  migratedDataSource,
  profileQueries,
  seededRandom,
  timedImport,
} from './bench-support.js';

const STATUSES = [
  'pending',
  'paid',
  'shipped',
  'delivered',
  'delivered',
  'delivered',
  'cancelled',
  'returned',
];
const CHANNELS = ['web', 'store', 'phone', 'marketplace', 'partner'];
const CATEGORIES = ['books', 'garden', 'kitchen', 'toys', 'sports', 'music', 'beauty', 'office'];

/** About `lines` order lines (1 to 4 per order, whole orders), amounts in cents. */
async function writeOrdersCsv(path: string, lines: number, customers: number): Promise<number> {
  const random = seededRandom(20250302);
  const int = (n: number) => Math.floor(random() * n);
  const euros = (cents: number) => `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
  const out = createWriteStream(path);
  let text = `${ORDER_STAGE_COLUMNS.join(',')}\n`;
  let written = 0;
  const since = Date.parse('2023-01-01T00:00:00Z');
  for (let order = 1; written < lines; order++) {
    const count = Math.min(1 + int(4), lines - written);
    const head =
      `O${String(order).padStart(8, '0')},C${String(1 + int(customers)).padStart(8, '0')},` +
      `N${String(order).padStart(8, '0')},${new Date(since + int(700 * 86_400_000)).toISOString()},` +
      `${STATUSES[int(STATUSES.length)]},${CHANNELS[int(CHANNELS.length)]},EUR,0.00,${euros(int(1500))},` +
      `${euros(int(900))}`;
    for (let line = 0; line < count; line++) {
      const sku = int(5000);
      text +=
        `${head},SKU-${sku},Product ${sku},${CATEGORIES[sku % CATEGORIES.length]},` +
        `${1 + int(3)},${euros(100 + int(20000))}\n`;
    }
    written += count;
    if (text.length > 1 << 20) {
      if (!out.write(text)) await once(out, 'drain');
      text = '';
    }
  }
  out.end(text);
  await finished(out);
  return written;
}

const ORDER_COPY_COLUMNS = [
  'id',
  'number',
  'external_id',
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
];
const LINE_COPY_COLUMNS = [
  'order_id',
  'position',
  'sku',
  'product_name',
  'product_category',
  'quantity',
  'unit_price',
  'line_total',
];

/**
 * The orders CSV as one COPY input per real table: order ids drawn here, customers resolved, totals
 * computed (what the importer does in SQL, done here untimed).
 */
async function splitForCopy(
  file: string,
  dir: string,
  customerIds: Map<string, string>,
): Promise<{ orders: string; lines: string }> {
  const paths = { orders: join(dir, 'customer_order.copy'), lines: join(dir, 'order_line.copy') };
  const orders = copyTextFile(paths.orders);
  const lines = copyTextFile(paths.lines);
  const cents = (amount: string) => Math.round(Number(amount) * 100);
  const euros = (c: number) => (c / 100).toFixed(2);
  let current: { id: string; head: (name: string) => string; subtotal: number; lines: number } | undefined;
  const flush = async () => {
    if (!current) return;
    const { id, head, subtotal } = current;
    const [discount, shipping, tax] = ['discount', 'shipping', 'tax'].map((c) => cents(head(c)));
    await orders.row([
      id,
      head('order_number'),
      head('order_external_id'),
      customerIds.get(head('customer_external_id')) ?? null,
      head('ordered_at'),
      head('status'),
      head('channel'),
      head('currency'),
      euros(subtotal),
      euros(discount),
      euros(shipping),
      euros(tax),
      euros(subtotal - discount + shipping + tax),
    ]);
  };
  for await (const field of csvRecords(file)) {
    if (current?.head('order_external_id') !== field('order_external_id')) {
      await flush();
      current = { id: randomUUID(), head: field, subtotal: 0, lines: 0 };
    }
    const quantity = Number(field('quantity'));
    const price = cents(field('unit_price'));
    current.subtotal += quantity * price;
    await lines.row([
      current.id,
      String(current.lines++),
      field('sku'),
      field('product_name'),
      field('product_category') || null,
      String(quantity),
      euros(price),
      euros(quantity * price),
    ]);
  }
  await flush();
  await Promise.all([orders.end(), lines.end()]);
  return paths;
}

async function main(): Promise<void> {
  process.env.LOG_LEVEL ??= 'silent';
  const { rows } = benchArgs({ rows: 1_000_000 });
  const customers = Math.max(1000, Math.round(rows / 10));
  const dir = mkdtempSync(join(tmpdir(), 'concordia-bench-'));
  const file = join(dir, 'orders.csv');
  const loadStart = readFileSync('/proc/loadavg', 'utf8').trim();
  const db = await createBenchDatabase('import_orders');
  const baseDb = await createBenchDatabase('copy_orders');
  try {
    let t = performance.now();
    const lines = await writeOrdersCsv(file, rows, customers);
    console.log(`generated ${fmt(lines)} order lines in ${fmt((performance.now() - t) / 1000, 1)} s`);

    // The same customers in both databases (untimed).
    const dataSource = await migratedDataSource(db.url);
    const baseSource = await migratedDataSource(baseDb.url);
    await baseSource.destroy();
    const client = new pg.Client({ connectionString: db.url });
    const base = new pg.Client({ connectionString: baseDb.url });
    await client.connect();
    await base.connect();
    await loadCustomers(client, customers);
    await loadCustomers(base, customers);

    // Baseline: raw COPY of the same orders and lines into the real tables, in one transaction.
    const ids = (await base.query(`SELECT external_id, id FROM customer`)).rows as {
      external_id: string;
      id: string;
    }[];
    t = performance.now();
    const split = await splitForCopy(file, dir, new Map(ids.map((c) => [c.external_id, c.id])));
    const splitSeconds = (performance.now() - t) / 1000;
    const copyIn = (target: string, path: string) =>
      pipeline(
        createReadStream(path, { highWaterMark: 1 << 20 }),
        base.query(copyFrom(`COPY ${target} FROM STDIN`)),
      );
    await base.query('CHECKPOINT');
    t = performance.now();
    await base.query('BEGIN');
    await copyIn(`customer_order (${ORDER_COPY_COLUMNS.join(', ')})`, split.orders);
    await copyIn(`order_line (${LINE_COPY_COLUMNS.join(', ')})`, split.lines);
    await base.query('COMMIT');
    const copySeconds = (performance.now() - t) / 1000;
    const [{ baseOrders }] = (await base.query(`SELECT count(*)::int AS "baseOrders" FROM customer_order`))
      .rows as { baseOrders: number }[];
    await base.end();
    await baseDb.drop();

    // The product's importer, through its service (as the CLI calls it).
    const profile = process.env.BENCH_PROFILE === '1' ? profileQueries(dataSource) : undefined;
    const importer = new OrderImportService(dataSource);
    await client.query('CHECKPOINT');
    const first = await timedImport(importer, file);
    profile?.report('first import');
    await client.query('CHECKPOINT');
    const again = await timedImport(importer, file);
    profile?.report('re-import');
    const [{ n }] = (await client.query(`SELECT count(*)::int AS n FROM customer_order`)).rows as {
      n: number;
    }[];
    await client.end();
    await dataSource.destroy();

    const line = (label: string, seconds: number) =>
      console.log(
        `${label.padEnd(58)} ${fmt(seconds, 2).padStart(8)} s ${fmt(lines / seconds).padStart(10)} lines/s`,
      );
    console.log(
      `\norders import, ${fmt(lines)} lines of ${fmt(n)} orders (baseline: ${fmt(baseOrders)} orders), ${fmt(customers)} customers`,
    );
    console.log(`(split of the file into COPY inputs for the baseline, untimed: ${fmt(splitSeconds, 1)} s)`);
    line('raw COPY into the real tables, all indexes (baseline)', copySeconds);
    line('importer, first import', first.seconds);
    line('  of which parse, validate, COPY to staging, SQL checks', first.stageSeconds);
    line('  of which merge into the real tables', first.seconds - first.stageSeconds);
    line('importer, same file again (no change)', again.seconds);
    console.log(
      `created ${fmt(first.report.inserted)} orders, ${fmt(first.report.details.lines)} lines; ` +
        `re-import: ${fmt(again.report.unchanged)} unchanged, ${fmt(again.report.updated)} updated`,
    );
    console.log(
      `ratio importer / raw COPY into the real tables: ${fmt(first.seconds / copySeconds, 2)}× (goal ≤ 2×)`,
    );
    console.log(`ratio re-import / first import: ${fmt(again.seconds / first.seconds, 2)}× (goal ≤ 0.5×)`);
    console.log(`load average: start ${loadStart}, end ${readFileSync('/proc/loadavg', 'utf8').trim()}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await baseDb.drop();
    await db.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
