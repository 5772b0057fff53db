import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { CustomersService } from '../customers/customers.service.js';
import { OrderImportService } from '../import-export/order-import.service.js';
import { startTestNode, type TestNode } from '../testing/test-node.js';
import { Role } from '../users/role.js';
import { OrderSalesService } from './order-sales.service.js';

/**
 * The sales per month the orders module keeps (order_sales_month, order_category_sales_month,
 * kept by triggers) against a recomputation from the orders and lines, after each kind of write.
 */

const CREATE = `mutation($input: CreateOrderInput!) { createOrder(input: $input) { id } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateOrderInput!) { updateOrder(id: $id, input: $input) { id } }`;
const ERASE = `mutation($id: ID!, $reason: String!) { eraseCustomer(customerId: $id, reason: $reason) { id complete } }`;
const ORDER_HEADER =
  'order_external_id,customer_external_id,order_number,ordered_at,status,channel,currency,discount,shipping,tax,sku,product_name,product_category,quantity,unit_price';

const line = (category: string | null, quantity: number, unitPrice: string, sku = 'SKU-1') => ({
  sku,
  productName: 'Thing',
  productCategory: category,
  quantity,
  unitPrice,
});

/** The kept sums, one row per key (parts added up, keys that add up to nothing left out). */
const KEPT_MONTHS = `
  SELECT month::text, currency, status, sum(orders)::int AS orders, sum(revenue)::text AS revenue
    FROM order_sales_month GROUP BY 1, 2, 3 HAVING sum(orders) <> 0 OR sum(revenue) <> 0 ORDER BY 1, 2, 3`;
const RAW_MONTHS = `
  SELECT date_trunc('month', ordered_at AT TIME ZONE 'UTC')::date::text AS month, currency, status,
         count(*)::int AS orders, sum(total)::text AS revenue
    FROM customer_order GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`;
const KEPT_CATEGORIES = `
  SELECT month::text, currency, status, category, sum(orders)::int AS orders, sum(quantity)::int AS quantity,
         sum(revenue)::text AS revenue
    FROM order_category_sales_month GROUP BY 1, 2, 3, 4
   HAVING sum(orders) <> 0 OR sum(quantity) <> 0 OR sum(revenue) <> 0 ORDER BY 1, 2, 3, 4`;
const RAW_CATEGORIES = `
  SELECT date_trunc('month', o.ordered_at AT TIME ZONE 'UTC')::date::text AS month, o.currency, o.status,
         l.product_category AS category, count(DISTINCT o.id)::int AS orders, sum(l.quantity)::int AS quantity,
         sum(l.line_total)::text AS revenue
    FROM customer_order o JOIN order_line l ON l.order_id = o.id GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`;

