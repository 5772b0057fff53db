/**
 * Customer reads through the partner node's GraphQL API over HTTP (a real node process on
 * 127.0.0.1, bearer token) against the same SQL sent with raw `pg`, at the same concurrency, on a
 * database of 1,000,000 customers: customer by id (with its e-mails and phones) and customer
 * search (name fragments and typos, e-mail prefixes). Prints requests/s, p50 and p95 latency and
 * the ratio; never asserts.
 *
 *   npm run build && node dist/bench/graphql-vs-pg.bench.js [--rows 1000000] [--seconds 10] [--concurrency 16]
 *
 * Runs against BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) on a
 * database of its own, created and dropped. The node runs in a child process
 * (dist/apps/partner-node/src/main.js) so that it does not share the load generator's event loop.
 */
import 'reflect-metadata';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { pgRunQuery, searchCustomerIds } from '../apps/partner-node/src/customers/customer-search.js';
import {
  benchArgs,
  cpuSecondsOf,
  createBenchDatabase,
  type BenchNode,
  drive,
  fmt,
  loadCustomers,
  type Measure,
  migratedDataSource,
  percentile,
  postJson,
  startBenchNode,
} from './bench-support.js';

/** What people type in a search box: name fragments, full names, typos, e-mail prefixes. */
const SEARCHES = [
  'dupont',
  'sophie martin',
  'schmitd',
  'garcía lopez',
  'nakamura',
  'lucas.petit',
  'emma.weber.1',
  'van dijk',
  'o’brien',
  'marco ricci',
  'kowalsky',
  'liam.smith.9',
  'hannah',
  'yilmaz',
  'zofia nowak',
  'pierre.durand.42',
];

