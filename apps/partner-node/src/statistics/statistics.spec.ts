import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { startTestNode, type TestNode } from '../testing/test-node.js';
import { RfmRefreshJob } from './rfm-refresh.job.js';
import { Role } from '../users/role.js';
import {
  type Dataset,
  type SeedCustomer,
  type SeedOrder,
  orderCents,
  writeDataset,
} from '../segments/testing/seed.js';

const customer = (): SeedCustomer => ({
  id: randomUUID(),
  lifecycleStage: 'customer',
  language: null,
  country: null,
  tags: [],
  attributes: {},
  deleted: false,
});
const [A, B, C, D, E, F] = Array.from({ length: 6 }, customer);

function order(
  who: SeedCustomer,
  at: string,
  lines: [string | null, number, number][],
  status: SeedOrder['status'] = 'paid',
  currency = 'EUR',
): SeedOrder {
  return {
    id: randomUUID(),
    customerId: who.id,
    orderedAt: new Date(at),
    status,
    currency,
    lines: lines.map(([category, quantity, unit]) => ({ category, quantity, unitCents: unit * 100 })),
  };
}

const orders = [
  order(A, '2025-01-15T10:00:00Z', [['books', 2, 50]]),
  order(A, '2025-02-10T10:00:00Z', [['games', 1, 200]]),
  order(B, '2025-03-01T00:00:00Z', [['books', 1, 100]]),
  order(C, '2025-03-31T23:59:59Z', [['garden', 2, 100]]),
  order(B, '2025-04-20T10:00:00Z', [['books', 4, 100]]),
  order(C, '2025-05-05T10:00:00Z', [['games', 5, 100]]),
  order(A, '2025-06-30T12:00:00Z', [['books', 6, 100]]),
  // Not in the EUR monthly sums: cancelled, pending, other currency, before and after the range.
  order(F, '2025-03-10T10:00:00Z', [['books', 1, 999]], 'cancelled'),
  order(C, '2025-05-10T10:00:00Z', [['games', 1, 50]], 'pending'),
  order(E, '2025-04-11T10:00:00Z', [['tools', 1, 777]], 'delivered', 'USD'),
  order(D, '2024-12-31T23:00:00Z', [['books', 1, 50]], 'shipped'),
  order(A, '2025-07-01T00:00:00Z', [['books', 10, 100]]),
];

const data: Dataset = {
  customers: [A, B, C, D, E, F],
  orders,
  companies: [],
  cases: [
    ...[5, 4, null].map((s) => ({
      customerId: A.id,
      category: 'delivery',
      openedAt: new Date('2025-02-01T00:00:00Z'),
      satisfaction: s,
    })),
    ...[1, 2, 2].map((s) => ({
      customerId: B.id,
      category: 'billing',
      openedAt: new Date('2025-03-01T00:00:00Z'),
      satisfaction: s,
    })),
    { customerId: C.id, category: null, openedAt: new Date('2025-04-01T00:00:00Z'), satisfaction: 3 },
    { customerId: C.id, category: 'billing', openedAt: new Date('2024-06-01T00:00:00Z'), satisfaction: 5 },
  ],
};

/** ntile(5) as PostgreSQL computes it: the first (n mod 5) buckets hold one more row. */
function ntile5<T>(rows: T[], order: (a: T, b: T) => number): Map<T, number> {
  const sorted = [...rows].sort(order);
  const n = sorted.length;
  const base = Math.floor(n / 5);
  const extra = n % 5;
  const scores = new Map<T, number>();
  let i = 0;
  for (let bucket = 1; bucket <= 5; bucket++) {
    const size = base + (bucket <= extra ? 1 : 0);
    for (let k = 0; k < size; k++) scores.set(sorted[i++], bucket);
  }
  return scores;
}

