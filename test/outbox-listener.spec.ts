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

// The sweep runs once an hour here: whatever arrives within the test's bounds came by NOTIFY.
const NODE_SETTINGS = {
  SHARING_SWEEP_MS: '3600000',
  SHARING_BACKOFF_MS: '200',
};

/**
 * Push without waiting for the sweep: a committed outbox row is announced by NOTIFY at commit,
 * and the holder's listener drains the outbox at once (idempotent by envelope id; the sweep stays
 * the safety net). Rows committed while the listener was not connected are drained when it
 * connects again; a rolled-back change announces nothing and sends nothing.
 */
describe('outbox listener: NOTIFY at commit drains the outbox at once', () => {
  let federation: TestFederation;
  let alpha: TestNode;
  let beta: TestNode;
  let alphaCustomer: string;

  const sharedAtBeta = async (): Promise<string[]> =>
    (
      (await beta.app
        .get(DataSource)
        .query(
          `SELECT title FROM shared_record WHERE origin_partner_id = 'alpha-listen' ORDER BY title`,
        )) as {
        title: string;
      }[]
    ).map((r) => r.title);
  const interaction = (m: { query: DataSource['query'] }, subject: string) =>
    m.query(
      `INSERT INTO interaction (customer_id, channel, direction, subject) VALUES ($1, 'email', 'inbound', $2)`,
      [alphaCustomer, subject],
    );

  beforeAll(async () => {
    federation = await startTestFederation('listen_fed');
    ({ alpha, beta } = await startPartners(
      'listen',
      federation.url,
      {
        alpha: 'alpha-listen',
        beta: 'beta-listen',
      },
      NODE_SETTINGS,
    ));
    const admin = await joinNetwork(federation, { alpha, beta });
    ({ holderCustomer: alphaCustomer } = await consentingCustomer(
      { node: alpha, admin: admin.alpha! },
      { node: beta, admin: admin.beta! },
      'listen@example.org',
    ));
  }, 120_000);

  afterAll(async () => {
    await alpha?.close();
    await beta?.close();
    await federation?.close();
  });

  it('a committed record reaches beta with no sweep; a rolled-back one never does', async () => {
    const db = alpha.app.get(DataSource);
    await db
      .transaction(async (m) => {
        await interaction(m, 'Rolled back');
        throw new Error('rollback');
      })
      .catch(() => undefined);
    await interaction(db, 'Committed');
    await waitFor('the committed record at beta', async () => (await sharedAtBeta()).includes('Committed'));
    expect(await sharedAtBeta()).toEqual(['Committed']);
  });

  it('rows committed while the listener is stopped are drained when it listens again', async () => {
    const listener = alpha.app.get(OutboxListener);
    await listener.stop();
    expect(listener.listening).toBe(false);
    await interaction(alpha.app.get(DataSource), 'While deaf');
    const [pending]: { n: string }[] = await alpha.app
      .get(DataSource)
      .query(`SELECT count(*) AS n FROM share_outbox WHERE processed_at IS NULL`);
    expect(Number(pending!.n)).toBe(1); // nobody drained it: no listener, no sweep for an hour
    await listener.start();
    await waitFor('the record committed while not listening', async () =>
      (await sharedAtBeta()).includes('While deaf'),
    );
    expect(await sharedAtBeta()).toEqual(['Committed', 'While deaf']);
  });
});