/** The bare node:http + pg handler (bare-graphql-server.ts) in a process of its own, like the node. */
async function startBare(dbUrl: string, poolSize: number): Promise<{ url: string; child: ChildProcess }> {
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const child = spawn(
    process.execPath,
    [fileURLToPath(new URL('./bare-graphql-server.js', import.meta.url))],
    {
      env: { ...process.env, DATABASE_URL: dbUrl, PORT: String(port), DATABASE_POOL_SIZE: String(poolSize) },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  await once(child.stdout!, 'data');
  return { url: `http://127.0.0.1:${port}/graphql`, child };
}

type Run = (i: number) => Promise<void>;

/** The machine's 1-minute load average (the machine is shared: figures mean little without it). */
function loadAverage(): string {
  return fmt(os.loadavg()[0], 1);
}

async function main(): Promise<void> {
  const { rows, seconds, concurrency } = benchArgs({ rows: 1_000_000, seconds: 10, concurrency: 16 });
  const db = await createBenchDatabase('gql');
  let node: BenchNode | undefined;
  let bare: { url: string; child: ChildProcess } | undefined;
  const pool = new pg.Pool({ connectionString: db.url, max: concurrency });
  try {
    const dataSource = await migratedDataSource(db.url, 2);
    await dataSource.destroy();
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const t = performance.now();
    await loadCustomers(client, rows);
    console.log(`loaded ${fmt(rows)} customers in ${fmt((performance.now() - t) / 1000, 1)} s`);
    const ids = (
      (await client.query(`SELECT id FROM customer TABLESAMPLE SYSTEM (2) LIMIT 5000`)).rows as {
        id: string;
      }[]
    ).map((r) => r.id);
    await client.end();

    node = await startBenchNode(db.url, concurrency);
    const gql = node.gql;
    bare = await startBare(db.url, concurrency);
    const bareUrl = bare.url;
    const nodePid = node.pid;
    const barePid = bare.child.pid!;

    const BY_ID = `query($id: ID!) { customer(id: $id) { id firstName lastName emails { address } phones { number } } }`;
    const SEARCH = `query($q: String!) { searchCustomers(query: $q, first: 20) { id firstName lastName } }`;
    const workloads = [
      {
        name: 'customer by id (+ e-mails, phones)',
        graphql: async (i: number) => {
          await gql(BY_ID, { id: ids[i % ids.length] });
        },
        bare: async (i: number) => {
          const body = (await postJson(bareUrl, {
            query: BY_ID,
            variables: { id: ids[i % ids.length] },
          })) as {
            data?: unknown;
          };
          if (!body.data) throw new Error('bare handler failed');
        },
        pg: async (i: number) => {
          const id = ids[i % ids.length];
          await pool.query(`SELECT * FROM customer c WHERE c.id = $1 AND c.deleted_at IS NULL`, [id]);
          await pool.query(
            `SELECT * FROM customer_email e WHERE e.customer_id = ANY($1) ORDER BY e.is_primary DESC, e.address ASC`,
            [[id]],
          );
          await pool.query(
            `SELECT * FROM customer_phone p WHERE p.customer_id = ANY($1) ORDER BY p.is_primary DESC, p.number ASC`,
            [[id]],
          );
        },
      },
      {
        name: 'customer search (first 20)',
        graphql: async (i: number) => {
          await gql(SEARCH, { q: SEARCHES[i % SEARCHES.length] });
        },
        pg: async (i: number) => {
          const found = await searchCustomerIds(pgRunQuery(pool), SEARCHES[i % SEARCHES.length], 20);
          await pool.query(`SELECT * FROM customer c WHERE c.id = ANY($1) AND c.deleted_at IS NULL`, [found]);
        },
      },
    ];

    const results: string[] = [];
    const rate = (m: Measure) => m.requests / m.seconds;
    // CPU milliseconds the serving process spent per request during a run (undefined off Linux).
    const cpuPerRequest = async (pid: number, run: () => Promise<Measure>) => {
      const before = cpuSecondsOf(pid);
      const measure = await run();
      const after = cpuSecondsOf(pid);
      const ms =
        before === undefined || after === undefined
          ? undefined
          : ((after - before) * 1000) / measure.requests;
      return { measure, ms };
    };
    const cpu = (ms: number | undefined) =>
      ms === undefined ? '' : `   server CPU ${fmt(ms, 2)} ms/request`;
    for (const workload of workloads as { name: string; graphql: Run; pg: Run; bare?: Run }[]) {
      // Warm-up: caches, JIT, connection pools.
      await drive(concurrency, 2, workload.graphql);
      await drive(concurrency, 2, workload.pg);
      if (workload.bare) await drive(concurrency, 2, workload.bare);
      const graphqlRun = await cpuPerRequest(nodePid, () => drive(concurrency, seconds, workload.graphql));
      const viaGraphql = graphqlRun.measure;
      const bareRun = workload.bare
        ? await cpuPerRequest(barePid, () => drive(concurrency, seconds, workload.bare!))
        : undefined;
      const viaBare = bareRun?.measure;
      const viaPg = await drive(concurrency, seconds, workload.pg);
      const row = (label: string, m: Measure, cpuMs?: number) =>
        `  ${label.padEnd(10)} ${fmt(m.requests / m.seconds).padStart(8)} req/s   p50 ${fmt(percentile(m.latencies, 50), 1).padStart(6)} ms   p95 ${fmt(percentile(m.latencies, 95), 1).padStart(6)} ms   errors ${m.errors}${cpu(cpuMs)}`;
      results.push(
        `${workload.name}, concurrency ${concurrency}, ${seconds} s each; load average ${loadAverage()}`,
        row('GraphQL', viaGraphql, graphqlRun.ms),
        ...(viaBare
          ? [
              row('bare http', viaBare, bareRun?.ms),
              `  ratio GraphQL / bare node:http + pg handler (same SQL, same JSON): ${fmt(rate(viaGraphql) / rate(viaBare), 2)}× throughput (goal ≥ 0.5), ` +
                `p95 ${fmt(percentile(viaGraphql.latencies, 95) / percentile(viaBare.latencies, 95), 2)}× latency` +
                (graphqlRun.ms !== undefined && bareRun?.ms !== undefined
                  ? `, ${fmt(bareRun.ms / graphqlRun.ms, 2)}× the CPU efficiency`
                  : ''),
            ]
          : []),
        row('raw pg', viaPg),
        `  ratio raw pg / GraphQL: ${fmt(viaPg.requests / viaPg.seconds / (viaGraphql.requests / viaGraphql.seconds), 2)}× throughput, ` +
          `p95 ${fmt(percentile(viaGraphql.latencies, 95) / percentile(viaPg.latencies, 95), 2)}× latency`,
      );
    }
    console.log(`\n${fmt(rows)} customers\n${results.join('\n')}`);
  } finally {
    await pool.end();
    bare?.child.kill('SIGTERM');
    await node?.stop();
    await db.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
