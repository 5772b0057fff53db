import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { startTestFederation, type TestFederation } from '../apps/federation/src/testing/test-federation.js';
import { startTestNode, type TestNode } from '../apps/partner-node/src/testing/test-node.js';
import {
  consentingCustomer,
  joinNetwork,
  nodeSecret,
  waitFor,
} from '../apps/partner-node/src/testing/network.js';
import { expectOrdersDeliveredOnce, type QueryRows } from './support/exactly-once.js';
import { NodeProcess, nodeMainMissing } from './support/node-process.js';
import { freePort, OwnRedis } from './support/own-redis.js';

/**
 * Invariant 7 with a process dying: alpha runs as three real OS processes on one PostgreSQL
 * database and one Redis, as docs/operations.md deploys a node: two API replicas
 * (QUEUE_WORKERS=false; each LISTENs on the outbox and drains it into deliveries) and one worker
 * (runs the delivery jobs). 10,000 orders are written in transactions of 500; after the fourth,
 * one replica is killed with SIGKILL while it drains. Every record reaches beta exactly once:
 * counted per record and per envelope at beta, per delivery at alpha, no dead letter left.
 */
const TOTAL = 10_000;
const PER_TRANSACTION = 500;
const KILL_AFTER = 4; // transactions committed before the kill
const missing = nodeMainMissing();
if (missing) throw new Error(`replica-kill: ${missing}`);

