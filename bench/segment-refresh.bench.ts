/**
 * Segment refresh of an RFM rule at scale: the rule language's translation (libs/segments) and the
 * node's refresh (apps/partner-node/src/segments/segment-refresh.ts: one transaction, membership
 * diffed in one statement, size history) against the raw, hand-written SQL of the same rule, in
 * the same run on the same data:
 *
 *   - raw query          hand-written GROUP BY … HAVING over customer_order
 *   - translated query   SELECT of the translated rule (same result set, checked)
 *   - raw refresh        hand-written DELETE + INSERT … SELECT of the raw query, in one transaction
 *   - node refresh       refreshSegmentInTransaction: first run (empty segment) and steady state
 *
 * Data (generate_series, deterministic): N customers, 5·N order lines in 2·N orders (1 to 4 lines
 * each), ordered over the last three years, 80 % of them in a counted status, skewed so that some
 * customers order a lot. Runs in a database of its own on BENCH_DATABASE_URL's server (default
 * postgres://postgres@127.0.0.1:5432/postgres), created with the node's migrations and dropped at
 * the end (keep it with --keep).
 *
 *   npm run build && node dist/bench/segment-refresh.bench.js [--customers 1000000] [--rounds 3] [--keep]
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../libs/platform/src/database/data-source-options.js';
import { parseRule, ruleToSql } from '../libs/segments/src/index.js';
import { PARTNER_NODE_MIGRATIONS } from '../apps/partner-node/src/database/migrations.js';
import { refreshSegmentInTransaction } from '../apps/partner-node/src/segments/segment-refresh.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = Number(process.argv[i + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer`);
  return value;
}

const CUSTOMERS = arg('customers', 1_000_000);
const ORDERS = 2 * CUSTOMERS;
const ROUNDS = arg('rounds', 3);
const KEEP = process.argv.includes('--keep');
const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const RULE = {
  all: [
    { field: 'days_since_last_order', op: 'lte', value: 90 },
    { field: 'order_count', op: 'gte', value: 2, windowDays: 365 },
    { field: 'revenue', op: 'gte', value: 250, windowDays: 365 },
  ],
};

/** The same rule, written by hand. $1 is the evaluation time. */
const RAW = `
  SELECT o.customer_id
    FROM customer_order o JOIN customer c ON c.id = o.customer_id AND c.deleted_at IS NULL
   WHERE o.status IN ('paid','shipped','delivered') AND o.ordered_at <= $1
   GROUP BY o.customer_id
  HAVING floor(extract(epoch FROM ($1 - max(o.ordered_at))) / 86400) <= 90
     AND count(*) FILTER (WHERE o.ordered_at > $1 - interval '365 days') >= 2
     AND coalesce(sum(o.total) FILTER (WHERE o.ordered_at > $1 - interval '365 days'), 0) >= 250`;

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await work();
  return { ms: performance.now() - start, value };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function step(label: string, client: pg.Client, sql: string): Promise<void> {
  const { ms } = await timed(() => client.query(sql));
  console.log(`  ${label.padEnd(44)} ${(ms / 1000).toFixed(1).padStart(6)} s`);
}

