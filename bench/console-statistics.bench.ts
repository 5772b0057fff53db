/**
 * The marketer's statistics page in a browser at scale: from navigation to the four charts painted
 * (sales by month with trend and projection, sales by category, the RFM grid, care satisfaction),
 * p50/p95 over `--runs` page loads in the machine's Chromium (Playwright, headless). Baseline, in the
 * same run: the page's one GraphQL query (`Statistics`) sent with plain fetch from the same page (the
 * server's aggregates, no rendering), and the ratio; and the page's four aggregates as they were
 * computed before the orders module kept sales per month (FORMER_QUERIES: the raw orders and lines
 * scanned on each load, sent at once straight to PostgreSQL as the resolvers do), and the ratio.
 * The RFM grid is a stored snapshot (issue 13): after the fill, the bench refreshes it once through
 * `refreshRfmDistribution` (the refresh job's code: the ranking computed and stored) and reports that
 * refresh on its own line (round trip and the computation's own duration); the page loads then read
 * the snapshot, as a marketer's do between the scheduled refreshes. The former raw aggregates still
 * rank the buyers on each run (the baseline).
 * Figures only, never asserted. Goal: p95 ≤ 1 s at 1,000,000 customers and 5,000,000 order lines.
 *
 *   npm run build && node dist/bench/console-statistics.bench.js -- [--customers 1000000] [--runs 20]
 *
 * The network is the browser tests' (the demo's federation and three nodes on PostgreSQL + Redis,
 * databases created and dropped); the retailer's database gets `--customers` more customers with
 * 2 orders each on average over three years and 1 to 4 lines per order (≈ 5 lines per customer),
 * generated in SQL as bench/segment-refresh.bench.ts does.
 */
