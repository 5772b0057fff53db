/**
 * Customer search at scale: the search box's query mix (full names with typos, reordered names,
 * name fragments, e-mail prefixes, phones in national and international formats), derived from
 * customers actually loaded, 16 concurrent, through the partner node's GraphQL API and through raw
 * `pg` with the same statements; then main's former SQL (GiST nearest-neighbour names) as the
 * baseline in the same run, on the same data. Prints req/s, p50, p95 and the ratios; never asserts.
 *
 * Besides wall times, the CPU each request cost (milliseconds per request): the node's process (from
 * /proc), this process (the load generator, or the raw `pg` client), and the PostgreSQL backends
 * serving the bench database. On a loaded machine these compare better than latencies.
 *
 *   npm run build && node dist/bench/customer-search.bench.js [--rows 1000000] [--seconds 15] [--concurrency 16]
 *
 * SEARCH_BENCH_DATABASE=<name> reuses that database if it holds customers (filled and kept by an
 * earlier run with SEARCH_BENCH_KEEP=1, which prints its name), instead of filling a new one.
 *
 * Names follow a real base's (the fixtures' populationName): about 2,000 first names and a Zipf
 * long tail of surnames, so the vocabulary of name words grows with the base (about 110,000 words
 * at a million customers). SEARCH_BENCH_VOCABULARY=short fills from the short lists instead
 * (about 120 words whatever the size), as the bench did before: a vocabulary lookup is then cheap
 * at any scale, which hid its cost. The vocabulary lookups alone (step 1) are measured too.
 */
import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { populationName } from '#fixtures';
import {
  nameTermsStatement,
  nameWords,
  pgRunQuery,
  searchCustomerRows,
} from '../apps/partner-node/src/customers/customer-search.js';
import {
  benchArgs,
  BENCH_ADMIN_URL,
  type BenchDatabase,
  backendCpu,
  backendCpuSeconds,
  cpuSecondsOf,
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
  BASELINE_SEARCH_INDEX_NAME,
  BASELINE_SEARCH_SETTINGS,
  baselineSearchStatement,
} from './customer-search-baseline.js';

/**
 * Each side runs this long before it is measured, so that the figures are a running server's: in
 * the first 12 s after start-up a quarter of the node's CPU went to compiling its own code
 * (TurboFan, `perf`), and a second 15 s measurement after a 2 s warm-up answered 19 % more
 * requests (p95 84.7 against 108.3 ms, same run).
 */
