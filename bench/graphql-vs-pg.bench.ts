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
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import {
  customerSearchStatement,
  SEARCH_SETTINGS,
} from '../apps/partner-node/src/customers/customer-search.js';
import {
  benchArgs,
  createBenchDatabase,
  fmt,
  freePort,
  loadCustomers,
  migratedDataSource,
  percentile,
  startNodeProcess,
  waitForHealth,
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

interface Measure {
  requests: number;
  errors: number;
  seconds: number;
  latencies: number[];
}

/** `concurrency` workers call `work` in a loop for `seconds`; latencies in ms. */
async function drive(
  concurrency: number,
  seconds: number,
  work: (i: number) => Promise<void>,
): Promise<Measure> {
  const latencies: number[] = [];
  let errors = 0;
  let counter = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const i = counter++;
        const t = performance.now();
        try {
          await work(i);
          latencies.push(performance.now() - t);
        } catch {
          errors++;
        }
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return { requests: latencies.length, errors, seconds: (performance.now() - started) / 1000, latencies };
}

async function main(): Promise<void> {
  const { rows, seconds, concurrency } = benchArgs({ rows: 1_000_000, seconds: 10, concurrency: 16 });
  const db = await createBenchDatabase('gql');
  let node: ReturnType<typeof startNodeProcess> | undefined;
  const pool = new pg.Pool({ connectionString: db.url, max: concurrency });
  try {
    const dataSource = await migratedDataSource(db.url, 2);
    await dataSource.destroy();
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    let t = performance.now();
    await loadCustomers(client, rows);
    console.log(`loaded ${fmt(rows)} customers in ${fmt((performance.now() - t) / 1000, 1)} s`);
    const ids = (
      (await client.query(`SELECT id FROM customer TABLESAMPLE SYSTEM (2) LIMIT 5000`)).rows as {
        id: string;
      }[]
    ).map((r) => r.id);
    await client.end();

    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const password = randomBytes(18).toString('base64url');
    node = startNodeProcess({
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: db.url,
      DATABASE_POOL_SIZE: String(concurrency),
      REDIS_URL: '',
      AUTH_TOKEN_SECRET: randomBytes(32).toString('base64url'),
      KEY_ENCRYPTION_SECRET: randomBytes(32).toString('base64url'),
      AUTH_TOKEN_TTL_SECONDS: '3600',
      ADMIN_EMAIL: 'bench-admin@example.test',
      ADMIN_PASSWORD: password,
      LOG_LEVEL: 'warn',
    });
    t = performance.now();
    await waitForHealth(url, node.exited);
    console.log(`partner node up on ${url} in ${fmt((performance.now() - t) / 1000, 1)} s`);

    const gql = async (query: string, variables: Record<string, unknown>, token?: string) => {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as {
        data?: Record<string, unknown>;
        errors?: { message: string }[];
      };
      if (body.errors) throw new Error(body.errors[0].message);
      return body.data!;
    };
    const login = (await gql(
      `mutation($email: String!, $password: String!) { login(input: { email: $email, password: $password }) { token } }`,
      { email: 'bench-admin@example.test', password },
    )) as { login: { token: string } };
    const token = login.login.token;

    const BY_ID = `query($id: ID!) { customer(id: $id) { id firstName lastName emails { address } phones { number } } }`;
    const SEARCH = `query($q: String!) { searchCustomers(query: $q, first: 20) { id firstName lastName } }`;
    const workloads = [
      {
        name: 'customer by id (+ e-mails, phones)',
        graphql: async (i: number) => {
          await gql(BY_ID, { id: ids[i % ids.length] }, token);
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
          await gql(SEARCH, { q: SEARCHES[i % SEARCHES.length] }, token);
        },
        pg: async (i: number) => {
          const { sql, params } = customerSearchStatement(SEARCHES[i % SEARCHES.length], 20);
          const connection = await pool.connect();
          let found: string[];
          try {
            await connection.query('BEGIN');
            for (const setting of SEARCH_SETTINGS) await connection.query(setting);
            found = ((await connection.query(sql, params)).rows as { id: string }[]).map((r) => r.id);
            await connection.query('COMMIT');
          } finally {
            connection.release();
          }
          await pool.query(`SELECT * FROM customer c WHERE c.id = ANY($1) AND c.deleted_at IS NULL`, [found]);
        },
      },
    ];

    const results: string[] = [];
    for (const workload of workloads) {
      // Warm-up: caches, JIT, connection pools.
      await drive(concurrency, 2, workload.graphql);
      await drive(concurrency, 2, workload.pg);
      const viaGraphql = await drive(concurrency, seconds, workload.graphql);
      const viaPg = await drive(concurrency, seconds, workload.pg);
      const row = (label: string, m: Measure) =>
        `  ${label.padEnd(10)} ${fmt(m.requests / m.seconds).padStart(8)} req/s   p50 ${fmt(percentile(m.latencies, 50), 1).padStart(6)} ms   p95 ${fmt(percentile(m.latencies, 95), 1).padStart(6)} ms   errors ${m.errors}`;
      results.push(
        `${workload.name}, concurrency ${concurrency}, ${seconds} s each`,
        row('GraphQL', viaGraphql),
        row('raw pg', viaPg),
        `  ratio raw pg / GraphQL: ${fmt(viaPg.requests / viaPg.seconds / (viaGraphql.requests / viaGraphql.seconds), 2)}× throughput, ` +
          `p95 ${fmt(percentile(viaGraphql.latencies, 95) / percentile(viaPg.latencies, 95), 2)}× latency`,
      );
    }
    console.log(`\n${fmt(rows)} customers\n${results.join('\n')}`);
  } finally {
    await pool.end();
    if (node) {
      node.child.kill('SIGTERM');
      await node.exited;
    }
    await db.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
