import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { startTestFederation, type TestFederation } from '../apps/federation/src/testing/test-federation.js';
import type { TestNode } from '../apps/partner-node/src/testing/test-node.js';
import {
  addCustomer,
  agree,
  consentingCustomer,
  joinNetwork,
  ok,
  startPartners,
  waitFor,
} from '../apps/partner-node/src/testing/network.js';
import { Role } from '../apps/partner-node/src/users/role.js';
import { expectOrdersDeliveredOnce } from './support/exactly-once.js';
import { freePort } from './support/own-redis.js';
import { OwnPostgres, ownPostgresUnavailable } from './support/own-postgres.js';

/** The nodes' settings for this test (validated with the rest of their configuration). */
const NODE_SETTINGS = {
  SHARING_SWEEP_MS: '1000',
  SHARING_BACKOFF_MS: '200',
  SHARING_BATCH_SIZE: '100',
  SEGMENT_MERGE_SYNC_MS: '1000',
};

/**
 * PostgreSQL itself failing: the federation and two partner nodes run on a PostgreSQL cluster of
 * this test's own (the machine's shared server is never touched), stopped in the middle of a share
 * run (a clean `fast` shutdown, then an `immediate` one: a crash, recovered from the WAL at start)
 * and started again; then once more in the middle of a segment merge. Nothing is restarted by hand: the nodes' pools, outbox listeners and queue
 * jobs reconnect by themselves, and every record committed before, during and after reaches the
 * recipient exactly once; the merge completes with the counts it has without a fault.
 */
const unavailable = await ownPostgresUnavailable();
// Skipped only without the server binaries, and then said so in the test's name and on stderr.
if (unavailable) process.stderr.write(`postgres-restart SKIPPED: ${unavailable}\n`);
const describeWithBinaries = unavailable ? describe.skip : describe;

