import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource, type QueryRunner } from 'typeorm';
import { dataSourceOptions } from '#platform/database/data-source-options';
import { createTestDatabase, type TestDatabase } from '#platform/testing/test-database';
import { PARTNER_NODE_MIGRATIONS } from '../database/migrations.js';
import { SHARING_DISCLOSURE_QUERIES } from './sharing-disclosure.queries.js';

/**
 * The envelopes of one consent are read with a serial plan however large `share_delivery` grows
 * (migration 1700000010210): the planner guesses a jsonb containment's rows, and from about 500,000
 * envelopes that guess chose parallel workers that cost more to start than the answer. Here the
 * session makes parallel plans free, so the planner takes one wherever a table allows it; the
 * check that it does on another table keeps this test able to fail.
 */
describe('the disclosure reads of share_delivery and share_purge: serial plans at any size', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let session: QueryRunner;
  const consentId = '11111111-1111-4111-8111-111111111111';

  const plan = async (sql: string, params: unknown[] = []): Promise<string> =>
    ((await session.query(`EXPLAIN ${sql}`, params)) as { 'QUERY PLAN': string }[])
      .map((row) => row['QUERY PLAN'])
      .join('\n');

  beforeAll(async () => {
    db = await createTestDatabase('disclosure_plans');
    ds = new DataSource(
      dataSourceOptions({ url: db.url, embeddedDataDir: 'unused', poolSize: 2 }, [], PARTNER_NODE_MIGRATIONS),
    );
    await ds.initialize();
    await ds.runMigrations();
    session = ds.createQueryRunner();
    await session.connect();
    for (const setting of [
      'parallel_setup_cost = 0',
      'parallel_tuple_cost = 0',
      'min_parallel_table_scan_size = 0',
      'min_parallel_index_scan_size = 0',
    ]) {
      await session.query(`SET ${setting}`);
    }
  }, 60_000);

  afterAll(async () => {
    await session?.release();
    await ds?.destroy();
    await db?.drop();
  });

  it('takes a parallel plan where a table allows it (the session is set up to)', async () => {
    expect(await plan(`SELECT count(*) FROM shared_record WHERE kind = 'order'`)).toMatch(/Gather/);
  });

  it('reads the envelopes and purges of a consent without parallel workers', async () => {
    const { deliveriesOfConsent, purgesOf } = SHARING_DISCLOSURE_QUERIES.statements;
    const deliveries = await plan(deliveriesOfConsent, [
      JSON.stringify([{ consentId }]),
      consentId,
      consentId,
    ]);
    expect(deliveries).toMatch(/share_delivery/);
    expect(deliveries).not.toMatch(/Gather|Parallel/);
    const purges = await plan(purgesOf, [[consentId]]);
    expect(purges).toMatch(/share_purge/);
    expect(purges).not.toMatch(/Gather|Parallel/);
  });
});