async function main(): Promise<void> {
  const name = `cc_bench_segments_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  console.log(
    `segment refresh bench: ${CUSTOMERS.toLocaleString('en')} customers, ${ORDERS.toLocaleString('en')} orders, ~${(5 * CUSTOMERS).toLocaleString('en')} order lines (database ${name})`,
  );
  const client = new pg.Client({ connectionString: url.toString() });
  try {
    const schema = new DataSource(
      dataSourceOptions(
        { url: url.toString(), embeddedDataDir: '', poolSize: 1 },
        [],
        PARTNER_NODE_MIGRATIONS,
      ),
    );
    await schema.initialize();
    await schema.runMigrations();
    await schema.destroy();

    await client.connect();
    await client.query(`SET synchronous_commit = off`);
    await client.query(`SET maintenance_work_mem = '512MB'`);
    await client.query(`SELECT setseed(0.42)`);
    console.log('fill:');
    // Indexes the rules never use are built after the fill, which is faster than row by row.
    await client.query(`DROP INDEX customer_name_tokens_gin, customer_tags_gin`);
    await step(
      'customers',
      client,
      `
      INSERT INTO customer (first_name, last_name, lifecycle_stage, address_country, tags, attributes)
      SELECT 'First', 'Last ' || g, (ARRAY['lead','prospect','customer','churned'])[1 + g % 4],
             (ARRAY['FR','DE','GB','IT','ES'])[1 + g % 5], CASE WHEN g % 7 = 0 THEN ARRAY['vip'] ELSE '{}' END,
             jsonb_build_object('score', g % 100)
        FROM generate_series(1, ${CUSTOMERS}) g`,
    );
    await step(
      'customer numbering (temporary)',
      client,
      `
      CREATE TEMP TABLE cid AS SELECT row_number() OVER () AS n, id FROM customer;
      CREATE UNIQUE INDEX ON cid (n); ANALYZE cid`,
    );
    await step(
      'orders',
      client,
      `
      INSERT INTO customer_order (number, customer_id, ordered_at, status, channel, currency, subtotal, total)
      SELECT 'B' || g, cid.id, now() - random() * interval '1095 days',
             (ARRAY['paid','shipped','delivered','delivered','paid','shipped','delivered','paid','pending','cancelled'])[1 + g % 10],
             'web', 'EUR', t, t
        FROM (SELECT g, 1 + floor(${CUSTOMERS} * power(random(), 1.6))::bigint AS n, round((5 + random() * 295)::numeric, 2) AS t
                FROM generate_series(1, ${ORDERS}) g) s
        JOIN cid ON cid.n = s.n`,
    );
    await step(
      'order lines',
      client,
      `
      INSERT INTO order_line (order_id, position, sku, product_name, product_category, quantity, unit_price, line_total)
      SELECT o.id, p, 'SKU-' || (p * 7 + length(o.number)), 'Product',
             (ARRAY['books','games','garden','tools','music'])[1 + (substr(o.number, 2)::int + p) % 5], 1, 10, 10
        FROM customer_order o, generate_series(0, substr(o.number, 2)::int % 4) p`,
    );
    await step(
      'indexes built after the fill',
      client,
      `
      CREATE INDEX customer_name_tokens_gin ON customer USING gin (name_tokens) WHERE deleted_at IS NULL;
      CREATE INDEX customer_tags_gin ON customer USING gin (tags)`,
    );
    await step('analyze', client, `ANALYZE`);
    const {
      rows: [counts],
    } = await client.query(
      `SELECT (SELECT count(*) FROM customer)::int AS customers, (SELECT count(*) FROM customer_order)::int AS orders,
              (SELECT count(*) FROM order_line)::int AS lines`,
    );
    console.log(
      `  rows: ${counts.customers} customers, ${counts.orders} orders, ${counts.lines} order lines`,
    );

    const {
      rows: [{ id: segmentId }],
    } = await client.query(
      `INSERT INTO segment (name, kind, rule) VALUES ('bench rfm', 'rule', $1) RETURNING id`,
      [JSON.stringify(RULE)],
    );
    const {
      rows: [{ id: rawSegmentId }],
    } = await client.query(`INSERT INTO segment (name, kind) VALUES ('bench raw', 'static') RETURNING id`);
    const asOf = new Date();
    const translated = ruleToSql(parseRule(RULE), { asOf });

    // Same answer first.
    const {
      rows: [check],
    } = await client.query(
      `WITH a AS (${RAW}), b AS (${translated.sql.replaceAll(/\$(\d+)/g, (_, n) => `$${Number(n) + 1}`)})
       SELECT (SELECT count(*) FROM a)::int AS raw, (SELECT count(*) FROM b)::int AS translated,
              (SELECT count(*) FROM (SELECT customer_id FROM a EXCEPT SELECT customer_id FROM b) d)::int AS only_raw,
              (SELECT count(*) FROM (SELECT customer_id FROM b EXCEPT SELECT customer_id FROM a) d)::int AS only_translated`,
      [asOf, ...translated.params],
    );
    if (check.only_raw || check.only_translated || check.raw !== check.translated) {
      throw new Error(`raw and translated rules differ: ${JSON.stringify(check)}`);
    }
    console.log(
      `  rule selects ${check.raw} of ${counts.customers} customers (raw and translated: same set)`,
    );

    const rawQuery: number[] = [];
    const translatedQuery: number[] = [];
    const rawRefresh: number[] = [];
    const nodeRefresh: number[] = [];
    let firstRefresh = 0;
    const run = (sql: string, params: unknown[]) => client.query(sql, params).then((r) => r.rows);

    await client.query(`SELECT count(*) FROM (${RAW}) t`, [asOf]); // warm-up
    for (let round = 0; round < ROUNDS; round++) {
      rawQuery.push((await timed(() => client.query(`SELECT count(*) FROM (${RAW}) t`, [asOf]))).ms);
      translatedQuery.push(
        (await timed(() => client.query(`SELECT count(*) FROM (${translated.sql}) t`, translated.params))).ms,
      );
      rawRefresh.push(
        (
          await timed(async () => {
            await client.query('BEGIN');
            await client.query(`DELETE FROM segment_member WHERE segment_id = $1`, [rawSegmentId]);
            await client.query(
              `INSERT INTO segment_member (segment_id, customer_id, added_at) SELECT $2, customer_id, $1 FROM (${RAW}) t`,
              [asOf, rawSegmentId],
            );
            await client.query('COMMIT');
          })
        ).ms,
      );
      const refresh = await timed(async () => {
        await client.query('BEGIN');
        const outcome = await refreshSegmentInTransaction(run, segmentId);
        await client.query('COMMIT');
        return outcome!;
      });
      if (round === 0) firstRefresh = refresh.ms;
      else nodeRefresh.push(refresh.ms);
      if (refresh.value.size !== check.raw && round === 0) {
        console.log(
          `  (size ${refresh.value.size} at refresh time vs ${check.raw} at bench time: the clock moved)`,
        );
      }
    }
    const s = (ms: number) => `${(ms / 1000).toFixed(2).padStart(6)} s`;
    const raw = median(rawQuery);
    const tr = median(translatedQuery);
    const rr = median(rawRefresh);
    const steady = nodeRefresh.length ? median(nodeRefresh) : firstRefresh;
    console.log(`results (median of ${ROUNDS} rounds):`);
    console.log(`  raw hand-written rule query          ${s(raw)}`);
    console.log(
      `  translated rule query                ${s(tr)}   ratio ${(tr / raw).toFixed(2)} × raw query`,
    );
    console.log(`  raw hand-written refresh (DELETE+INSERT, 1 tx)  ${s(rr)}`);
    console.log(
      `  node refresh, first (empty segment)  ${s(firstRefresh)}   ratio ${(firstRefresh / rr).toFixed(2)} × raw refresh`,
    );
    console.log(
      `  node refresh, steady state           ${s(steady)}   ratio ${(steady / rr).toFixed(2)} × raw refresh, ${(steady / raw).toFixed(2)} × raw query`,
    );
  } finally {
    await client.end().catch(() => undefined);
    if (!KEEP) await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    else console.log(`kept database ${name}`);
    await admin.end();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
