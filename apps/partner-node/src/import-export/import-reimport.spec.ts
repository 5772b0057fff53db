import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '#platform/database/data-source-options';
import { createTestDatabase, type TestDatabase } from '#platform/testing/test-database';
import { PARTNER_NODE_MIGRATIONS } from '../database/migrations.js';
import { CustomerImportService } from './customer-import.service.js';
import { OrderImportService } from './order-import.service.js';

const source = (lines: string[]) => [Buffer.from(`${lines.join('\n')}\n`)];

const CUSTOMER_HEADER =
  'external_id,first_name,last_name,email,phone,address_city,address_country,lifecycle_stage,tags,attributes';
const CUSTOMERS = [
  'R1,Ada,Lovelace,ada@example.com,+44 20 7946 0001,London,GB,customer,vip|newsletter,"{""tier"":""gold""}"',
  'R2,Alan,Turing,alan@example.com,,Wilmslow,GB,,,',
  'R3,Grace,Hopper,,+1 202 555 0143,Arlington,US,prospect,navy,',
  'R4,Katherine,Johnson,kj@example.com,+1 202 555 0199,Hampton,US,lead,,',
];
const ORDER_HEADER =
  'order_external_id,customer_external_id,ordered_at,status,channel,currency,shipping,sku,product_name,product_category,quantity,unit_price';
const ORDERS = [
  'Q1,R1,2025-01-15T10:00:00Z,paid,web,EUR,4.90,SKU-1,Notebook,paper,3,2.50',
  'Q1,R1,2025-01-15T10:00:00Z,paid,web,EUR,4.90,SKU-2,Pen,pens,10,1.99',
  'Q2,R2,2025-02-01T09:00:00Z,delivered,store,EUR,,SKU-9,Tea,food,2,15',
  'Q3,R3,2025-02-11T09:00:00Z,delivered,web,EUR,,SKU-9,Tea,food,1,15',
  'Q3,R3,2025-02-11T09:00:00Z,delivered,web,EUR,,SKU-1,Notebook,paper,1,2.50',
];

/**
 * Re-importing a file: rows equal to what is stored are not written at all (not even locked: their
 * xmin and xmax stay as they were), so no updated_at moves and no trigger-kept sum gets a part; a
 * file with one changed line changes exactly that.
 */
