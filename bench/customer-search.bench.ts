/**
 * Customer search at scale: the search box's query mix (full names with typos, reordered names,
 * name fragments, e-mail prefixes, phones in national and international formats), derived from
 * customers actually loaded, 16 concurrent, through the partner node's GraphQL API and through raw
 * `pg` with the same statements; then main's former SQL (GiST nearest-neighbour names) as the
 * baseline in the same run, on the same data. Prints req/s, p50, p95 and the ratios; never asserts.
 *
 *   npm run build && node dist/bench/customer-search.bench.js [--rows 1000000] [--seconds 15] [--concurrency 16]
 */
import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { searchCustomerIds } from '../apps/partner-node/src/customers/customer-search.js';
import {
  benchArgs,
  createBenchDatabase,
  type BenchNode,
  drive,
  fmt,
  loadCustomers,
  type Measure,
  migratedDataSource,
  percentile,
  seededRandom,
  startBenchNode,
} from './bench-support.js';
import {
  BASELINE_SEARCH_INDEX,
  BASELINE_SEARCH_SETTINGS,
  baselineSearchStatement,
} from './customer-search-baseline.js';

interface Sample {
  first_name: string;
  last_name: string;
  address: string;
  number: string | null;
}

/** One misplaced letter pair, as fast typists do. */
const swap = (w: string) => (w.length < 5 ? w : w.slice(0, 2) + w[3] + w[2] + w.slice(4));

function queryMix(samples: Sample[]): string[] {
  const random = seededRandom(17);
  const queries: string[] = [];
  for (const s of samples) {
    const first = s.first_name.toLowerCase();
    const last = s.last_name.toLowerCase();
    const local = s.address.split('@')[0];
    const national = s.number ? `0${s.number.slice(3)}` : null;
    const kinds = [
      `${first} ${swap(last)}`,
      `${last} ${first}`,
      last.slice(0, Math.max(4, last.length - 2)),
      local.slice(0, Math.max(6, local.length - 3)),
      national ? national.replace(/(\d{2})(?=\d)/g, '$1 ') : `${swap(first)} ${last}`,
      s.number ?? last,
    ];
    queries.push(kinds[Math.floor(random() * kinds.length)]);
  }
  return queries;
}

async function main(): Promise<void> {
  const { rows, seconds, concurrency } = benchArgs({ rows: 1_000_000, seconds: 15, concurrency: 16 });
  const db = await createBenchDatabase('search');
  let node: BenchNode | undefined;
  const pool = new pg.Pool({ connectionString: db.url, max: concurrency });
  const run = async (sql: string, params: unknown[]) => (await pool.query(sql, params)).rows as unknown[];
  try {
    const dataSource = await migratedDataSource(db.url, 2);
    await dataSource.destroy();
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    let t = performance.now();
    await loadCustomers(client, rows);
    console.log(`loaded ${fmt(rows)} customers in ${fmt((performance.now() - t) / 1000, 1)} s`);
    const vocabulary = (await client.query(`SELECT count(*)::int AS n FROM customer_name_term`)).rows[0] as {
      n: number;
    };
    const samples = (
      await client.query(`
        SELECT c.first_name, c.last_name, e.address, ph.number
          FROM customer c TABLESAMPLE SYSTEM (1) REPEATABLE (7)
          JOIN customer_email e ON e.customer_id = c.id AND e.is_primary
          LEFT JOIN customer_phone ph ON ph.customer_id = c.id AND ph.is_primary
         LIMIT 400`)
    ).rows as Sample[];
    await client.end();
    const queries = queryMix(samples);
    console.log(
      `${fmt(vocabulary.n)} distinct name words; ${queries.length} queries, e.g. ${queries.slice(0, 6).join(' | ')}`,
    );

    node = await startBenchNode(db.url, concurrency);
    const gql = node.gql;
    const SEARCH = `query($q: String!) { searchCustomers(query: $q, first: 20) { id firstName lastName } }`;
    const fetchCustomers = (ids: string[]) =>
      pool.query(`SELECT * FROM customer c WHERE c.id = ANY($1) AND c.deleted_at IS NULL`, [ids]);

    const viaGraphql = async (i: number) => {
      await gql(SEARCH, { q: queries[i % queries.length] });
    };
    const viaPg = async (i: number) => {
      await fetchCustomers(await searchCustomerIds(run, queries[i % queries.length], 20));
    };
    const baseline = async (i: number) => {
      const { sql, params } = baselineSearchStatement(queries[i % queries.length], 20);
      const connection = await pool.connect();
      let found: string[];
      try {
        await connection.query('BEGIN');
        for (const setting of BASELINE_SEARCH_SETTINGS) await connection.query(setting);
        found = ((await connection.query(sql, params)).rows as { id: string }[]).map((r) => r.id);
        await connection.query('COMMIT');
      } finally {
        connection.release();
      }
      await fetchCustomers(found);
    };

    const measured: [string, Measure][] = [];
    for (const [label, work] of [
      ['GraphQL', viaGraphql],
      ['raw pg', viaPg],
    ] as const) {
      await drive(concurrency, 2, work); // warm-up: caches, pools
      measured.push([label, await drive(concurrency, seconds, work)]);
    }
    t = performance.now();
    await pool.query(BASELINE_SEARCH_INDEX);
    await pool.query('ANALYZE customer');
    console.log(`baseline GiST index built in ${fmt((performance.now() - t) / 1000, 1)} s`);
    await drive(concurrency, 2, baseline);
    measured.push(['old SQL', await drive(concurrency, seconds, baseline)]);

    const p95 = (m: Measure) => percentile(m.latencies, 95);
    const rate = (m: Measure) => m.requests / m.seconds;
    const old = measured[2][1];
    console.log(
      `\ncustomer search (first 20), ${fmt(rows)} customers, concurrency ${concurrency}, ${seconds} s each`,
    );
    for (const [label, m] of measured) {
      console.log(
        `  ${label.padEnd(8)} ${fmt(rate(m)).padStart(7)} req/s   p50 ${fmt(percentile(m.latencies, 50), 1).padStart(7)} ms   p95 ${fmt(p95(m), 1).padStart(7)} ms   errors ${m.errors}` +
          (m === old
            ? '   (baseline: main’s SQL, raw pg)'
            : `   vs old SQL: ${fmt(rate(m) / rate(old), 1)}× req/s, p95 ${fmt(p95(old) / p95(m), 1)}× lower`),
      );
    }
  } finally {
    await pool.end();
    await node?.stop();
    await db.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