describe('sales per month kept by the orders module (real PostgreSQL)', () => {
  let node: TestNode;
  let db: DataSource;
  let agent: string;
  let officer: string;
  const customerIds: string[] = [];

  beforeAll(async () => {
    node = await startTestNode('order_sales');
    db = node.app.get(DataSource);
    agent = await node.tokenFor(Role.AGENT);
    officer = await node.tokenFor(Role.COMPLIANCE);
    const customers = node.app.get(CustomersService);
    for (const [i, name] of ['Ada', 'Alan', 'Grace'].entries()) {
      customerIds.push(
        (await customers.create({ firstName: name, lastName: 'Test', externalId: `C${i + 1}` })).id,
      );
    }
  });
  afterAll(async () => node?.close());

  const expectExact = async () => {
    const rawMonths: unknown[] = await db.query(RAW_MONTHS);
    const rawCategories: unknown[] = await db.query(RAW_CATEGORIES);
    expect(rawCategories.length).toBeGreaterThan(0);
    expect(await db.query(KEPT_MONTHS)).toEqual(rawMonths);
    expect(await db.query(KEPT_CATEGORIES)).toEqual(rawCategories);
  };

  const create = async (input: Record<string, unknown>): Promise<string> => {
    const res = await node.gql<{ createOrder: { id: string } }>(
      CREATE,
      { input: { customerId: customerIds[0], channel: 'WEB', currency: 'EUR', ...input } },
      agent,
    );
    expect(res.errors).toBeUndefined();
    return res.data!.createOrder.id;
  };
  const update = async (id: string, input: Record<string, unknown>) => {
    const res = await node.gql(UPDATE, { id, input }, agent);
    expect(res.errors).toBeUndefined();
  };

  it('equals the orders and lines after creates, updates, cancellations, imports and an erasure', async () => {
    const a = await create({
      orderedAt: '2025-01-15T10:00:00Z',
      status: 'PAID',
      lines: [line('books', 2, '10.50'), line('books', 1, '3', 'SKU-2'), line(null, 1, '7', 'SKU-3')],
    });
    const b = await create({
      orderedAt: '2025-01-31T23:59:59Z',
      lines: [line('games', 1, '20'), line('books', 1, '5', 'SKU-2')],
      shipping: '4.90',
    });
    const c = await create({
      customerId: customerIds[1],
      orderedAt: '2025-02-01T00:00:00Z',
      currency: 'USD',
      status: 'PAID',
      lines: [line('tools', 3, '9.99')],
    });
    await expectExact();

    // Status changes, a cancellation, a move to another month, lines replaced while pending.
    await update(a, { status: 'SHIPPED' });
    await update(b, { lines: [line('games', 2, '20'), line('garden', 1, '15', 'SKU-4')], discount: '1' });
    await update(b, { orderedAt: '2025-03-02T08:00:00Z' });
    await update(b, { status: 'PAID' });
    await update(c, { status: 'CANCELLED' });
    await expectExact();

    // The CSV import: new orders, then the same orders again with other lines and statuses.
    const imports = node.app.get(OrderImportService);
    const file = (rows: string[]) => [Buffer.from(`${[ORDER_HEADER, ...rows].join('\n')}\n`)];
    const first = await imports.import(
      file([
        'O1,C2,,2025-02-10T10:00:00Z,paid,web,EUR,,,,SKU-1,Notebook,books,3,2.50',
        'O1,C2,,2025-02-10T10:00:00Z,paid,web,EUR,,,,SKU-2,Pen,,10,1.99',
        'O2,C3,,2025-03-05T10:00:00Z,delivered,store,EUR,,,,SKU-9,Rake,garden,1,30',
        'O3,C1,,2025-01-20T10:00:00Z,pending,web,EUR,,,,SKU-8,Chess,games,1,40',
      ]),
    );
    expect(first).toMatchObject({ written: true });
    await expectExact();
    const again = await imports.import(
      file([
        'O1,C2,,2025-02-10T10:00:00Z,shipped,web,EUR,,,,SKU-1,Notebook,books,4,2.50',
        'O2,C3,,2025-04-05T10:00:00Z,returned,store,EUR,,,,SKU-9,Rake,garden,1,30',
        'O2,C3,,2025-04-05T10:00:00Z,returned,store,EUR,,,,SKU-7,Hose,garden,2,12',
        'O3,C1,,2025-01-20T10:00:00Z,cancelled,web,EUR,,,,SKU-8,Chess,games,1,40',
      ]),
    );
    expect(again).toMatchObject({ written: true });
    await expectExact();

    // An erasure deletes the customer's orders (their lines by cascade).
    const erased = await node.gql(ERASE, { id: customerIds[1], reason: 'asked by the customer' }, officer);
    expect(erased.errors).toBeUndefined();
    expect(
      await db.query(`SELECT count(*)::int AS n FROM customer_order WHERE customer_id = $1`, [
        customerIds[1],
      ]),
    ).toEqual([{ n: 0 }]);
    await expectExact();

    // Lines written or deleted straight in SQL, several orders in one statement.
    await db.query(`DELETE FROM order_line WHERE product_category IS NULL`);
    await db.query(`UPDATE order_line SET product_category = 'paper' WHERE product_category = 'books'`);
    await expectExact();

    // Compacting leaves the same sums in one row per key.
    const sales = node.app.get(OrderSalesService);
    await sales.compact('month');
    await sales.compact('category');
    await expectExact();
    const [{ parts, keys }] = (await db.query(
      `SELECT count(*)::int AS parts, count(DISTINCT (month, currency, status, category))::int AS keys
         FROM order_category_sales_month`,
    )) as [{ parts: number; keys: number }];
    expect(parts).toBe(keys);
  });

  it('sums a period that does not start or end with a month as the lines do', async () => {
    const sales = node.app.get(OrderSalesService);
    const raw = (from: string | null, to: string | null) =>
      db.query(
        `SELECT l.product_category AS category, count(DISTINCT o.id)::int AS orders,
                sum(l.quantity)::int AS quantity, sum(l.line_total)::text AS revenue
           FROM customer_order o JOIN order_line l ON l.order_id = o.id
          WHERE o.status = ANY($1) AND o.currency = 'EUR'
            AND ($2::timestamptz IS NULL OR o.ordered_at >= $2) AND ($3::timestamptz IS NULL OR o.ordered_at < $3)
          GROUP BY 1 ORDER BY sum(l.line_total) DESC, 1`,
        [['paid', 'shipped', 'delivered'], from, to],
      );
    const periods: [string | null, string | null][] = [
      [null, null],
      ['2025-01-01T00:00:00Z', null],
      [null, '2025-03-01T00:00:00Z'],
      ['2025-01-16T00:00:00Z', '2025-03-03T00:00:00Z'],
      ['2025-01-10T00:00:00Z', '2025-01-20T00:00:00Z'],
      ['2025-02-01T00:00:00Z', '2025-03-02T09:00:00Z'],
    ];
    for (const [from, to] of periods) {
      const kept = await sales.byCategory(
        { statuses: ['paid', 'shipped', 'delivered'], currency: 'EUR' },
        from ? new Date(from) : null,
        to ? new Date(to) : null,
      );
      expect({ from, to, kept }).toEqual({ from, to, kept: await raw(from, to) });
    }
  });
});
