import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { canonicalize } from '#protocol';
import { LedgerService, parseLeaf } from '#ledger';
import { dataSourceOptions } from '#platform/database/data-source-options';
import { createTestDatabase, type TestDatabase } from '#platform/testing/test-database';
import { FEDERATION_MIGRATIONS } from '../../database/migrations.js';

const LEDGER_MIGRATIONS = ['CreateLedger1700000005000', 'CreateFederationLedger1710000000800'];

async function open(db: TestDatabase, migrations: (new () => unknown)[]): Promise<DataSource> {
  const ds = new DataSource(
    dataSourceOptions({ url: db.url, embeddedDataDir: 'memory://', poolSize: 2 }, [], migrations),
  );
  await ds.initialize();
  await ds.runMigrations();
  return ds;
}

/** A federation that ran before the ledger existed: its recorded events enter the ledger, in order. */
describe('CreateFederationLedger1710000000800 on an existing federation database (real PostgreSQL)', () => {
  let db: TestDatabase;
  let ds: DataSource | undefined;
  const events = [
    { type: 'membership.admitted', subject: 'alice-bank', at: 1_760_000_000 },
    { type: 'consent.registered', subject: 'consent-1', at: 1_760_000_100 },
    { type: 'agreement.proposed', subject: 'agreement-1', at: 1_760_000_200 },
  ];

  beforeAll(async () => {
    db = await createTestDatabase('fedledger_migration');
    const before = await open(
      db,
      FEDERATION_MIGRATIONS.filter((m) => !LEDGER_MIGRATIONS.includes(m.name)),
    );
    for (const e of events) {
      await before.query(
        `INSERT INTO federation_event (type, subject, canonical, occurred_at) VALUES ($1, $2, $3, to_timestamp($4))`,
        [e.type, e.subject, canonicalize({ ...e, n: 1 }), e.at],
      );
    }
    await before.destroy();
    ds = await open(db, FEDERATION_MIGRATIONS);
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it('queues the recorded events for the ledger, which sequences them in their order', async () => {
    const ledger = new LedgerService(ds!, { origin: 'concordia/test-net/ledger' });
    expect(await ledger.pendingCount()).toBe(events.length);
    expect(await ledger.sequencePending()).toBe(events.length);
    const entries = await ledger.entries(0, 10);
    expect(entries.map((e) => [e.seq, e.kind])).toEqual(events.map((e, i) => [i, e.type]));
    expect(entries.map((e) => parseLeaf(e.entry))).toEqual(
      events.map((e) => ({ at: new Date(e.at * 1000).toISOString(), kind: e.type, data: { ...e, n: 1 } })),
    );
  });

  it('accepts the new event types, and no others', async () => {
    const insert = (type: string) =>
      ds!.query(`INSERT INTO federation_event (type, subject, canonical) VALUES ($1, 'x', '{}')`, [type]);
    await expect(insert('envelope.relayed')).resolves.toBeDefined();
    await expect(insert('merge.result')).resolves.toBeDefined();
    await expect(insert('something.else')).rejects.toThrow(/federation_event_type_check/);
  });
});