process.env.LOG_LEVEL ??= 'error';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import pg from 'pg';
import { chromium, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../test/console/support/chromium.js';
import { startConsoleNetwork } from '../test/console/support/console-network.js';
import { fmt, percentile } from './bench-support.js';

const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const DIST = resolve('apps/console/dist');

function args(): { customers: number; runs: number } {
  const read = (flag: string, fallback: number) => {
    const i = process.argv.indexOf(flag);
    if (i < 0) return fallback;
    const n = Number((process.argv[i + 1] ?? '').replace(/_/g, ''));
    if (!Number.isInteger(n) || n < 0) throw new Error(`${flag}: not a whole number`);
    return n;
  };
  return { customers: read('--customers', 1_000_000), runs: Math.max(5, read('--runs', 20)) };
}

/** The page's query, as apps/console/src/marketing/queries.ts sends it. */
const STATISTICS = `query Statistics($currency: String!, $months: Int, $from: DateTime) {
  salesByMonth(input: { currency: $currency, months: $months, projectMonths: 3 }) { currency months { month orders revenue } projection { month revenue } trend { intercept slope points } }
  salesByCategory(input: { currency: $currency, from: $from }) { category orders quantity revenue }
  rfmDistribution { asOf refreshedAt stale refreshEverySeconds customers windowDays cells { recency frequency monetary customers } }
  careSatisfactionByMonth(input: { months: $months }) { month cases rated average }
}`;

// Evaluated in the page (a string: this file is type-checked without the DOM library).
/** Resolves with performance.now() (ms since navigation start) at the frame after all four charts are in. */
const CHARTS_PAINTED = `new Promise((done) => {
  const check = () => {
    const all = ['sales-by-month', 'sales-by-category', 'care-satisfaction'].every((id) =>
      document.querySelector('[data-testid=' + id + '] .recharts-surface')) &&
      document.querySelector('[data-testid=rfm-grid] svg rect');
    requestAnimationFrame(all ? () => done(performance.now()) : check);
  };
  check();
})`;

const COUNTED = ['paid', 'shipped', 'delivered'];

/** The page's aggregates as they were before order_sales_month (migration 1700000009300): the baseline. */
const FORMER_QUERIES: [string, (from: string, start: string, end: string) => unknown[]][] = [
  [
    `SELECT to_char(date_trunc('month', o.ordered_at AT TIME ZONE 'UTC'), 'YYYY-MM') AS month,
            count(*)::int AS orders, sum(o.total)::text AS revenue
       FROM customer_order o
      WHERE o.status = ANY($1) AND o.currency = $2 AND o.ordered_at >= $3 AND o.ordered_at < $4
      GROUP BY 1`,
    (_from, start, end) => [COUNTED, 'EUR', start, end],
  ],
  [
    `SELECT l.product_category AS category, count(DISTINCT o.id)::int AS orders,
            sum(l.quantity)::int AS quantity, sum(l.line_total)::text AS revenue
       FROM customer_order o JOIN order_line l ON l.order_id = o.id
      WHERE o.status = ANY($1) AND o.currency = $2
        AND ($3::timestamptz IS NULL OR o.ordered_at >= $3) AND ($4::timestamptz IS NULL OR o.ordered_at < $4)
      GROUP BY 1 ORDER BY sum(l.line_total) DESC, 1`,
    (from) => [COUNTED, 'EUR', from, null],
  ],
  [
    `WITH facts AS (
       SELECT o.customer_id, max(o.ordered_at) AS last_at, count(*)::int AS frequency, sum(o.total) AS monetary
         FROM customer_order o JOIN customer c ON c.id = o.customer_id AND c.deleted_at IS NULL
        WHERE o.status = ANY($1) AND o.ordered_at <= $2 AND o.ordered_at > $2::timestamptz - make_interval(days => $3)
          AND ($4::text IS NULL OR o.currency = $4)
        GROUP BY o.customer_id),
     scored AS (
       SELECT ntile(5) OVER (ORDER BY last_at, customer_id)::int AS r,
              ntile(5) OVER (ORDER BY frequency, customer_id)::int AS f,
              ntile(5) OVER (ORDER BY monetary, customer_id)::int AS m,
              floor(extract(epoch FROM ($2::timestamptz - last_at)) / 86400)::int AS recency_days,
              frequency, monetary
         FROM facts)
     SELECT r, f, m, count(*)::int AS customers,
            min(recency_days)::int AS r_min, max(recency_days)::int AS r_max,
            min(frequency)::int AS f_min, max(frequency)::int AS f_max,
            min(monetary)::text AS m_min, max(monetary)::text AS m_max
       FROM scored GROUP BY r, f, m`,
    () => [COUNTED, new Date().toISOString(), 365, null],
  ],
  [
    `SELECT to_char(date_trunc('month', opened_at AT TIME ZONE 'UTC'), 'YYYY-MM') AS month,
            count(*)::int AS cases, count(satisfaction)::int AS rated, avg(satisfaction)::text AS average
       FROM care_case WHERE opened_at >= $1 AND opened_at < $2
      GROUP BY 1`,
    (_from, start, end) => [start, end],
  ],
];

/** The four former aggregates sent at once (one connection each, as the resolvers run): ms until the last is back. */
async function formerQueriesTimed(pool: pg.Pool): Promise<number> {
  const [from, start, end] = [monthsAgo(12), monthsAgo(12), monthsAgo(0)];
  const t = performance.now();
  await Promise.all(FORMER_QUERIES.map(([sql, params]) => pool.query(sql, params(from, start, end))));
  return performance.now() - t;
}

async function fill(db: pg.Client, customers: number): Promise<void> {
  const step = async (label: string, sql: string) => {
    const t = performance.now();
    await db.query(sql);
    console.log(`  ${label.padEnd(16)} ${fmt((performance.now() - t) / 1000, 1)} s`);
  };
  await db.query(`SET synchronous_commit = off`);
  await db.query(`SET maintenance_work_mem = '512MB'`);
  await db.query(`SELECT setseed(0.42)`);
  const orders = 2 * customers;
  await step(
    'customers',
    `INSERT INTO customer (first_name, last_name, lifecycle_stage, address_country)
     SELECT 'First', 'Last ' || g, (ARRAY['lead','prospect','customer','churned'])[1 + g % 4],
            (ARRAY['FR','DE','GB','IT','ES'])[1 + g % 5]
       FROM generate_series(1, ${customers}) g`,
  );
  await step(
    'numbering',
    `CREATE TEMP TABLE cid AS SELECT row_number() OVER () AS n, id FROM customer; CREATE UNIQUE INDEX ON cid (n); ANALYZE cid`,
  );
  await step(
    'orders',
    `INSERT INTO customer_order (number, customer_id, ordered_at, status, channel, currency, subtotal, total)
     SELECT 'S' || g, cid.id, now() - random() * interval '1095 days',
            (ARRAY['paid','shipped','delivered','delivered','paid','shipped','delivered','paid','pending','cancelled'])[1 + g % 10],
            'web', 'EUR', t, t
       FROM (SELECT g, 1 + floor((SELECT count(*) FROM cid) * power(random(), 1.6))::bigint AS n,
                    round((5 + random() * 295)::numeric, 2) AS t
               FROM generate_series(1, ${orders}) g) s
       JOIN cid ON cid.n = s.n`,
  );
  await step(
    'order lines',
    `INSERT INTO order_line (order_id, position, sku, product_name, product_category, quantity, unit_price, line_total)
     SELECT o.id, p, 'SKU-' || p, 'Product',
            (ARRAY['phones','laptops','audio','tv','accessories'])[1 + (substr(o.number, 2)::int + p) % 5], 1, 10, 10
       FROM customer_order o, generate_series(0, substr(o.number, 2)::int % 4) p WHERE o.number LIKE 'S%'`,
  );
  // VACUUM too, as autovacuum would have by the time a marketer looks: index-only scans need the
  // visibility map of the freshly filled tables.
  await step('vacuum analyze', `VACUUM (ANALYZE)`);
  const { rows } = await db.query<{ customers: number; lines: number }>(
    `SELECT (SELECT count(*) FROM customer)::int AS customers, (SELECT count(*) FROM order_line)::int AS lines`,
  );
  console.log(`  retailer: ${fmt(rows[0]!.customers)} customers, ${fmt(rows[0]!.lines)} order lines`);
}

/** The first day (UTC) of the month `n` months before this one: the page's period. */
function monthsAgo(n: number): string {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - n, 1)).toISOString();
}