describe('an API replica killed with SIGKILL mid-run: every record delivered exactly once', () => {
  let redis: OwnRedis;
  let federation: TestFederation;
  let alpha: TestNode; // in process for the setup only; its database stays for the processes
  let beta: TestNode;
  let alphaCustomer: string;
  let alphaDb: pg.Pool;
  const processes: NodeProcess[] = [];

  const atAlpha: QueryRows = async (sql) => (await alphaDb.query(sql)).rows;
  const atBeta: QueryRows = (sql) => beta.app.get(DataSource).query(sql);
  const count = async (rows: QueryRows, sql: string): Promise<number> => Number((await rows(sql))[0]!.n);

  // Replica 2's sessions are named (PGAPPNAME) so that the kill can be timed inside its drain:
  // a transaction of its that selected outbox rows FOR UPDATE (polled every few ms for 3 s).
  const catchReplica2InDrain = async (): Promise<boolean> => {
    const until = Date.now() + 3_000;
    while (Date.now() < until) {
      const inDrain = await count(
        atAlpha,
        `SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = 'replica-2'
            AND xact_start IS NOT NULL AND (query LIKE '%FROM share_outbox%' OR query LIKE '%share_delivery%')`,
      );
      if (inDrain > 0) return true;
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    return false;
  };

  beforeAll(async () => {
    redis = new OwnRedis(await freePort());
    await redis.start();
    federation = await startTestFederation('kill_fed');
    const alphaPort = await freePort();
    [alpha, beta] = await Promise.all([
      startTestNode('kill_alpha', {
        PARTNER_ID: 'alpha-kill',
        FEDERATION_URL: federation.url,
        KEY_ENCRYPTION_SECRET: nodeSecret('alpha'),
        PORT: String(alphaPort), // the endpoint it joins with, served later by replica 1
      }),
      startTestNode('kill_beta', {
        PARTNER_ID: 'beta-kill',
        FEDERATION_URL: federation.url,
        KEY_ENCRYPTION_SECRET: nodeSecret('beta'),
      }),
    ]);
    const admin = await joinNetwork(federation, { alpha, beta });
    ({ holderCustomer: alphaCustomer } = await consentingCustomer(
      { node: alpha, admin: admin.alpha! },
      { node: beta, admin: admin.beta! },
      'kill@example.org',
    ));
    await alpha.app.close();

    // NODE_ENV=development: test nodes add a random part to their queue prefix, and the three
    // processes of one node must share theirs.
    const env = (queueWorkers: boolean): Record<string, string> => ({
      NODE_ENV: 'development',
      DATABASE_URL: alpha.db.url,
      DATABASE_POOL_SIZE: '4',
      REDIS_URL: redis.url,
      REDIS_PREFIX: 'concordia-kill',
      PARTNER_ID: 'alpha-kill',
      FEDERATION_URL: federation.url,
      KEY_ENCRYPTION_SECRET: nodeSecret('alpha'),
      QUEUE_WORKERS: String(queueWorkers),
      SHARING_BATCH_SIZE: '200',
      SHARING_SWEEP_MS: '1000',
      SHARING_BACKOFF_MS: '200',
      LEDGER_CHECKPOINT_INTERVAL_SECONDS: '0',
      LOG_LEVEL: 'error',
    });
    processes.push(
      new NodeProcess('replica 1', alphaPort, env(false)),
      new NodeProcess('replica 2', await freePort(), { ...env(false), PGAPPNAME: 'replica-2' }),
      new NodeProcess('worker', await freePort(), env(true)),
    );
    await Promise.all(processes.map((p) => p.start()));
    alphaDb = new pg.Pool({ connectionString: alpha.db.url, max: 2 });
    // An idle session ended by the server (the forced drop at teardown) is an event, not a crash.
    alphaDb.on('error', () => undefined);
  }, 180_000);

  afterAll(async () => {
    for (const p of processes) await p.kill();
    await alphaDb?.end();
    await alpha?.db.drop();
    await beta?.close();
    await federation?.close();
    await redis?.kill();
  }, 60_000);

  it('10,000 orders, replica 2 killed mid-drain: 10,000 records at beta, once each', async () => {
    const started = Date.now();
    let killedAt = 0;
    let killedMidDrain = false;
    for (let t = 0; t < TOTAL / PER_TRANSACTION; t += 1) {
      if (t >= KILL_AFTER && !killedAt) {
        // Killed while its drain transaction is open (its listener woke at the last commit), as
        // soon as it is caught in one; the test fails if it never is.
        killedMidDrain = await catchReplica2InDrain();
        if (killedMidDrain || t === KILL_AFTER + 4) {
          await processes[1]!.kill();
          killedAt = Date.now();
        }
      }
      const numbers = Array.from({ length: PER_TRANSACTION }, (_, i) => `K-${t * PER_TRANSACTION + i}`);
      await alphaDb.query(
        `INSERT INTO customer_order (number, customer_id, status, channel, currency, subtotal, total)
         SELECT n, $2, 'paid', 'web', 'EUR', 1, 1 FROM unnest($1::text[]) AS n`,
        [numbers, alphaCustomer],
      );
    }
    await waitFor(
      'every record at beta and every delivery settled at alpha',
      async () =>
        (await count(
          atBeta,
          `SELECT count(*) AS n FROM shared_record WHERE origin_partner_id = 'alpha-kill'`,
        )) >= TOTAL &&
        (await count(atAlpha, `SELECT count(*) AS n FROM share_delivery WHERE status <> 'delivered'`)) ===
          0 &&
        (await count(atAlpha, `SELECT count(*) AS n FROM share_outbox WHERE processed_at IS NULL`)) === 0,
      150_000,
    );
    const finished = Date.now();

    const { received, duplicated, envelopes } = await expectOrdersDeliveredOnce(
      atAlpha,
      atBeta,
      'alpha-kill',
      TOTAL,
    );
    expect(killedMidDrain).toBe(true); // the fault really hit a drain in flight
    const seconds = (ms: number) => (ms / 1000).toFixed(1);
    process.stdout.write(
      `replica-kill (mid-drain): ${TOTAL} sent, ${received} received, ${duplicated} duplicated, ` +
        `${envelopes} envelopes; all delivered ${seconds(finished - killedAt)} s after the kill ` +
        `(${seconds(finished - started)} s run)\n`,
    );
  }, 200_000);
});
