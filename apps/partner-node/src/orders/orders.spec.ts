import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { countRows, expectBadInput, expectCode, makeCustomer } from '../interactions/crm-testing.js';
import { startTestNode, type TestNode } from '../testing/test-node.js';
import { Role } from '../users/role.js';

interface OrderData {
  id: string;
  number: string;
  externalId: string | null;
  status: string;
  currency: string;
  subtotal: { amount: string; currency: string };
  discount: { amount: string };
  total: { amount: string; currency: string };
  lines: { position: number; sku: string; quantity: number; unitPrice: string; lineTotal: string }[];
  customer: { id: string };
}

const FIELDS = `id number externalId status currency subtotal { amount currency } discount { amount }
  total { amount currency } lines { position sku quantity unitPrice lineTotal } customer { id }`;
const CREATE = `mutation($input: CreateOrderInput!) { createOrder(input: $input) { ${FIELDS} } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateOrderInput!) { updateOrder(id: $id, input: $input) { ${FIELDS} } }`;
const LIST = `query($filter: OrderFilter, $sort: OrderSort, $first: Int, $after: String) {
  orders(filter: $filter, sort: $sort, first: $first, after: $after) {
    nodes { id orderedAt total { amount } } pageInfo { hasNextPage endCursor }
  }
}`;

const line = (quantity: number, unitPrice: string, sku = 'SKU-1') => ({
  sku,
  productName: 'Kettle',
  productCategory: 'kitchen',
  quantity,
  unitPrice,
});

