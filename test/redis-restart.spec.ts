import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { startTestFederation, type TestFederation } from '../apps/federation/src/testing/test-federation.js';
import { OutboxListener } from '../apps/partner-node/src/sharing/outbox-listener.js';
import type { TestNode } from '../apps/partner-node/src/testing/test-node.js';
import {
  consentingCustomer,
  joinNetwork,
  startPartners,
  waitFor,
} from '../apps/partner-node/src/testing/network.js';
import { freePort, OwnRedis } from './support/own-redis.js';

/** The nodes' settings for this test (validated with the rest of their configuration). */
const NODE_SETTINGS = {
  SHARING_SWEEP_MS: '1000',
  SHARING_BACKOFF_MS: '200',
  SHARING_DELIVERY_ATTEMPTS: '15',
  SHARING_BATCH_SIZE: '7',
};

/**
 * Invariant 7 with Redis itself failing: the partner nodes' queue runs on a redis-server of this
 * test's own, killed with -9 while deliveries are in flight and restarted empty (no persistence:
 * every job, retry and schedule in it is gone). The outbox and the deliveries in PostgreSQL are
 * the source of truth: after the restart every record pushed before and during the outage reaches
 * beta exactly once.
 */
describe('a Redis restart delays push delivery, never loses or duplicates a record', () => {
  let redis: OwnRedis;
  let federation: TestFederation;
  let alpha: TestNode;
  let beta: TestNode;
  let alphaCustomer: string;

  const alphaDb = () => alpha.app.get(DataSource);
  const betaDb = () => beta.app.get(DataSource);
  const sharedAtBeta = async (): Promise<{ n: number; distinct: number }> => {
    const [row]: { n: string; distinct: string }[] = await betaDb().query(
      `SELECT count(*) AS n, count(DISTINCT origin_record_id) AS distinct FROM shared_record
        WHERE origin_partner_id = 'alpha-redis'`,
    );
    return { n: Number(row!.n), distinct: Number(row!.distinct) };
  };
  const order = (m: DataSource | { query: DataSource['query'] }, number: string, total: number) =>
    m.query(
      `INSERT INTO customer_order (number, customer_id, status, channel, currency, subtotal, total)
       VALUES ($1, $2, 'paid', 'web', 'EUR', $3, $3)`,
      [number, alphaCustomer, total],
    );

  beforeAll(async () => {
    redis = new OwnRedis(await freePort());
    await redis.start();
    federation = await startTestFederation('redis_fed');
    ({ alpha, beta } = await startPartners(
      'redis',
      federation.url,
      { alpha: 'alpha-redis', beta: 'beta-redis' },
      { ...NODE_SETTINGS, REDIS_URL: redis.url },
    ));
    const admin = await joinNetwork(federation, { alpha, beta });
    ({ holderCustomer: alphaCustomer } = await consentingCustomer(
      { node: alpha, admin: admin.alpha! },
      { node: beta, admin: admin.beta! },
      'ada@example.org',
    ));
  }, 120_000);

  afterAll(async () => {
    await alpha?.close();
    await beta?.close();
    await federation?.close();
    await redis?.kill();
  }, 60_000);

  it('pushes promptly while Redis is up', async () => {
    expect(alpha.app.get(OutboxListener).listening).toBe(true);
    await order(alphaDb(), 'R-0000', 1);
    await waitFor('the first order at beta', async () => (await sharedAtBeta()).n === 1);
  });

  it('Redis killed mid-delivery and restarted empty: every record delivered exactly once', async () => {
    // 20 orders in one transaction (three envelopes of ≤ 7), Redis killed as they are enqueued.
    await alphaDb().transaction(async (m) => {
      for (let i = 1; i <= 20; i += 1) await order(m, `R-${String(i).padStart(4, '0')}`, i);
    });
    await redis.kill();
    // 10 more, one transaction each, while Redis is down: they reach the outbox and become
    // deliveries in PostgreSQL; nothing can be enqueued.
    for (let i = 21; i <= 30; i += 1) await order(alphaDb(), `R-${String(i).padStart(4, '0')}`, i);
    await waitFor(
      'the outbox drained into deliveries while Redis is down',
      async () => {
        const [row]: { n: string }[] = await alphaDb().query(
          `SELECT count(*) AS n FROM share_outbox WHERE processed_at IS NULL`,
        );
        return Number(row!.n) === 0;
      },
      60_000,
    );
    const during = await sharedAtBeta();
    expect(during.n).toBeLessThan(31); // the records pushed during the outage are not there yet
    const [pending]: { n: string }[] = await alphaDb().query(
      `SELECT count(*) AS n FROM share_delivery WHERE status = 'pending'`,
    );
    expect(Number(pending!.n)).toBeGreaterThan(0);

    await redis.start(); // empty: no jobs, no retries, no schedules
    await waitFor('all 31 records at beta', async () => (await sharedAtBeta()).n >= 31, 90_000);
    await waitFor(
      'every delivery marked delivered at alpha',
      async () => {
        const [row]: { n: string }[] = await alphaDb().query(
          `SELECT count(*) AS n FROM share_delivery WHERE status <> 'delivered'`,
        );
        return Number(row!.n) === 0;
      },
      30_000,
    );
    // Exactly once: one copy per origin record, and one stored envelope per delivery.
    expect(await sharedAtBeta()).toEqual({ n: 31, distinct: 31 });
    const delivered: { id: string; record_count: number }[] = await alphaDb().query(
      `SELECT id, record_count FROM share_delivery WHERE status = 'delivered'`,
    );
    expect(delivered.reduce((sum, d) => sum + d.record_count, 0)).toBe(31);
    const received: { jti: string }[] = await betaDb().query(
      `SELECT jti FROM received_envelope WHERE issuer = 'alpha-redis' AND kind = 'share'`,
    );
    expect(received.map((r) => r.jti).sort()).toEqual(delivered.map((d) => d.id).sort());
  }, 180_000);
});
