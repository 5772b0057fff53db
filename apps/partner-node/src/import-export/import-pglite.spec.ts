import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '#platform/database/data-source-options';
import { PARTNER_NODE_MIGRATIONS } from '../database/migrations.js';
import { CustomerImportService } from './customer-import.service.js';
import { OrderImportService } from './order-import.service.js';
import { isEmbedded } from './staging.js';

const source = (lines: string[]) => [Buffer.from(`${lines.join('\n')}\n`)];

/** The embedded database (PGlite) has no COPY FROM STDIN: the import stages with batched INSERTs. */
describe('CSV import on the embedded PGlite database', () => {
  let db: DataSource;
  const count = async (table: string) =>
    ((await db.query(`SELECT count(*)::int AS n FROM ${table}`)) as { n: number }[])[0].n;

  beforeAll(async () => {
    db = new DataSource(
      dataSourceOptions({ embeddedDataDir: 'memory://import-pglite' }, [], PARTNER_NODE_MIGRATIONS),
    );
    await db.initialize();
    await db.runMigrations({ transaction: 'each' });
  }, 120_000);
  afterAll(async () => db?.destroy());

  it('stages with INSERTs, refuses bad files whole, and merges idempotently', async () => {
    expect(isEmbedded(db)).toBe(true);
    const customers = new CustomerImportService(db);
    const header = 'external_id,first_name,last_name,email,phone,tags';
    const rows = [
      'E1,Ada,Lovelace,ada@example.com,+44 20 7946 0001,vip',
      'E2,Alan,Turing,alan@example.com,,',
      'E3,Grace,Hopper,,+1 202 555 0143,navy|code',
    ];
    const bad = await customers.import(source([header, ...rows, 'E4,Bad,Row,nope,,']));
    expect(bad).toMatchObject({
      written: false,
      problems: [{ line: 5, reason: 'email: is not a valid e-mail address' }],
    });
    expect(await count('customer')).toBe(0);

    const first = await customers.import(source([header, ...rows]));
    expect(first).toMatchObject({ written: true, inserted: 3, details: { emails: 2, phones: 2 } });
    const again = await customers.import(source([header, ...rows]));
    expect(again).toMatchObject({ written: true, inserted: 0, updated: 0, unchanged: 3 });

    const orders = new OrderImportService(db);
    const orderFile = [
      'order_external_id,customer_external_id,ordered_at,channel,currency,sku,product_name,quantity,unit_price',
      'P1,E1,2025-01-01T10:00:00Z,web,EUR,SKU-1,Notebook,2,3.50',
      'P1,E1,2025-01-01T10:00:00Z,web,EUR,SKU-2,Pen,1,1.25',
    ];
    expect(await orders.import(source(orderFile))).toMatchObject({
      written: true,
      inserted: 1,
      details: { lines: 2 },
    });
    expect(await orders.import(source(orderFile))).toMatchObject({ inserted: 0, updated: 0, unchanged: 1 });
    const [order] = (await db.query(`SELECT subtotal, total FROM customer_order`)) as unknown[];
    expect(order).toEqual({ subtotal: '8.25', total: '8.25' });
  }, 60_000);
});