describeWithBinaries(
  unavailable
    ? `SKIPPED (${unavailable}): a PostgreSQL restart`
    : 'a PostgreSQL restart delays the network, never loses or duplicates a record',
  () => {
    let postgres: OwnPostgres;
    let federation: TestFederation;
    let alpha: TestNode;
    let beta: TestNode;
    let alphaCustomer: string;
    let sent = 0;
    let admin: Record<string, string>;
    const previousAdminUrl = process.env.TEST_DATABASE_ADMIN_URL;

    const alphaDb = () => alpha.app.get(DataSource);
    const betaDb = () => beta.app.get(DataSource);
    const count = async (db: DataSource, sql: string): Promise<number> =>
      Number(((await db.query(sql)) as { n: string }[])[0]!.n);
    /** `n` orders in one transaction (numbers from `sent`); retried while the server is away. */
    const orders = async (n: number): Promise<void> => {
      const numbers = Array.from({ length: n }, (_, i) => `P-${sent + i}`);
      await waitFor(
        'the orders to commit',
        () =>
          alphaDb()
            .query(
              `INSERT INTO customer_order (number, customer_id, status, channel, currency, subtotal, total)
             SELECT n, $2, 'paid', 'web', 'EUR', 1, 1 FROM unnest($1::text[]) AS n
             ON CONFLICT DO NOTHING`,
              [numbers, alphaCustomer],
            )
            .then(
              () => true,
              () => false,
            ),
        60_000,
      );
      sent += n;
    };

    /** Waits until beta holds every order and alpha has nothing left to send; returns the counts. */
    const settled = async (): Promise<void> => {
      await waitFor(
        'every order at beta and every delivery settled at alpha',
        async () => {
          try {
            return (
              (await count(
                betaDb(),
                `SELECT count(*) AS n FROM shared_record WHERE origin_partner_id = 'alpha-pg'`,
              )) >= sent &&
              (await count(
                alphaDb(),
                `SELECT count(*) AS n FROM share_delivery WHERE status <> 'delivered'`,
              )) === 0 &&
              (await count(
                alphaDb(),
                `SELECT count(*) AS n FROM share_outbox WHERE processed_at IS NULL`,
              )) === 0
            );
          } catch {
            return false; // a pool still reconnecting
          }
        },
        90_000,
      );
    };

    beforeAll(async () => {
      postgres = new OwnPostgres(await freePort());
      await postgres.init();
      process.env.TEST_DATABASE_ADMIN_URL = postgres.adminUrl; // createTestDatabase: the own cluster
      federation = await startTestFederation('pgrestart_fed', { MERGE_MIN_COHORT_SIZE: '3' });
      ({ alpha, beta } = await startPartners(
        'pgrestart',
        federation.url,
        {
          alpha: 'alpha-pg',
          beta: 'beta-pg',
        },
        NODE_SETTINGS,
      ));
      admin = await joinNetwork(federation, { alpha, beta });
      ({ holderCustomer: alphaCustomer } = await consentingCustomer(
        { node: alpha, admin: admin.alpha! },
        { node: beta, admin: admin.beta! },
        'restart@example.org',
      ));
    }, 180_000);

    afterAll(async () => {
      await alpha?.app.close().catch(() => undefined);
      await beta?.app.close().catch(() => undefined);
      await federation?.app.close().catch(() => undefined);
      await postgres?.destroy(); // the databases go with the cluster
      if (previousAdminUrl === undefined) delete process.env.TEST_DATABASE_ADMIN_URL;
      else process.env.TEST_DATABASE_ADMIN_URL = previousAdminUrl;
    }, 60_000);

    for (const mode of ['fast', 'immediate'] as const) {
      it(`stopped (${mode}) mid-run and started again: every record delivered exactly once`, async () => {
        const before = sent;
        for (let t = 0; t < 5; t += 1) await orders(200);
        // Stopped as soon as the first of these orders reach beta, while the others are on their way
        // (the fault must hit a run in flight).
        const atBeta = await waitFor('the first envelope of the run at beta', async () => {
          const n = await count(
            betaDb(),
            `SELECT count(*) AS n FROM shared_record WHERE origin_partner_id = 'alpha-pg'`,
          );
          return n > before && n;
        });
        const stoppedAt = Date.now();
        await postgres.stop(mode);
        expect(atBeta).toBeLessThan(sent);
        await new Promise((resolve) => setTimeout(resolve, 2_000)); // down for 2 s
        await postgres.start();
        for (let t = 0; t < 5; t += 1) await orders(200);
        await settled();
        const recovered = Date.now();
        const { received, duplicated } = await expectOrdersDeliveredOnce(
          (sql) => alphaDb().query(sql),
          (sql) => betaDb().query(sql),
          'alpha-pg',
          sent,
        );
        process.stdout.write(
          `postgres-restart (${mode}, ${before + 1000 - atBeta} of 1000 in flight at the stop): ${sent} sent, ${received} received, ${duplicated} duplicated; ` +
            `all delivered ${((recovered - stoppedAt) / 1000).toFixed(1)} s after the stop (2 s down)\n`,
        );
      }, 150_000);
    }

    it('stopped (immediate) in the middle of a segment merge: it completes, counted once', async () => {
      const agreementId = await agree(
        { node: alpha, admin: admin.alpha! },
        { node: beta, admin: admin.beta! },
        {
          purposes: ['MARKETING'],
          categories: ['SEGMENT_MEMBERSHIP'],
          direction: 'MUTUAL',
          retentionDays: 30,
          minCohortSize: 3,
        },
      );
      // 40 people at each, 30 of them at both: |A ∩ B| = 30, |A \ B| = |B \ A| = 10, |A ∪ B| = 50.
      const people = {
        alpha: Array.from({ length: 40 }, (_, i) => `person${i}@merge.example`),
        beta: Array.from({ length: 40 }, (_, i) => `person${i + 10}@merge.example`),
      };
      const marketer: Record<string, string> = {};
      const segment: Record<string, string> = {};
      for (const [name, node] of [
        ['alpha', alpha],
        ['beta', beta],
      ] as const) {
        marketer[name] = await node.tokenFor(Role.MARKETER);
        const ids: string[] = [];
        for (const email of people[name]) ids.push(await addCustomer(node, email));
        segment[name] = ok(
          await node.gql<{ createSegment: { id: string } }>(
            `mutation($input: CreateSegmentInput!) { createSegment(input: $input) { id } }`,
            { input: { name: `${name} merge`, kind: 'STATIC' } },
            marketer[name],
          ),
        ).createSegment.id;
        ok(
          await node.gql(
            `mutation($input: SegmentListEditInput!) { addSegmentMembers(input: $input) { size } }`,
            { input: { segmentId: segment[name], customerIds: ids } },
            marketer[name],
          ),
        );
      }
      const mergeId = ok(
        await alpha.gql<{ proposeSegmentMerge: { id: string } }>(
          `mutation($input: ProposeSegmentMergeInput!) { proposeSegmentMerge(input: $input) { id } }`,
          { input: { agreementId, segmentId: segment.alpha } },
          marketer.alpha,
        ),
      ).proposeSegmentMerge.id;
      await waitFor('the proposal at beta', async () => {
        const incoming = ok(
          await beta.gql<{ segmentMerges: { nodes: { id: string }[] } }>(
            `{ segmentMerges(incoming: true) { nodes { id } } }`,
            {},
            marketer.beta,
          ),
        ).segmentMerges.nodes;
        return incoming.some((m) => m.id === mergeId);
      });
      ok(
        await beta.gql(
          `mutation($input: AcceptSegmentMergeInput!) { acceptSegmentMerge(input: $input) { state } }`,
          { input: { mergeId, segmentId: segment.beta } },
          marketer.beta,
        ),
      );
      // Crashed while the manifests are built and streamed by queue jobs.
      const stateAtStop = await count(
        federation.app.get(DataSource),
        `SELECT count(*) AS n FROM segment_merge WHERE result_jws IS NOT NULL`,
      );
      const stoppedAt = Date.now();
      await postgres.stop('immediate');
      expect(stateAtStop).toBe(0); // no result yet: the fault hit the merge in flight
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      await postgres.start();

      const MERGE = `query($id: ID!) { segmentMerge(id: $id) { state error resultJws
      counts { ours theirs both either onlyOurs onlyTheirs } } }`;
      type Merge = {
        state: string;
        error: string | null;
        resultJws: string | null;
        counts: Record<string, number | null> | null;
      };
      const done: Record<string, Merge> = {};
      for (const [name, node] of [
        ['alpha', alpha],
        ['beta', beta],
      ] as const) {
        done[name] = await waitFor(
          `${name}'s merge result after the restart`,
          async () => {
            const answer = await node.gql<{ segmentMerge: Merge }>(MERGE, { id: mergeId }, marketer[name]);
            const merge = answer.data?.segmentMerge;
            if (merge?.state === 'FAILED') throw new Error(merge.error ?? 'failed');
            return merge?.state === 'COMPLETED' && merge;
          },
          90_000,
        );
      }
      const recovered = Date.now();
      expect(done.alpha!.counts).toEqual({
        ours: 40,
        theirs: 40,
        both: 30,
        either: 50,
        onlyOurs: 10,
        onlyTheirs: 10,
      });
      expect(done.beta!.counts).toMatchObject({ ours: 40, theirs: 40, both: 30, either: 50 });
      expect(done.beta!.resultJws).toBe(done.alpha!.resultJws);
      expect(await count(federation.app.get(DataSource), `SELECT count(*) AS n FROM segment_merge`)).toBe(1);
      process.stdout.write(
        `postgres-restart (segment merge, 40 × 40 people): completed ` +
          `${((recovered - stoppedAt) / 1000).toFixed(1)} s after the stop (2 s down), counts exact\n`,
      );
    }, 150_000);
  },
);