describe('CSV re-import (real PostgreSQL)', () => {
  let database: TestDatabase;
  let db: DataSource;
  let customers: CustomerImportService;
  let orders: OrderImportService;

  /** Every row of the tables an import writes, with its version (xmin, xmax) and updated_at. */
  const snapshot = async () => ({
    customer: await db.query(
      `SELECT external_id, id, xmin::text, xmax::text, updated_at FROM customer ORDER BY external_id`,
    ),
    email: await db.query(
      `SELECT id, xmin::text, xmax::text, is_primary FROM customer_email ORDER BY customer_id, address`,
    ),
    phone: await db.query(
      `SELECT id, xmin::text, xmax::text, is_primary FROM customer_phone ORDER BY customer_id, number`,
    ),
    terms: await db.query(`SELECT term, xmin::text FROM customer_name_term ORDER BY term`),
    order: await db.query(
      `SELECT external_id, id, xmin::text, xmax::text, updated_at, total FROM customer_order ORDER BY external_id`,
    ),
    line: await db.query(
      `SELECT o.external_id, l.id, l.xmin::text, l.xmax::text FROM order_line l
         JOIN customer_order o ON o.id = l.order_id ORDER BY o.external_id, l.position`,
    ),
    // The sums are additive parts: a write adds rows; a no-change import must add none.
    sales: await db.query(`SELECT * FROM order_sales_month ORDER BY 1, 2, 3, 4, 5`),
    categorySales: await db.query(`SELECT * FROM order_category_sales_month ORDER BY 1, 2, 3, 4, 5, 6, 7`),
  });

  beforeAll(async () => {
    database = await createTestDatabase('import_reimport');
    db = new DataSource(
      dataSourceOptions({ url: database.url, embeddedDataDir: '' }, [], PARTNER_NODE_MIGRATIONS),
    );
    await db.initialize();
    await db.runMigrations({ transaction: 'each' });
    customers = new CustomerImportService(db);
    orders = new OrderImportService(db);
  }, 120_000);
  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });

  it('re-importing unchanged files writes nothing: no row touched, no updated_at moved, no sum changed', async () => {
    expect(await customers.import(source([CUSTOMER_HEADER, ...CUSTOMERS]))).toMatchObject({
      written: true,
      inserted: 4,
      details: { emails: 3, phones: 3 },
    });
    expect(await orders.import(source([ORDER_HEADER, ...ORDERS]))).toMatchObject({
      written: true,
      inserted: 3,
      details: { lines: 5 },
    });
    const before = await snapshot();
    // updated_at would move within the same millisecond otherwise unnoticed.
    await new Promise((resolve) => setTimeout(resolve, 5));

    expect(await customers.import(source([CUSTOMER_HEADER, ...CUSTOMERS]))).toMatchObject({
      written: true,
      rows: 4,
      inserted: 0,
      updated: 0,
      unchanged: 4,
      details: { emails: 0, phones: 0 },
    });
    expect(await orders.import(source([ORDER_HEADER, ...ORDERS]))).toMatchObject({
      written: true,
      rows: 5,
      inserted: 0,
      updated: 0,
      unchanged: 3,
      details: { lines: 0 },
    });
    expect(await snapshot()).toEqual(before);
  });

  it('still checks every line of an unchanged file: one bad line refuses it whole', async () => {
    const before = await snapshot();
    const report = await customers.import(
      source([CUSTOMER_HEADER, ...CUSTOMERS, 'R5,Bad,Email,nope,,,,,,', 'R1,Again,Twice,,,,,,,']),
    );
    expect(report).toMatchObject({
      written: false,
      badRows: 2,
      problems: [
        { line: 6, reason: 'email: is not a valid e-mail address' },
        { line: 7, reason: 'external_id: appears again in the file (first on line 2)' },
      ],
    });
    const refused = await orders.import(
      source([ORDER_HEADER, ...ORDERS, 'Q4,NOBODY,2025-02-11T09:00:00Z,paid,web,EUR,,SKU-9,Tea,food,1,15']),
    );
    expect(refused).toMatchObject({
      written: false,
      problems: [{ line: 7, reason: 'customer_external_id: no customer has this external id' }],
    });
    expect(await snapshot()).toEqual(before);
  });

  it('a re-import with one changed line applies exactly that change', async () => {
    const before = await snapshot();
    await new Promise((resolve) => setTimeout(resolve, 5));
    const customerFile = [...CUSTOMERS];
    customerFile[1] = 'R2,Alan,Turing,alan@example.com,,Manchester,GB,,,'; // new city
    expect(await customers.import(source([CUSTOMER_HEADER, ...customerFile]))).toMatchObject({
      written: true,
      inserted: 0,
      updated: 1,
      unchanged: 3,
      details: { emails: 0, phones: 0 },
    });
    const afterCustomers = await snapshot();
    const changedCustomer = (rows: unknown[]) =>
      (rows as { external_id: string }[]).filter((r) => r.external_id !== 'R2');
    expect(changedCustomer(afterCustomers.customer)).toEqual(changedCustomer(before.customer));
    const [r2Before, r2After] = [before, afterCustomers].map((s) =>
      (s.customer as { external_id: string; updated_at: Date }[]).find((r) => r.external_id === 'R2')!,
    );
    expect(r2After.updated_at.getTime()).toBeGreaterThan(r2Before.updated_at.getTime());
    expect(await db.query(`SELECT address_city FROM customer WHERE external_id = 'R2'`)).toEqual([
      { address_city: 'Manchester' },
    ]);
    // Nothing else was written: e-mails, phones, the name vocabulary, orders and sums as they were.
    expect({ ...afterCustomers, customer: [] }).toEqual({ ...before, customer: [] });

    // One order line's quantity: that order's lines are replaced and its total and sums follow;
    // the other orders are not touched.
    const orderFile = [...ORDERS];
    orderFile[3] = 'Q3,R3,2025-02-11T09:00:00Z,delivered,web,EUR,,SKU-9,Tea,food,3,15';
    expect(await orders.import(source([ORDER_HEADER, ...orderFile]))).toMatchObject({
      written: true,
      inserted: 0,
      updated: 1,
      unchanged: 2,
      details: { lines: 2 },
    });
    const after = await snapshot();
    const others = (rows: unknown[]) =>
      (rows as { external_id: string }[]).filter((r) => r.external_id !== 'Q3');
    expect(others(after.order)).toEqual(others(afterCustomers.order));
    expect(await db.query(`SELECT total FROM customer_order WHERE external_id = 'Q3'`)).toEqual([
      { total: '47.50' },
    ]);
    // The lines of the other orders are the same rows, untouched.
    expect(others(after.line)).toEqual(others(afterCustomers.line));
    expect(after.line).not.toEqual(afterCustomers.line);
    const sums = async () =>
      db.query(
        `SELECT month::text, status, sum(orders)::int AS orders, sum(revenue)::text AS revenue
           FROM order_sales_month GROUP BY 1, 2 HAVING sum(orders) <> 0 ORDER BY 1, 2`,
      );
    expect(await sums()).toEqual([
      { month: '2025-01-01', status: 'paid', orders: 1, revenue: '32.30' },
      { month: '2025-02-01', status: 'delivered', orders: 2, revenue: '77.50' },
    ]);
    const categories = await db.query(
      `SELECT category, sum(orders)::int AS orders, sum(quantity)::int AS quantity, sum(revenue)::text AS revenue
         FROM order_category_sales_month WHERE month = '2025-02-01' GROUP BY 1 ORDER BY 1`,
    );
    expect(categories).toEqual([
      { category: 'food', orders: 2, quantity: 5, revenue: '75.00' },
      { category: 'paper', orders: 1, quantity: 1, revenue: '2.50' },
    ]);
  });
});