describe('orders (real PostgreSQL)', () => {
  let node: TestNode;
  let agent: string;
  let customerId: string;

  beforeAll(async () => {
    node = await startTestNode('orders');
    agent = await node.tokenFor(Role.AGENT);
    customerId = await makeCustomer(node);
  });
  afterAll(async () => node?.close());

  const create = (input: Record<string, unknown>, token = agent) =>
    node.gql<{ createOrder: OrderData }>(
      CREATE,
      { input: { customerId, channel: 'WEB', currency: 'EUR', lines: [line(1, '10')], ...input } },
      token,
    );

  it('computes exact totals on the server: 3 × 19.99 = 59.97', async () => {
    const res = await create({
      lines: [line(3, '19.99'), line(1, '0.1', 'SKU-2'), line(1, '0.2', 'SKU-3')],
      discount: '0.27',
      shipping: '4.9',
    });
    expect(res.errors).toBeUndefined();
    const order = res.data!.createOrder;
    expect(order.lines.map((l) => l.lineTotal)).toEqual(['59.97', '0.10', '0.20']);
    expect(order.lines.map((l) => l.unitPrice)).toEqual(['19.99', '0.10', '0.20']);
    expect(order.subtotal).toEqual({ amount: '60.27', currency: 'EUR' });
    expect(order.discount.amount).toBe('0.27');
    expect(order.total).toEqual({ amount: '64.90', currency: 'EUR' });
    expect(order.number).toMatch(/^ORD-\d{8}$/);
    expect(order.status).toBe('PENDING');
    expect(order.customer.id).toBe(customerId);
  });

  it('keeps numbers and external ids unique', async () => {
    expect((await create({ number: 'A-1', externalId: 'shop-1' })).errors).toBeUndefined();
    const dupNumber = await create({ number: 'A-1' });
    expect(dupNumber.errors![0].extensions).toMatchObject({ code: 'CONFLICT', field: 'number' });
    const dupExternal = await create({ externalId: 'shop-1' });
    expect(dupExternal.errors![0].extensions).toMatchObject({ code: 'CONFLICT', field: 'externalId' });
    // Orders without an external id do not collide.
    expect((await create({})).errors).toBeUndefined();
    expect((await create({})).errors).toBeUndefined();
  });

  it('refuses bad quantities, prices and currencies naming the field, and writes nothing', async () => {
    const orders = await countRows(node, 'customer_order');
    const lines = await countRows(node, 'order_line');
    const three = (bad: Record<string, unknown>) => [line(1, '1'), line(2, '2'), { ...line(3, '3'), ...bad }];
    expectBadInput(await create({ lines: three({ quantity: -1 }) }), 'lines[2].quantity');
    expectBadInput(await create({ lines: three({ quantity: 0 }) }), 'lines[2].quantity');
    expectCode(await create({ lines: three({ quantity: 1.5 }) }), 'BAD_USER_INPUT');
    expectBadInput(await create({ lines: three({ unitPrice: '-1.00' }) }), 'lines[2].unitPrice');
    expectBadInput(await create({ lines: three({ unitPrice: '1.999' }) }), 'lines[2].unitPrice');
    expectBadInput(await create({ lines: three({ unitPrice: 'abc' }) }), 'lines[2].unitPrice');
    expectBadInput(await create({ lines: three({ sku: 'x'.repeat(65) }) }), 'lines[2].sku');
    expectBadInput(await create({ lines: three({ productName: '' }) }), 'lines[2].productName');
    expectBadInput(await create({ lines: [] }), 'lines');
    expectBadInput(await create({ currency: 'EUROS' }), 'currency');
    expectBadInput(await create({ currency: 'XYZ' }), 'currency');
    expectBadInput(await create({ currency: 'JPY', lines: [line(1, '100.50')] }), 'lines[0].unitPrice');
    expectBadInput(await create({ discount: '11' }), 'discount');
    expectBadInput(await create({ customerId: randomUUID() }), 'customerId');
    expectBadInput(await create({ number: 'x'.repeat(51) }), 'number');
    expectCode(await create({ channel: 'CARRIER_PIGEON' }), 'BAD_USER_INPUT');
    expect(await countRows(node, 'customer_order')).toBe(orders);
    expect(await countRows(node, 'order_line')).toBe(lines);
  });

  it('follows status transitions and recomputes totals when PENDING lines change', async () => {
    const id = (await create({ currency: 'JPY', lines: [line(2, '1500')] })).data!.createOrder.id;
    const relined = await node.gql<{ updateOrder: OrderData }>(
      UPDATE,
      { id, input: { lines: [line(3, '1000'), line(1, '5', 'SKU-9')], tax: '300' } },
      agent,
    );
    expect(relined.errors).toBeUndefined();
    expect(relined.data!.updateOrder.total.amount).toBe('3305.00');
    expect(relined.data!.updateOrder.lines).toHaveLength(2);
    const shipping = await node.gql<{ updateOrder: OrderData }>(
      UPDATE,
      { id, input: { shipping: '500' } },
      agent,
    );
    expect(shipping.data!.updateOrder.total.amount).toBe('3805.00');
    const paid = await node.gql<{ updateOrder: OrderData }>(UPDATE, { id, input: { status: 'PAID' } }, agent);
    expect(paid.data!.updateOrder.status).toBe('PAID');
    expectBadInput(await node.gql(UPDATE, { id, input: { lines: [line(1, '1')] } }, agent), 'lines');
    expectBadInput(await node.gql(UPDATE, { id, input: { status: 'PENDING' } }, agent), 'status');
    expect((await node.gql(UPDATE, { id, input: { status: 'CANCELLED' } }, agent)).errors).toBeUndefined();
    expectBadInput(await node.gql(UPDATE, { id, input: { status: 'SHIPPED' } }, agent), 'status');
  });

  it('lists by customer, status, channel and date range, sorted, page by page', async () => {
    const other = await makeCustomer(node, 'Grace', 'Hopper');
    const base = Date.parse('2024-03-01T12:00:00Z');
    for (let i = 0; i < 5; i++) {
      const res = await create({
        customerId: other,
        orderedAt: new Date(base + i * 86_400_000).toISOString(),
        channel: i % 2 ? 'STORE' : 'WEB',
        status: i === 4 ? 'DELIVERED' : 'PAID',
        lines: [line(i + 1, '9.99')],
      });
      expect(res.errors).toBeUndefined();
    }
    const pageThrough = async (variables: Record<string, unknown>) => {
      const found: { id: string; total: { amount: string } }[] = [];
      let after: string | null = null;
      do {
        const res: {
          data?: {
            orders: {
              nodes: { id: string; total: { amount: string } }[];
              pageInfo: { hasNextPage: boolean; endCursor: string | null };
            };
          } | null;
        } = await node.gql(LIST, { ...variables, first: 2, after }, agent);
        found.push(...res.data!.orders.nodes);
        after = res.data!.orders.pageInfo.hasNextPage ? res.data!.orders.pageInfo.endCursor : null;
      } while (after);
      return found;
    };
    const byTotal = await pageThrough({ filter: { customerId: other }, sort: 'TOTAL_DESC' });
    expect(byTotal.map((o) => o.total.amount)).toEqual(['49.95', '39.96', '29.97', '19.98', '9.99']);
    expect(await pageThrough({ filter: { customerId: other, channels: ['STORE'] } })).toHaveLength(2);
    expect(await pageThrough({ filter: { customerId: other, statuses: ['DELIVERED'] } })).toHaveLength(1);
    const range = await pageThrough({
      filter: {
        customerId: other,
        orderedFrom: '2024-03-02T00:00:00Z',
        orderedBefore: '2024-03-04T00:00:00Z',
      },
    });
    expect(range).toHaveLength(2);
  });

  it('lets marketers and compliance read orders but not write them', async () => {
    const marketer = await node.tokenFor(Role.MARKETER);
    const compliance = await node.tokenFor(Role.COMPLIANCE);
    expect((await node.gql(LIST, { first: 1 }, marketer)).errors).toBeUndefined();
    expect((await node.gql(LIST, { first: 1 }, compliance)).errors).toBeUndefined();
    expectCode(await create({}, marketer), 'FORBIDDEN');
    expectCode(await create({}, compliance), 'FORBIDDEN');
    expect((await create({}, await node.tokenFor(Role.ADMIN))).errors).toBeUndefined();
  });
});