async function fetchTimed(page: Page, token: string): Promise<number> {
  return page.evaluate(
    async ({ token, query, from }) => {
      const t = performance.now();
      const response = await fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables: { currency: 'EUR', months: 12, from } }),
      });
      const body = (await response.json()) as { errors?: unknown[] };
      if (body.errors) throw new Error(JSON.stringify(body.errors));
      return performance.now() - t;
    },
    { token, query: STATISTICS, from: monthsAgo(12) },
  );
}

/** The RFM snapshot refreshed once (the refresh job's code, through its mutation): round trip and computation, ms. */
async function refreshRfm(
  url: string,
  token: string,
): Promise<{ ms: number; durationMs: number; customers: number }> {
  const t = performance.now();
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: 'mutation { refreshRfmDistribution { durationMs customers } }' }),
  });
  const body = (await response.json()) as {
    data?: { refreshRfmDistribution: { durationMs: number; customers: number } };
    errors?: unknown[];
  };
  if (!body.data) throw new Error(JSON.stringify(body.errors));
  return { ms: performance.now() - t, ...body.data.refreshRfmDistribution };
}

const line = (label: string, ms: number[]) =>
  `  ${label.padEnd(40)} p50 ${fmt(percentile(ms, 50), 1).padStart(8)} ms   p95 ${fmt(percentile(ms, 95), 1).padStart(8)} ms`;

async function main(): Promise<void> {
  const { customers, runs } = args();
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  const before = new Set(
    (await admin.query<{ datname: string }>(`SELECT datname FROM pg_database`)).rows.map((r) => r.datname),
  );
  const network = await startConsoleNetwork({
    databaseAdminUrl: ADMIN_URL,
    redisUrl: REDIS_URL,
    consoleDist: DIST,
  });
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    const retailer = network.info.nodes.find((n) => n.partnerId === 'retailer')!;
    const after = (await admin.query<{ datname: string }>(`SELECT datname FROM pg_database`)).rows.map(
      (r) => r.datname,
    );
    const dbName = after.find((d) => !before.has(d) && d.endsWith('_retailer'))!;
    const retailerUrl = ADMIN_URL.replace(/\/[^/]*$/, `/${dbName}`);
    const db = new pg.Client({ connectionString: retailerUrl });
    await db.connect();
    console.log(`filling ${fmt(customers)} customers:`);
    await fill(db, customers);
    await db.end();

    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.setDefaultTimeout(120_000);
    const marketer = retailer.users.find((u) => u.role === 'marketer')!;
    // A bearer token, from outside the browser (its context keeps no session cookie of it).
    const login = await fetch(`${retailer.url}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: marketer.email, password: marketer.password }),
    });
    const token = ((await login.json()) as { accessToken: string }).accessToken;
    // The RFM snapshot of the filled data, once, as the refresh job makes it every interval.
    const rfm = await refreshRfm(retailer.url, token);
    await page.goto(`${retailer.url}/marketing/statistics`);
    await page.getByLabel('E-mail').fill(marketer.email);
    await page.getByRole('textbox', { name: 'Password' }).fill(marketer.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.evaluate<number>(CHARTS_PAINTED); // warm: chunks cached, plans made

    const former = new pg.Pool({ connectionString: retailerUrl, max: FORMER_QUERIES.length });
    const pageMs: number[] = [];
    const queryMs: number[] = [];
    const formerMs: number[] = [];
    try {
      await formerQueriesTimed(former); // warm, as the page was
      for (let i = 0; i < runs; i++) {
        await page.goto(`${retailer.url}/marketing/statistics`);
        pageMs.push(await page.evaluate<number>(CHARTS_PAINTED));
        queryMs.push(await fetchTimed(page, token));
        formerMs.push(await formerQueriesTimed(former));
      }
    } finally {
      await former.end();
    }
    pageMs.sort((a, b) => a - b);
    queryMs.sort((a, b) => a - b);
    formerMs.sort((a, b) => a - b);
    console.log(
      `RFM snapshot refreshed once (refreshRfmDistribution, ${fmt(rfm.customers)} buyers ranked): ` +
        `${fmt(rfm.ms, 1)} ms round trip, ${fmt(rfm.durationMs, 1)} ms computing`,
    );
    console.log(`statistics page, ${runs} loads (shared 2-core machine: figures are noisy):`);
    console.log(line('navigation → four charts painted', pageMs));
    console.log(line('baseline: the Statistics query (fetch)', queryMs));
    console.log(line('baseline: the former raw aggregates (pg)', formerMs));
    console.log(
      `  ratio p95 page / query: ${fmt(percentile(pageMs, 95) / percentile(queryMs, 95), 2)}×   ` +
        `former aggregates p95 / page p95: ${fmt(percentile(formerMs, 95) / percentile(pageMs, 95), 2)}×   goal: page p95 ≤ 1,000 ms`,
    );
    console.log(`  load average: ${readFileSync('/proc/loadavg', 'utf8').trim()}`);
  } finally {
    await browser.close();
    await network.close();
    await admin.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