const WARM_UP_SECONDS = 10;

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
  const reused = process.env.SEARCH_BENCH_DATABASE;
  const keep = Boolean(reused) || process.env.SEARCH_BENCH_KEEP === '1';
  const db: BenchDatabase = reused ? existingDatabase(reused) : await createBenchDatabase('search');
  let node: BenchNode | undefined;
  const pool = new pg.Pool({ connectionString: db.url, max: concurrency });
  const run = pgRunQuery(pool);
  try {
    const client = new pg.Client({ connectionString: db.url });
    let t = performance.now();
    if (reused) {
      await client.connect();
      const [{ n }] = (await client.query(`SELECT count(*)::int AS n FROM customer`)).rows as { n: number }[];
      console.log(`reusing ${db.name}: ${fmt(n)} customers`);
      // The node of the earlier run sealed its keys and set its admin's password with its own
      // random secrets: this run's node starts afresh.
      await client.query(`DELETE FROM node_key`);
      await client.query(`DELETE FROM app_user WHERE email = 'bench-admin@example.test'`);
    } else {
      const dataSource = await migratedDataSource(db.url, 2);
      await dataSource.destroy();
      await client.connect();
      const shortVocabulary = process.env.SEARCH_BENCH_VOCABULARY === 'short';
      await loadCustomers(client, rows, shortVocabulary ? undefined : (i) => populationName(i));
      console.log(`loaded ${fmt(rows)} customers in ${fmt((performance.now() - t) / 1000, 1)} s`);
      if (keep)
        console.log(`kept as ${db.name} (SEARCH_BENCH_DATABASE=${db.name} reuses it; drop it afterwards)`);
    }
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
    // Step 1 alone: each query's vocabulary lookup, one at a time (no contention), as the node sends it.
    const lookups = queries
      .map((q) => (q.includes('@') ? [] : nameWords(q)))
      .filter((words) => words.length > 0)
      .map((words) => ({ words, ...nameTermsStatement(words) }));
    for (const { sql, params, name } of lookups) await run(sql, params, name); // prepares, warms the cache
    const lookupTimes: number[] = [];
    let slowest = { ms: 0, words: [] as string[] };
    for (const { words, sql, params, name } of lookups) {
      const started = performance.now();
      await run(sql, params, name);
      const ms = performance.now() - started;
      lookupTimes.push(ms);
      if (ms > slowest.ms) slowest = { ms, words };
    }
    lookupTimes.sort((a, b) => a - b);
    console.log(
      `vocabulary lookups (step 1), ${lookups.length} queries one at a time: p50 ${fmt(percentile(lookupTimes, 50), 2)} ms, ` +
        `p95 ${fmt(percentile(lookupTimes, 95), 2)} ms, max ${fmt(slowest.ms, 2)} ms (${slowest.words.join(' ')})`,
    );

    node = await startBenchNode(db.url, concurrency);
    const gql = node.gql;
    const SEARCH = `query($q: String!) { searchCustomers(query: $q, first: 20) { id firstName lastName } }`;
    const fetchCustomers = (ids: string[]) =>
      pool.query(`SELECT * FROM customer c WHERE c.id = ANY($1) AND c.deleted_at IS NULL`, [ids]);

    const viaGraphql = async (i: number) => {
      await gql(SEARCH, { q: queries[i % queries.length] });
    };
    // The node's statements (the last one returns the customers' rows), straight on `pg`.
    const viaPg = async (i: number) => {
      await searchCustomerRows(run, queries[i % queries.length], 20, 'c.*');
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

    // CPU seconds so far of the node, this process, and the PostgreSQL backends on the bench database.
    const cpuNow = async () => {
      const own = process.cpuUsage();
      return {
        node: node ? (cpuSecondsOf(node.pid) ?? NaN) : NaN,
        bench: (own.user + own.system) / 1e6,
        pg: await backendCpu(async (sql, values) => (await pool.query(sql, values)).rows, [db.name]),
      };
    };
    const cpuOf = new Map<string, { node: number; bench: number; pg: number }>();
    const measuredCpu = async (label: string, work: (i: number) => Promise<void>): Promise<Measure> => {
      const before = await cpuNow();
      const m = await drive(concurrency, seconds, work);
      const after = await cpuNow();
      const per = (x: number) => (x * 1000) / m.requests;
      cpuOf.set(label, {
        node: per(after.node - before.node),
        bench: per(after.bench - before.bench),
        pg: per(backendCpuSeconds(before.pg, after.pg)),
      });
      return m;
    };

    // Step 1 alone under the same load.
    const viaLookup = async (i: number) => {
      const { sql, params, name } = lookups[i % lookups.length];
      await run(sql, params, name);
    };

    const measured: [string, Measure][] = [];
    for (const [label, work] of [
      ['GraphQL', viaGraphql],
      ['raw pg', viaPg],
      ['step 1', viaLookup],
    ] as const) {
      await drive(concurrency, WARM_UP_SECONDS, work); // warm-up: caches, pools, compiled code
      measured.push([label, await measuredCpu(label, work)]);
    }
    if (process.env.SEARCH_BENCH_OLD !== '0') {
      // Main's former SQL (SEARCH_BENCH_OLD=0 skips it: its index takes minutes at a million).
      t = performance.now();
      // A database kept by an earlier run may still hold it (runs before this one left it there).
      await pool.query(`DROP INDEX IF EXISTS ${BASELINE_SEARCH_INDEX_NAME}`);
      await pool.query(BASELINE_SEARCH_INDEX);
      await pool.query('ANALYZE customer');
      console.log(`baseline GiST index built in ${fmt((performance.now() - t) / 1000, 1)} s`);
      await drive(concurrency, 2, baseline);
      measured.push(['old SQL', await measuredCpu('old SQL', baseline)]);
      // Not the product's: a kept database is left with the product's indexes only.
      await pool.query(`DROP INDEX ${BASELINE_SEARCH_INDEX_NAME}`);
    }

    const p95 = (m: Measure) => percentile(m.latencies, 95);
    const rate = (m: Measure) => m.requests / m.seconds;
    const old = measured.find(([l]) => l === 'old SQL')?.[1];
    console.log(
      `\ncustomer search (first 20), ${fmt(rows)} customers, concurrency ${concurrency}, ${seconds} s each`,
    );
    for (const [label, m] of measured) {
      console.log(
        `  ${label.padEnd(8)} ${fmt(rate(m)).padStart(7)} req/s   p50 ${fmt(percentile(m.latencies, 50), 1).padStart(7)} ms   p95 ${fmt(p95(m), 1).padStart(7)} ms   errors ${m.errors}` +
          (!old || label === 'step 1'
            ? ''
            : m === old
              ? '   (baseline: main’s SQL, raw pg)'
              : `   vs old SQL: ${fmt(rate(m) / rate(old), 1)}× req/s, p95 ${fmt(p95(old) / p95(m), 1)}× lower`),
      );
      const cpu = cpuOf.get(label)!;
      const nodeCpu = label === 'GraphQL' ? `node ${fmt(cpu.node, 2)} + ` : '';
      console.log(
        `           CPU per request: ${nodeCpu}bench ${fmt(cpu.bench, 2)} + PostgreSQL ${fmt(cpu.pg, 2)} ms`,
      );
    }
    const byLabel = (label: string) => measured.find(([l]) => l === label)![1];
    const [g, r] = [byLabel('GraphQL'), byLabel('raw pg')];
    console.log(
      `  GraphQL / raw pg in this run: p95 ×${fmt(p95(g) / p95(r), 2)}, req/s ×${fmt(rate(g) / rate(r), 2)}`,
    );
  } finally {
    await pool.end();
    await node?.stop();
    if (!keep) await db.drop();
  }
}

/** A database filled by an earlier run (SEARCH_BENCH_DATABASE), kept afterwards. */
function existingDatabase(name: string): BenchDatabase {
  if (!/^\w+$/.test(name)) throw new Error(`SEARCH_BENCH_DATABASE: not a database name: ${name}`);
  const url = new URL(BENCH_ADMIN_URL);
  url.pathname = `/${name}`;
  return { name, url: url.toString(), drop: () => Promise.resolve() };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
