import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * Creates a throw-away database on the machine's PostgreSQL for one test file, so that runs
 * never collide, and drops it afterwards. The server is `TEST_DATABASE_ADMIN_URL`
 * (default: the local trust-auth server), read at each call so that a test can point it at a
 * PostgreSQL of its own (test/support/own-postgres.ts).
 */
const testAdminUrl = (): string =>
  process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const name = `cc_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  const adminUrl = testAdminUrl();
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await sessionsGone(client, name);
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/**
 * Waits (up to 5 s) for the database's sessions to end before it is dropped. A closed `pg.Pool`
 * resolves `end()` once it has asked its clients to end, not once their sessions are gone: a
 * forced drop in between terminates a session whose client still listens, and the pool then
 * emits an `error` (57P01) that nothing may be left to handle. The force stays for what remains.
 */
async function sessionsGone(admin: pg.Client, name: string): Promise<void> {
  const until = Date.now() + 5_000;
  while (Date.now() < until) {
    const { rows } = await admin.query<{ n: string }>(
      'SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [name],
    );
    if (Number(rows[0]!.n) === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A Redis key prefix of its own for one test file. */
export function testRedisPrefix(label: string): string {
  return `cc-test:${label}:${randomBytes(4).toString('hex')}`;
}

/**
 * The Redis prefix a test service's queues need of their own, or undefined. Only NODE_ENV=test makes
 * the queues add a random part to their prefix and delete their keys at close; a service a test
 * starts as in production or development (`env`, unless it names REDIS_PREFIX) gets one here, which
 * the test deletes at close (deleteKeysUnder).
 */
export function ownRedisPrefix(label: string, env: Record<string, string>): string | undefined {
  return (env.NODE_ENV ?? 'test') !== 'test' && env.REDIS_PREFIX === undefined
    ? testRedisPrefix(label)
    : undefined;
}
