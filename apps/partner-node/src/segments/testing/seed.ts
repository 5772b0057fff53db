import { randomUUID } from 'node:crypto';
import pg from 'pg';

/** Test data written straight to the node's database, and kept in memory to compute expectations in JS. */
export interface SeedCustomer {
  id: string;
  lifecycleStage: 'lead' | 'prospect' | 'customer' | 'churned';
  language: string | null;
  country: string | null;
  tags: string[];
  attributes: Record<string, string | number | boolean>;
  deleted: boolean;
}
export interface SeedOrder {
  id: string;
  customerId: string;
  orderedAt: Date;
  status: 'pending' | 'paid' | 'shipped' | 'delivered' | 'cancelled' | 'returned';
  currency: string;
  lines: { category: string | null; quantity: number; unitCents: number }[];
}
export interface SeedCase {
  customerId: string;
  category: string | null;
  openedAt: Date;
  satisfaction: number | null;
}
export interface SeedCompany {
  id: string;
  industry: string | null;
  sizeBand: string | null;
  customerIds: string[];
}
export interface Dataset {
  customers: SeedCustomer[];
  orders: SeedOrder[];
  cases: SeedCase[];
  companies: SeedCompany[];
}

export const orderCents = (o: SeedOrder) => o.lines.reduce((sum, l) => sum + l.quantity * l.unitCents, 0);
const money = (cents: number) => (cents / 100).toFixed(2);

async function insert(
  client: pg.ClientBase,
  table: string,
  columns: string[],
  rows: unknown[][],
): Promise<void> {
  for (let start = 0; start < rows.length; start += 500) {
    const chunk = rows.slice(start, start + 500);
    const values = chunk.map(
      (row, r) => `(${row.map((_, c) => `$${r * columns.length + c + 1}`).join(', ')})`,
    );
    await client.query(
      `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${values.join(', ')}`,
      chunk.flat(),
    );
  }
}

let orderNumber = 0;

export async function writeDataset(databaseUrl: string, data: Dataset): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('BEGIN');
    await insert(
      client,
      'customer',
      [
        'id',
        'first_name',
        'last_name',
        'lifecycle_stage',
        'language',
        'address_country',
        'tags',
        'attributes',
        'deleted_at',
      ],
      data.customers.map((c) => [
        c.id,
        'Test',
        `Customer ${c.id.slice(0, 8)}`,
        c.lifecycleStage,
        c.language,
        c.country,
        c.tags,
        JSON.stringify(c.attributes),
        c.deleted ? new Date() : null,
      ]),
    );
    await insert(
      client,
      'company',
      ['id', 'name', 'industry', 'size_band'],
      data.companies.map((c, i) => [c.id, `Company ${i}`, c.industry, c.sizeBand]),
    );
    await insert(
      client,
      'customer_company',
      ['customer_id', 'company_id', 'role'],
      data.companies.flatMap((c) => c.customerIds.map((customerId) => [customerId, c.id, 'buyer'])),
    );
    await insert(
      client,
      'customer_order',
      ['id', 'number', 'customer_id', 'ordered_at', 'status', 'channel', 'currency', 'subtotal', 'total'],
      data.orders.map((o) => {
        const total = money(orderCents(o));
        return [
          o.id,
          `T-${++orderNumber}-${o.id.slice(0, 8)}`,
          o.customerId,
          o.orderedAt,
          o.status,
          'web',
          o.currency,
          total,
          total,
        ];
      }),
    );
    await insert(
      client,
      'order_line',
      [
        'order_id',
        'position',
        'sku',
        'product_name',
        'product_category',
        'quantity',
        'unit_price',
        'line_total',
      ],
      data.orders.flatMap((o) =>
        o.lines.map((l, i) => [
          o.id,
          i,
          `SKU-${i}`,
          'Product',
          l.category,
          l.quantity,
          money(l.unitCents),
          money(l.quantity * l.unitCents),
        ]),
      ),
    );
    await insert(
      client,
      'care_case',
      ['customer_id', 'subject', 'status', 'category', 'opened_at', 'satisfaction', 'feedback_at'],
      data.cases.map((k) => [
        k.customerId,
        'Case',
        'closed',
        k.category,
        k.openedAt,
        k.satisfaction,
        k.satisfaction === null ? null : k.openedAt,
      ]),
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    await client.end();
  }
}

/** A small deterministic pseudo-random generator (mulberry32). */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)],
    chance: (p: number) => next() < p,
  };
}

export const EVIL_TAG = "o'reilly'); DROP TABLE customer; --";

/** A varied dataset: `count` customers with orders, lines, care cases and companies, relative to `now`. */
export function randomDataset(count: number, now: Date, seed = 42): Dataset {
  const r = prng(seed);
  const day = 86_400_000;
  const customers: SeedCustomer[] = [];
  const orders: SeedOrder[] = [];
  const cases: SeedCase[] = [];
  for (let i = 0; i < count; i++) {
    const attributes: SeedCustomer['attributes'] = {};
    if (r.chance(0.6)) attributes.tier = r.pick(['gold', 'silver', 'bronze']);
    if (r.chance(0.6)) attributes.score = r.int(0, 100);
    if (r.chance(0.3)) attributes.vip = r.chance(0.5);
    if (r.chance(0.2)) attributes.note = r.pick(["it's", 'plain', '50']);
    const tags = ['vip', 'newsletter', 'b2b', 'churn-risk', EVIL_TAG].filter(() => r.chance(0.3));
    const customer: SeedCustomer = {
      id: randomUUID(),
      lifecycleStage: r.pick(['lead', 'prospect', 'customer', 'churned'] as const),
      language: r.pick(['fr', 'en', 'de', null]),
      country: r.pick(['FR', 'DE', 'GB', null]),
      tags,
      attributes,
      deleted: r.chance(0.05),
    };
    customers.push(customer);
    const orderCount = r.pick([0, 0, 1, 2, 3, 5, 8]);
    for (let j = 0; j < orderCount; j++) {
      orders.push({
        id: randomUUID(),
        customerId: customer.id,
        orderedAt: new Date(now.getTime() - r.int(1, 800 * 24) * (day / 24) - r.int(0, 3_599_000)),
        status: r.pick([
          'paid',
          'shipped',
          'delivered',
          'delivered',
          'pending',
          'cancelled',
          'returned',
        ] as const),
        currency: r.chance(0.9) ? 'EUR' : 'USD',
        lines: Array.from({ length: r.int(1, 3) }, () => ({
          category: r.pick(['books', 'games', 'garden', 'tools', null]),
          quantity: r.int(1, 3),
          unitCents: r.int(100, 20_000),
        })),
      });
    }
    for (let j = r.pick([0, 0, 1, 1, 2, 3]); j > 0; j--) {
      cases.push({
        customerId: customer.id,
        category: r.pick(['delivery', 'billing', 'defect', null]),
        openedAt: new Date(now.getTime() - r.int(1, 400 * 24) * (day / 24)),
        satisfaction: r.chance(0.7) ? r.int(1, 5) : null,
      });
    }
  }
  const companies: SeedCompany[] = [
    ['Retail', 'size_1_10'],
    ['retail', 'size_51_200'],
    ['Banking', 'size_1001_plus'],
    ['Software', null],
    [null, 'size_11_50'],
  ].map(([industry, sizeBand]) => ({ id: randomUUID(), industry, sizeBand, customerIds: [] }));
  for (const c of customers) {
    for (const company of companies) if (r.chance(0.2)) company.customerIds.push(c.id);
  }
  return { customers, orders, cases, companies };
}
