import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '#platform/database/data-source-options';
import { createTestDatabase, type TestDatabase } from '#platform/testing/test-database';
import { PARTNER_NODE_MIGRATIONS } from '../database/migrations.js';

/**
 * `share_sent_ref` (the refs the violations report reads) stays a copy of the delivered envelopes'
 * refs whoever writes them, with each record's owner: kept by the triggers of its migration
 * (real PostgreSQL, migrated schema).
 */
describe('share_sent_ref: the refs of delivered envelopes with their records’ owners', () => {
  let db: TestDatabase;
  let ds: DataSource;
  const customers: string[] = [];
  const record: Record<'interaction' | 'care_case' | 'order', string> = {
    interaction: '',
    care_case: '',
    order: '',
  };

  const one = async <T>(sql: string, params: unknown[] = []): Promise<T> =>
    ((await ds.query(sql, params)) as T[])[0]!;
  const refsOf = (envelopeId: string) =>
    ds.query(
      `SELECT kind, record_id, consent_id, category, recipient, agreement_id, sent_at, owner_customer_id
         FROM share_sent_ref CROSS JOIN LATERAL unnest(record_ids) AS record_id
        WHERE envelope_id = $1 ORDER BY kind, record_id`,
      [envelopeId],
    ) as Promise<Record<string, unknown>[]>;
  const refs = (...items: { kind: string; id: string; consentId?: string; category?: string }[]) =>
    JSON.stringify(
      items.map((item) => ({
        consentId: randomUUID(),
        subjectToken: 'A'.repeat(43),
        category: 'care-history',
        ...item,
      })),
    );
  const envelope = async (records: string, status = 'delivered'): Promise<string> => {
    const id = randomUUID();
    await ds.query(
      `INSERT INTO share_delivery (id, recipient, agreement_id, records, record_count, status, sealed_at, delivered_at)
       VALUES ($1, 'beta-bank', 'agr-1', $2, 1, $3, '2026-01-02T03:04:05Z', now())`,
      [id, records, status],
    );
    return id;
  };

  beforeAll(async () => {
    db = await createTestDatabase('sent_record_refs');
    ds = new DataSource(
      dataSourceOptions({ url: db.url, embeddedDataDir: 'unused', poolSize: 2 }, [], PARTNER_NODE_MIGRATIONS),
    );
    await ds.initialize();
    await ds.runMigrations({ transaction: 'each' });
    for (const name of ['Ada', 'Grace']) {
      customers.push(
        (
          await one<{ id: string }>(
            `INSERT INTO customer (first_name, last_name) VALUES ($1, 'L') RETURNING id`,
            [name],
          )
        ).id,
      );
    }
    const [ada] = customers;
    record.interaction = (
      await one<{ id: string }>(
        `INSERT INTO interaction (customer_id, channel, direction, subject) VALUES ($1, 'phone', 'inbound', 'Call') RETURNING id`,
        [ada],
      )
    ).id;
    record.care_case = (
      await one<{ id: string }>(
        `INSERT INTO care_case (customer_id, subject) VALUES ($1, 'Case') RETURNING id`,
        [ada],
      )
    ).id;
    record.order = (
      await one<{ id: string }>(
        `INSERT INTO customer_order (number, customer_id, ordered_at, status, channel, currency, subtotal, total)
         VALUES ('A-1', $1, now(), 'paid', 'web', 'EUR', 1, 1) RETURNING id`,
        [ada],
      )
    ).id;
  });

  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it('a delivered envelope’s refs, each with its record’s owner (none for a record that does not exist)', async () => {
    const consentId = randomUUID();
    const missing = randomUUID();
    const id = await envelope(
      refs(
        { kind: 'interaction', id: record.interaction, consentId },
        { kind: 'care_case', id: record.care_case, consentId },
        { kind: 'order', id: record.order, consentId, category: 'orders' },
        { kind: 'interaction', id: missing, consentId },
      ),
    );
    const rows = await refsOf(id);
    expect(rows).toHaveLength(4);
    const ownerOf = (recordId: string) => rows.find((r) => r.record_id === recordId)!.owner_customer_id;
    expect(ownerOf(record.interaction)).toBe(customers[0]);
    expect(ownerOf(record.care_case)).toBe(customers[0]);
    expect(ownerOf(record.order)).toBe(customers[0]);
    expect(ownerOf(missing)).toBeNull();
    expect(rows.find((r) => r.kind === 'order')).toMatchObject({
      consent_id: consentId,
      category: 'orders',
      recipient: 'beta-bank',
      agreement_id: 'agr-1',
      sent_at: new Date('2026-01-02T03:04:05Z'),
    });
  });

  it('follows the envelope: none while pending, written when delivered, rewritten with its records, gone when it is', async () => {
    const id = await envelope(refs({ kind: 'interaction', id: record.interaction }), 'pending');
    expect(await refsOf(id)).toEqual([]);
    await ds.query(`UPDATE share_delivery SET attempts = 1, last_error = 'timeout' WHERE id = $1`, [id]);
    expect(await refsOf(id)).toEqual([]);
    await ds.query(`UPDATE share_delivery SET status = 'delivered' WHERE id = $1`, [id]);
    expect((await refsOf(id)).map((r) => r.record_id)).toEqual([record.interaction]);
    await ds.query(`UPDATE share_delivery SET last_error = NULL WHERE id = $1`, [id]);
    expect(await refsOf(id)).toHaveLength(1);
    await ds.query(`UPDATE share_delivery SET records = $2, record_count = 2 WHERE id = $1`, [
      id,
      refs({ kind: 'care_case', id: record.care_case }, { kind: 'order', id: record.order }),
    ]);
    expect((await refsOf(id)).map((r) => r.kind)).toEqual(['care_case', 'order']);
    await ds.query(`UPDATE share_delivery SET status = 'refused' WHERE id = $1`, [id]);
    expect(await refsOf(id)).toEqual([]);
    await ds.query(`UPDATE share_delivery SET status = 'delivered' WHERE id = $1`, [id]);
    await ds.query(`DELETE FROM share_delivery WHERE id = $1`, [id]);
    expect(await refsOf(id)).toEqual([]);
  });

  it('a record that changes customer takes its refs along; a deleted one leaves them its last owner', async () => {
    const [ada, grace] = customers;
    const interaction = (
      await one<{ id: string }>(
        `INSERT INTO interaction (customer_id, channel, direction, subject) VALUES ($1, 'phone', 'inbound', 'Moved') RETURNING id`,
        [ada],
      )
    ).id;
    const first = await envelope(refs({ kind: 'interaction', id: interaction }));
    const second = await envelope(
      refs({ kind: 'interaction', id: interaction }, { kind: 'order', id: record.order }),
    );
    await ds.query(`UPDATE interaction SET customer_id = $2 WHERE id = $1`, [interaction, grace]);
    for (const id of [first, second]) {
      expect((await refsOf(id)).find((r) => r.kind === 'interaction')!.owner_customer_id).toBe(grace);
    }
    expect((await refsOf(second)).find((r) => r.kind === 'order')!.owner_customer_id).toBe(ada);
    await ds.query(`DELETE FROM interaction WHERE id = $1`, [interaction]);
    expect((await refsOf(first))[0]!.owner_customer_id).toBe(grace);
  });

  it('one row per group of refs the checks see alike; a record that changes customer leaves its group', async () => {
    const [ada, grace] = customers;
    const call = async () =>
      (
        await one<{ id: string }>(
          `INSERT INTO interaction (customer_id, channel, direction, subject) VALUES ($1, 'phone', 'inbound', 'Call') RETURNING id`,
          [ada],
        )
      ).id;
    const [first, second] = [await call(), await call()];
    const consentId = randomUUID();
    const id = await envelope(
      refs({ kind: 'interaction', id: first, consentId }, { kind: 'interaction', id: second, consentId }),
    );
    const groups = () =>
      ds.query(
        `SELECT owner_customer_id AS owner, record_ids AS ids FROM share_sent_ref WHERE envelope_id = $1 ORDER BY owner_customer_id = $2 DESC`,
        [id, ada],
      ) as Promise<{ owner: string; ids: string[] }[]>;
    expect(await groups()).toEqual([{ owner: ada, ids: [first, second].sort() }]);
    await ds.query(`UPDATE interaction SET customer_id = $2 WHERE id = $1`, [second, grace]);
    expect(await groups()).toEqual([
      { owner: ada, ids: [first] },
      { owner: grace, ids: [second] },
    ]);
    await ds.query(`UPDATE interaction SET customer_id = $2 WHERE id = $1`, [second, ada]);
    expect((await refsOf(id)).map((r) => r.owner_customer_id)).toEqual([ada, ada]);
  });

  it('a statement of several envelopes (planned for its rows) keeps their refs alike', async () => {
    const ids = [randomUUID(), randomUUID(), randomUUID()];
    await ds.query(
      `INSERT INTO share_delivery (id, recipient, agreement_id, records, record_count, status)
       SELECT id, 'beta-bank', 'agr-2', $2, 1, 'pending' FROM unnest($1::uuid[]) AS id`,
      [ids, refs({ kind: 'interaction', id: record.interaction }, { kind: 'order', id: record.order })],
    );
    await ds.query(`UPDATE share_delivery SET status = 'delivered' WHERE id = ANY ($1)`, [ids.slice(0, 2)]);
    const owners = async (id: string) => (await refsOf(id)).map((r) => r.owner_customer_id);
    expect(await owners(ids[0]!)).toEqual([customers[0], customers[0]]);
    expect(await owners(ids[1]!)).toEqual([customers[0], customers[0]]);
    expect(await owners(ids[2]!)).toEqual([]);
    await ds.query(`DELETE FROM share_delivery WHERE id = ANY ($1)`, [ids]);
    for (const id of ids) expect(await refsOf(id)).toEqual([]);
  });

  it('refuses an envelope whose ref names a record or consent by something that is not a uuid', async () => {
    await expect(envelope(refs({ kind: 'interaction', id: 'not-a-uuid' }))).rejects.toThrow(/not-a-uuid/);
    await expect(
      envelope(refs({ kind: 'interaction', id: record.interaction, consentId: 'consent-7' })),
    ).rejects.toThrow(/consent-7/);
  });
});
