/**
 * A flood of wrong passwords against one partner node while a signed-in user works: do the other
 * requests of the process still answer quickly? The flood comes from random client addresses
 * (X-Forwarded-For through a trusted loopback proxy) against random accounts, so the per-address
 * and per-account throttles do not stop it: only the password-check limiter (at most 1-2 scrypt
 * at once, a bounded queue, the rest refused with TOO_MANY_REQUESTS) protects the process.
 *
 * Prints login attempts/s (checked and refused) and the signed-in user's GraphQL read latency
 * (p50/p95) without the flood (baseline) and during it, and the ratio; the goal is a p95 under
 * 50 ms during the flood. Figures only, never asserted.
 *
 *   npm run build && npm run bench:login -- [--seconds 20] [--concurrency 32]
 *
 * The node runs in a child process (dist/apps/partner-node/src/main.js) on a database of its own
 * on BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres), created and dropped.
 */
import { randomBytes } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import {
  benchArgs,
  createBenchDatabase,
  fmt,
  freePort,
  migratedDataSource,
  percentile,
  startNodeProcess,
  waitForHealth,
} from './bench-support.js';

const READ = `{ me { id email roles } users { id email } }`;
/** The flood is bounded whatever is asked. */
const MAX_SECONDS = 60;

interface ReadFigures {
  requests: number;
  p50: number;
  p95: number;
}

/** The signed-in user reads for `ms`, one request after another (a person at a screen, busy). */
async function userReads(url: string, token: string, ms: number): Promise<ReadFigures> {
  const latencies: number[] = [];
  const until = performance.now() + ms;
  while (performance.now() < until) {
    const t = performance.now();
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: READ }),
    });
    const body = (await response.json()) as { errors?: unknown[] };
    if (body.errors) throw new Error(`the user's read failed: ${JSON.stringify(body.errors)}`);
    latencies.push(performance.now() - t);
  }
  latencies.sort((a, b) => a - b);
  return { requests: latencies.length, p50: percentile(latencies, 50), p95: percentile(latencies, 95) };
}

const randomAddress = () =>
  `10.${1 + Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 256)}.${1 + Math.floor(Math.random() * 254)}`;

/** `concurrency` attackers sending wrong passwords for `ms`; counts what the node answered. */
async function flood(url: string, concurrency: number, ms: number, stop: { at: number }) {
  const counts = { checked: 0, refused: 0, other: 0 };
  const attacker = async () => {
    while (performance.now() < stop.at) {
      const response = await fetch(`${url}/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': randomAddress() },
        body: JSON.stringify({
          email: `victim${Math.floor(Math.random() * 1000)}@example.test`,
          password: randomBytes(9).toString('base64url'),
        }),
      });
      await response.arrayBuffer();
      if (response.status === 401) counts.checked++;
      else if (response.status === 429) counts.refused++;
      else counts.other++;
    }
  };
  stop.at = performance.now() + ms;
  await Promise.all(Array.from({ length: concurrency }, attacker));
  return counts;
}

async function main(): Promise<void> {
  const { seconds: asked, concurrency } = benchArgs({ rows: 1, seconds: 20, concurrency: 32 });
  const seconds = Math.min(asked, MAX_SECONDS);
  const db = await createBenchDatabase('login');
  let node: ReturnType<typeof startNodeProcess> | undefined;
  try {
    const dataSource = await migratedDataSource(db.url, 2);
    await dataSource.destroy();
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const password = randomBytes(18).toString('base64url');
    node = startNodeProcess({
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: db.url,
      REDIS_URL: '',
      AUTH_TOKEN_SECRET: randomBytes(32).toString('base64url'),
      KEY_ENCRYPTION_SECRET: randomBytes(32).toString('base64url'),
      ADMIN_EMAIL: 'bench-admin@example.test',
      ADMIN_PASSWORD: password,
      TRUST_PROXY: 'loopback',
      LOG_LEVEL: 'error',
    });
    await waitForHealth(url, node.exited);
    const login = await fetch(`${url}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'bench-admin@example.test', password }),
    });
    if (login.status !== 200) throw new Error(`the user could not sign in (${login.status})`);
    const { accessToken } = (await login.json()) as { accessToken: string };
    await userReads(url, accessToken, 1000); // warm-up

    const baselineMs = Math.max(3000, (seconds * 1000) / 4);
    const baseline = await userReads(url, accessToken, baselineMs);
    const stop = { at: Number.POSITIVE_INFINITY };
    const t0 = performance.now();
    const flooding = flood(url, concurrency, seconds * 1000, stop);
    // The user works through the same window as the flood.
    const during = await userReads(url, accessToken, seconds * 1000);
    const counts = await flooding;
    const elapsed = (performance.now() - t0) / 1000;

    console.log(`login flood: ${concurrency} attackers, ${seconds} s, random accounts and client addresses`);
    // The figures mean little on a machine that is busy with other work: say how busy it was.
    console.log(
      `  machine: ${availableParallelism()} cores, load average ${loadavg()[0]!.toFixed(1)} (1 min) at the end`,
    );
    console.log(
      `  login attempts: ${fmt((counts.checked + counts.refused + counts.other) / elapsed, 1)}/s ` +
        `(password checked and refused: ${fmt(counts.checked / elapsed, 1)}/s; ` +
        `refused TOO_MANY_REQUESTS before any check: ${fmt(counts.refused / elapsed, 1)}/s; other: ${counts.other})`,
    );
    console.log('  signed-in user, GraphQL reads one after another:');
    console.log(
      `    baseline (no flood): ${fmt(baseline.requests / (baselineMs / 1000), 1)} req/s, p50 ${fmt(baseline.p50, 1)} ms, p95 ${fmt(baseline.p95, 1)} ms`,
    );
    console.log(
      `    during the flood:    ${fmt(during.requests / seconds, 1)} req/s, p50 ${fmt(during.p50, 1)} ms, p95 ${fmt(during.p95, 1)} ms`,
    );
    console.log(
      `    ratio (flood / baseline): p50 ×${fmt(during.p50 / baseline.p50, 2)}, p95 ×${fmt(during.p95 / baseline.p95, 2)}` +
        `; goal p95 < 50 ms during the flood: ${during.p95 < 50 ? 'met' : 'NOT met'}`,
    );
  } finally {
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