describe('statistics on a known dataset (real PostgreSQL)', () => {
  let node: TestNode;
  let token: string;

  beforeAll(async () => {
    node = await startTestNode('statistics');
    token = await node.tokenFor(Role.MARKETER);
    await writeDataset(node.db.url, data);
  });
  afterAll(async () => node?.close());

  const SALES = `query($input: SalesByMonthInput!) { salesByMonth(input: $input) {
    currency category months { month orders revenue projected } trend { slope intercept points }
    projection { month revenue projected } } }`;

  it('sums sales per month exactly and fits and projects the least-squares trend', async () => {
    const res = await node.gql<{
      salesByMonth: Record<string, unknown> & { trend: { slope: number; intercept: number } };
    }>(
      SALES,
      { input: { currency: 'EUR', months: 6, until: '2025-07-01T00:00:00Z', projectMonths: 3 } },
      token,
    );
    expect(res.errors).toBeUndefined();
    const report = res.data!.salesByMonth;
    expect(report.months).toEqual([
      { month: '2025-01', orders: 1, revenue: '100.00', projected: false },
      { month: '2025-02', orders: 1, revenue: '200.00', projected: false },
      { month: '2025-03', orders: 2, revenue: '300.00', projected: false },
      { month: '2025-04', orders: 1, revenue: '400.00', projected: false },
      { month: '2025-05', orders: 1, revenue: '500.00', projected: false },
      { month: '2025-06', orders: 1, revenue: '600.00', projected: false },
    ]);
    expect(report.trend.slope).toBeCloseTo(100, 9);
    expect(report.trend.intercept).toBeCloseTo(100, 9);
    expect(report.projection).toEqual([
      { month: '2025-07', revenue: '700.00', projected: true },
      { month: '2025-08', revenue: '800.00', projected: true },
      { month: '2025-09', revenue: '900.00', projected: true },
    ]);
  });

  it('reports one category per month with its own trend (months without sales count as 0)', async () => {
    const res = await node.gql<{
      salesByMonth: {
        months: { revenue: string }[];
        trend: { slope: number; intercept: number };
        projection: { revenue: string }[];
      };
    }>(
      SALES,
      {
        input: {
          currency: 'EUR',
          months: 6,
          until: '2025-07-15T00:00:00Z',
          category: 'books',
          projectMonths: 2,
        },
      },
      token,
    );
    expect(res.errors).toBeUndefined();
    const report = res.data!.salesByMonth;
    expect(report.months.map((m) => m.revenue)).toEqual([
      '100.00',
      '0.00',
      '100.00',
      '400.00',
      '0.00',
      '600.00',
    ]);
    // Σx=15 Σy=1200 Σxy=4400 Σx²=55 → slope = (6·4400 − 15·1200)/(6·55 − 15²) = 80, intercept = 0.
    expect(report.trend.slope).toBeCloseTo(80, 9);
    expect(report.trend.intercept).toBeCloseTo(0, 9);
    expect(report.projection.map((m) => m.revenue)).toEqual(['480.00', '560.00']);
  });

  it('sums sales per category over a period', async () => {
    const res = await node.gql<{ salesByCategory: unknown[] }>(
      `query($input: SalesByCategoryInput!) { salesByCategory(input: $input) { category orders quantity revenue } }`,
      { input: { currency: 'EUR', from: '2025-01-01T00:00:00Z', to: '2025-07-01T00:00:00Z' } },
      token,
    );
    expect(res.data!.salesByCategory).toEqual([
      { category: 'books', orders: 4, quantity: 13, revenue: '1200.00' },
      { category: 'games', orders: 2, quantity: 6, revenue: '700.00' },
      { category: 'garden', orders: 1, quantity: 2, revenue: '200.00' },
    ]);
    const bad = await node.gql(
      `query($input: SalesByCategoryInput!) { salesByCategory(input: $input) { category } }`,
      { input: { currency: 'EUR', from: '2025-07-01T00:00:00Z', to: '2025-01-01T00:00:00Z' } },
      token,
    );
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'to' });
    const currency = await node.gql(
      `query($input: SalesByCategoryInput!) { salesByCategory(input: $input) { category } }`,
      { input: { currency: 'EURO' } },
      token,
    );
    expect(currency.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'currency' });
  });

  it('scores RFM quintiles as computed independently', async () => {
    const asOf = new Date('2025-07-01T00:00:00Z');
    const res = await node.gql<{
      rfmDistribution: {
        customers: number;
        cells: { recency: number; frequency: number; monetary: number; customers: number }[];
        recency: { score: number; customers: number; min: number; max: number }[];
        monetary: { score: number; min: number; max: number }[];
      };
    }>(
      `query($input: RfmInput) { rfmDistribution(input: $input) { customers windowDays
        cells { recency frequency monetary customers } recency { score customers min max }
        frequency { score customers min max } monetary { score customers min max } } }`,
      { input: { asOf: asOf.toISOString(), windowDays: 365 } },
      token,
    );
    expect(res.errors).toBeUndefined();
    const counted = orders.filter(
      (o) =>
        ['paid', 'shipped', 'delivered'].includes(o.status) &&
        o.orderedAt.getTime() <= asOf.getTime() &&
        o.orderedAt.getTime() > asOf.getTime() - 365 * 86_400_000,
    );
    const facts = [...new Set(counted.map((o) => o.customerId))].map((id) => {
      const mine = counted.filter((o) => o.customerId === id);
      return {
        id,
        last: Math.max(...mine.map((o) => o.orderedAt.getTime())),
        frequency: mine.length,
        monetary: mine.reduce((s, o) => s + orderCents(o), 0),
      };
    });
    expect(facts.map((f) => f.id).sort()).toEqual([A, B, C, D, E].map((c) => c.id).sort());
    const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    const r = ntile5(facts, (a, b) => a.last - b.last || byId(a, b));
    const f = ntile5(facts, (a, b) => a.frequency - b.frequency || byId(a, b));
    const m = ntile5(facts, (a, b) => a.monetary - b.monetary || byId(a, b));
    const expectedCells = facts
      .map((x) => ({ recency: r.get(x)!, frequency: f.get(x)!, monetary: m.get(x)!, customers: 1 }))
      .sort((a, b) => a.recency - b.recency || a.frequency - b.frequency || a.monetary - b.monetary);
    const dist = res.data!.rfmDistribution;
    expect(dist.customers).toBe(5);
    expect(dist.cells).toEqual(expectedCells);
    // A ordered at asOf exactly: 0 days; D on 2024-12-31T23:00 → 181 days.
    expect(dist.recency.find((s) => s.score === 5)).toEqual({ score: 5, customers: 1, min: 0, max: 0 });
    expect(dist.recency.find((s) => s.score === 1)).toEqual({ score: 1, customers: 1, min: 181, max: 181 });
    expect(dist.monetary.find((s) => s.score === 5)!.max).toBe(1900); // A: 100 + 200 + 600 + 1000 (the order at asOf counts)
  });

  it('reports care satisfaction per category, and lets agents read it', async () => {
    const agent = await node.tokenFor(Role.AGENT);
    const res = await node.gql<{ careSatisfactionByCategory: unknown[] }>(
      `query($input: PeriodInput) { careSatisfactionByCategory(input: $input) { category cases rated average distribution } }`,
      { input: { from: '2025-01-01T00:00:00Z' } },
      agent,
    );
    expect(res.errors).toBeUndefined();
    const rows = res.data!.careSatisfactionByCategory as {
      category: string | null;
      average: number | null;
    }[];
    expect(rows).toEqual([
      {
        category: 'billing',
        cases: 3,
        rated: 3,
        average: expect.closeTo(5 / 3, 9),
        distribution: [1, 2, 0, 0, 0],
      },
      { category: 'delivery', cases: 3, rated: 2, average: 4.5, distribution: [0, 0, 0, 1, 1] },
      { category: null, cases: 1, rated: 1, average: 3, distribution: [0, 0, 1, 0, 0] },
    ]);
    const sales = await node.gql(SALES, { input: { currency: 'EUR' } }, agent);
    expect(sales.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('reports care satisfaction per month, empty months included', async () => {
    const res = await node.gql<{ careSatisfactionByMonth: unknown[] }>(
      `query($input: CareSatisfactionByMonthInput) { careSatisfactionByMonth(input: $input) { month cases rated average } }`,
      { input: { months: 4, until: '2025-05-15T00:00:00Z' } },
      token,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.careSatisfactionByMonth).toEqual([
      { month: '2025-01', cases: 0, rated: 0, average: null },
      { month: '2025-02', cases: 3, rated: 2, average: 4.5 },
      { month: '2025-03', cases: 3, rated: 3, average: expect.closeTo(5 / 3, 9) },
      { month: '2025-04', cases: 1, rated: 1, average: 3 },
    ]);
    const bad = await node.gql(
      `query { careSatisfactionByMonth(input: { months: 0 }) { month } }`,
      {},
      token,
    );
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
  });

  it('reports segment sizes over time', async () => {
    const created = await node.gql<{ createSegment: { id: string } }>(
      `mutation { createSegment(input: { name: "list", kind: STATIC }) { id } }`,
      {},
      token,
    );
    const id = created.data!.createSegment.id;
    for (const ids of [[A.id, B.id], [C.id]]) {
      await node.gql(
        `mutation($input: SegmentListEditInput!) { addSegmentMembers(input: $input) { size } }`,
        { input: { segmentId: id, customerIds: ids } },
        token,
      );
    }
    const res = await node.gql<{
      segmentSizeHistory: { segmentId: string; segment: { name: string }; points: { size: number }[] }[];
    }>(
      `query($input: SegmentSizesInput!) { segmentSizeHistory(input: $input) { segmentId segment { name } points { size at } } }`,
      { input: { segmentIds: [id] } },
      token,
    );
    expect(res.data!.segmentSizeHistory).toEqual([
      {
        segmentId: id,
        segment: { name: 'list' },
        points: [
          { size: 0, at: expect.any(String) },
          { size: 2, at: expect.any(String) },
          { size: 3, at: expect.any(String) },
        ],
      },
    ]);
    const unknown = await node.gql(
      `query($input: SegmentSizesInput!) { segmentSizeHistory(input: $input) { segmentId } }`,
      { input: { segmentIds: [id, randomUUID()] } },
      token,
    );
    expect(unknown.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'segmentIds[1]' });
  });

  describe('the RFM distribution published as of a refresh (stored snapshots)', () => {
    // The dataset's orders are of 2024-2025: a window of ten years holds them all.
    const WINDOW = 3650;
    const FIELDS = `asOf refreshedAt stale refreshEverySeconds durationMs customers windowDays
      cells { recency frequency monetary customers } recency { score customers min max }
      frequency { score customers min max } monetary { score customers min max }`;
    const RFM = `query($input: RfmInput) { rfmDistribution(input: $input) { ${FIELDS} } }`;
    const REFRESH = `mutation($input: RfmRefreshInput) { refreshRfmDistribution(input: $input) { ${FIELDS} } }`;
    type Dist = {
      asOf: string;
      refreshedAt: string | null;
      stale: boolean;
      refreshEverySeconds: number | null;
      durationMs: number | null;
      customers: number;
      cells: unknown[];
      recency: unknown[];
      frequency: unknown[];
      monetary: unknown[];
    };
    const read = async (input: Record<string, unknown> = { windowDays: WINDOW }) => {
      const res = await node.gql<{ rfmDistribution: Dist }>(RFM, { input }, token);
      expect(res.errors).toBeUndefined();
      return res.data!.rfmDistribution;
    };
    const figures = (d: Dist) => ({
      customers: d.customers,
      cells: d.cells,
      recency: d.recency,
      frequency: d.frequency,
      monetary: d.monetary,
    });
    const snapshots = async (): Promise<{ as_of: Date }[]> => {
      const client = new pg.Client({ connectionString: node.db.url });
      await client.connect();
      try {
        const { rows } = await client.query<{ as_of: Date }>(
          `SELECT as_of FROM rfm_distribution_snapshot WHERE window_days = $1 AND currency IS NULL ORDER BY as_of`,
          [WINDOW],
        );
        return rows;
      } finally {
        await client.end();
      }
    };

    it('computes and stores a key on its first read, equal to a live computation as of the same time', async () => {
      expect(await snapshots()).toHaveLength(0);
      const first = await read();
      expect(first).toMatchObject({
        stale: false,
        refreshEverySeconds: 900,
        customers: 5,
        windowDays: WINDOW,
      });
      expect(first.refreshedAt).not.toBeNull();
      expect(first.durationMs).toBeGreaterThanOrEqual(0);
      expect(await snapshots()).toHaveLength(1);
      const again = await read();
      expect(again).toEqual(first);
      const live = await read({ windowDays: WINDOW, asOf: first.asOf });
      expect(live).toMatchObject({
        asOf: first.asOf,
        refreshedAt: null,
        stale: false,
        refreshEverySeconds: null,
      });
      expect(figures(live)).toEqual(figures(first));
    });

    it('serves the stored snapshot after new orders until a refresh, which then reflects them', async () => {
      const before = await read();
      const recent = new Date(Date.now() - 86_400_000).toISOString();
      await writeDataset(node.db.url, {
        customers: [],
        companies: [],
        cases: [],
        orders: [order(F, recent, [['books', 1, 5000]], 'delivered')],
      });
      const unchanged = await read();
      expect(unchanged).toEqual(before);
      const refreshed = await node.gql<{ refreshRfmDistribution: Dist }>(
        REFRESH,
        { input: { windowDays: WINDOW } },
        token,
      );
      expect(refreshed.errors).toBeUndefined();
      const fresh = refreshed.data!.refreshRfmDistribution;
      expect(fresh.customers).toBe(6);
      expect(new Date(fresh.asOf).getTime()).toBeGreaterThan(new Date(before.asOf).getTime());
      expect(fresh.monetary.at(-1)).toMatchObject({ score: 5, max: 5000 });
      expect(await read()).toEqual(fresh);
      const live = await read({ windowDays: WINDOW, asOf: fresh.asOf });
      expect(figures(live)).toEqual(figures(fresh));
      expect(await snapshots()).toHaveLength(2); // the latest and a short history
    });

    it('serves a stale snapshot while the queue refreshes it, and the schedule refreshes stale keys', async () => {
      const job = node.app.get(RfmRefreshJob);
      const age = async () => {
        const client = new pg.Client({ connectionString: node.db.url });
        await client.connect();
        try {
          await client.query(
            `UPDATE rfm_distribution_snapshot SET as_of = as_of - interval '1 hour', computed_at = computed_at - interval '1 hour'`,
          );
        } finally {
          await client.end();
        }
        return (await snapshots()).at(-1)!.as_of;
      };
      const newerThan = async (old: Date) => {
        let latest = old;
        for (let i = 0; i < 150 && latest.getTime() === old.getTime(); i++) {
          await new Promise((done) => setTimeout(done, 200));
          latest = (await snapshots()).at(-1)!.as_of;
        }
        expect(latest.getTime()).toBeGreaterThan(old.getTime());
        return latest;
      };
      // The scheduled check enqueues the keys read recently whose snapshot is older than the interval.
      const scheduled = await age();
      expect(await job.enqueueDue()).toBe(1);
      await newerThan(scheduled);
      expect(await job.enqueueDue()).toBe(0);

      // A read of a stale snapshot serves it and enqueues its refresh.
      const old = await age();
      const stale = await read();
      expect(stale.stale).toBe(true);
      expect(new Date(stale.asOf).getTime()).toBe(old.getTime());
      const latest = await newerThan(old);
      const now = await read();
      expect(now.stale).toBe(false);
      expect(new Date(now.asOf).getTime()).toBe(latest.getTime());
    });

    it('lets marketers and admins refresh, no one else', async () => {
      for (const role of [Role.COMPLIANCE, Role.AGENT]) {
        const refused = await node.gql(REFRESH, { input: {} }, await node.tokenFor(role));
        expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      }
      const anonymous = await node.gql(REFRESH, { input: {} });
      expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
      const admin = await node.gql<{ refreshRfmDistribution: Dist }>(
        REFRESH,
        { input: { windowDays: 30, currency: 'EUR' } },
        await node.tokenFor(Role.ADMIN),
      );
      expect(admin.errors).toBeUndefined();
      expect(admin.data!.refreshRfmDistribution).toMatchObject({ windowDays: 30, stale: false });
    });

    it('refuses a window out of range or a bad currency, naming the field', async () => {
      for (const [query, input, field] of [
        [REFRESH, { windowDays: 0 }, 'windowDays'],
        [REFRESH, { windowDays: 3651 }, 'windowDays'],
        [REFRESH, { currency: 'euro' }, 'currency'],
        [RFM, { windowDays: 4000 }, 'windowDays'],
      ] as const) {
        const res = await node.gql(query, { input }, token);
        expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
      }
    });
  });
});
