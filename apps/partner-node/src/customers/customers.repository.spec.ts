import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '#platform/database/data-source-options';
import { PARTNER_NODE_MIGRATIONS } from '../database/migrations.js';
import { Customer } from './customer.entity.js';
import { CustomersRepository } from './customers.repository.js';

/**
 * The committed statements on the embedded PGlite database, whose pool takes pg's named query
 * configs but prepares nothing (PostgreSQL itself is covered by customers.spec.ts).
 */
describe('CustomersRepository on the embedded PGlite database', () => {
  let db: DataSource;
  let reads: CustomersRepository;
  let ada: string;
  let gone: string;

  beforeAll(async () => {
    db = new DataSource(
      dataSourceOptions({ embeddedDataDir: 'memory://customers-repository' }, [], PARTNER_NODE_MIGRATIONS),
    );
    await db.initialize();
    await db.runMigrations({ transaction: 'each' });
    reads = new CustomersRepository(db);
    [{ id: ada }] = (await db.query(
      `INSERT INTO customer (first_name, last_name, address_city, tags, attributes)
       VALUES ('Ada', 'Lovelace', 'London', '{vip}', '{"score": 3}') RETURNING id`,
    )) as { id: string }[];
    [{ id: gone }] = (await db.query(
      `INSERT INTO customer (first_name, last_name, deleted_at) VALUES ('Gone', 'Away', now()) RETURNING id`,
    )) as { id: string }[];
    await db.query(
      `INSERT INTO customer_email (customer_id, address, is_primary)
       VALUES ($1, 'b@example.test', false), ($1, 'a@example.test', true)`,
      [ada],
    );
    await db.query(
      `INSERT INTO customer_phone (customer_id, number, is_primary) VALUES ($1, '+33123456789', true)`,
      [ada],
    );
  }, 120_000);
  afterAll(async () => db?.destroy());

  it('reads a live customer with its typed columns, and not a deleted one', async () => {
    const found = await reads.liveById(ada);
    expect(found).toBeInstanceOf(Customer);
    expect(found).toMatchObject({
      id: ada,
      firstName: 'Ada',
      lastName: 'Lovelace',
      address: { city: 'London', country: null },
      lifecycleStage: 'lead',
      tags: ['vip'],
      attributes: { score: 3 },
      deletedAt: null,
    });
    // A Date made by the database's worker thread is of Node's realm, not of Jest's sandbox: its tag, not instanceof.
    expect(Object.prototype.toString.call(found!.createdAt)).toBe('[object Date]');
    expect(Number.isNaN(found!.createdAt.getTime())).toBe(false);
    expect(await reads.liveById(gone)).toBeUndefined();
  });

  it('reads several by id, deleted ones only when asked, and contact points primary first', async () => {
    expect((await reads.byIds([ada, gone], false)).map((c) => c.id)).toEqual([ada]);
    expect((await reads.byIds([ada, gone], true)).map((c) => c.id).sort()).toEqual([ada, gone].sort());
    expect((await reads.emailsOf([ada, gone])).map((e) => [e.address, e.isPrimary])).toEqual([
      ['a@example.test', true],
      ['b@example.test', false],
    ]);
    expect(await reads.phonesOf([ada])).toMatchObject([{ customerId: ada, number: '+33123456789' }]);
  });
});
