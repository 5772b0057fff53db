import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { JOB_QUEUE, type JobQueue } from '#platform/queue/job-queue';
import { startTestNode, type TestNode } from '../testing/test-node.js';
import { Role } from '../users/role.js';
import { SEGMENT_REFRESH_DUE_QUEUE } from './segments.service.js';
import {
  EVIL_TAG,
  orderCents,
  randomDataset,
  type Dataset,
  type SeedCustomer,
  writeDataset,
} from './testing/seed.js';

const DAY = 86_400_000;
const COUNTED = new Set(['paid', 'shipped', 'delivered']);

const SEGMENT_FIELDS = `id name kind rule ruleVersion size refreshPending refreshedAt`;
const CREATE = `mutation($input: CreateSegmentInput!) { createSegment(input: $input) { ${SEGMENT_FIELDS} } }`;
const GET = `query($id: ID!) { segment(id: $id) { ${SEGMENT_FIELDS} } }`;

interface SegmentView {
  id: string;
  size: number;
  refreshPending: boolean;
  refreshedAt: string | null;
  ruleVersion: number;
}

/** Independent JS model of the facts a rule can test, as of a time. */
function model(data: Dataset, asOf: Date) {
  const orders = (c: SeedCustomer, windowDays?: number) =>
    data.orders.filter(
      (o) =>
        o.customerId === c.id &&
        COUNTED.has(o.status) &&
        o.orderedAt.getTime() <= asOf.getTime() &&
        (windowDays === undefined || o.orderedAt.getTime() > asOf.getTime() - windowDays * DAY),
    );
  const cases = (c: SeedCustomer, windowDays?: number) =>
    data.cases.filter(
      (k) =>
        k.customerId === c.id &&
        k.openedAt.getTime() <= asOf.getTime() &&
        (windowDays === undefined || k.openedAt.getTime() > asOf.getTime() - windowDays * DAY),
    );
  return {
    daysSinceLastOrder(c: SeedCustomer): number | null {
      const all = orders(c);
      if (all.length === 0) return null;
      const last = Math.max(...all.map((o) => o.orderedAt.getTime()));
      return Math.floor((asOf.getTime() - last) / DAY);
    },
    orderCount: (c: SeedCustomer, w?: number) => orders(c, w).length,
    revenueCents: (c: SeedCustomer, w?: number) => orders(c, w).reduce((s, o) => s + orderCents(o), 0),
    categories: (c: SeedCustomer, w?: number) =>
      new Set(
        orders(c, w).flatMap((o) => o.lines.map((l) => l.category).filter((x): x is string => x !== null)),
      ),
    caseCount: (c: SeedCustomer, w?: number) => cases(c, w).length,
    avgSatisfaction(c: SeedCustomer): number | null {
      const rated = cases(c).filter((k) => k.satisfaction !== null);
      return rated.length ? rated.reduce((s, k) => s + k.satisfaction!, 0) / rated.length : null;
    },
    industries: (c: SeedCustomer) =>
      new Set(
        data.companies
          .filter((k) => k.customerIds.includes(c.id) && k.industry)
          .map((k) => k.industry!.toLowerCase()),
      ),
    sizeBands: (c: SeedCustomer) =>
      new Set(
        data.companies.filter((k) => k.customerIds.includes(c.id) && k.sizeBand).map((k) => k.sizeBand!),
      ),
  };
}

type Model = ReturnType<typeof model>;

describe('segments: rules, materialised membership, queue refresh, static lists (real PostgreSQL + Redis)', () => {
  let node: TestNode;
  let marketer: string;
  let db: pg.Pool;
  const now = new Date();
  const data = randomDataset(400, now);
  const live = data.customers.filter((c) => !c.deleted);

  beforeAll(async () => {
    node = await startTestNode('segments');
    marketer = await node.tokenFor(Role.MARKETER);
    await writeDataset(node.db.url, data);
    db = new pg.Pool({ connectionString: node.db.url, max: 2 });
  });
  afterAll(async () => {
    await db?.end();
    await node?.close();
  });

  async function refreshed(id: string, after?: string): Promise<SegmentView> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const res = await node.gql<{ segment: SegmentView }>(GET, { id }, marketer);
      const s = res.data!.segment;
      if (!s.refreshPending && s.refreshedAt && (!after || s.refreshedAt > after)) return s;
      if (Date.now() > deadline) throw new Error(`segment ${id} not refreshed: ${JSON.stringify(res)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async function members(segmentId: string): Promise<string[]> {
    const { rows } = await db.query<{ customer_id: string }>(
      `SELECT customer_id FROM segment_member WHERE segment_id = $1 ORDER BY customer_id`,
      [segmentId],
    );
    return rows.map((r) => r.customer_id);
  }

  async function createRuleSegment(name: string, rule: unknown): Promise<SegmentView> {
    const res = await node.gql<{ createSegment: SegmentView }>(
      CREATE,
      { input: { name, kind: 'RULE', rule } },
      marketer,
    );
    expect(res.errors).toBeUndefined();
    return refreshed(res.data!.createSegment.id);
  }

  const cases: [string, unknown, (m: Model, c: SeedCustomer) => boolean][] = [
    [
      'RFM: recent, frequent and valuable buyers',
      {
        all: [
          { field: 'days_since_last_order', op: 'lte', value: 200 },
          { field: 'order_count', op: 'gte', value: 2, windowDays: 365 },
          { field: 'revenue', op: 'gte', value: 150, windowDays: 365 },
        ],
      },
      (m, c) =>
        (m.daysSinceLastOrder(c) ?? Infinity) <= 200 &&
        m.orderCount(c, 365) >= 2 &&
        m.revenueCents(c, 365) >= 15_000,
    ],
    [
      'RFM: lapsed or never bought (not + is_not_set)',
      {
        any: [
          { not: { field: 'days_since_last_order', op: 'lt', value: 365 } },
          { field: 'days_since_last_order', op: 'is_not_set' },
        ],
      },
      (m, c) => {
        const d = m.daysSinceLastOrder(c);
        return d === null || !(d < 365);
      },
    ],
    [
      'product categories: bought both books and games, or never garden in 180 days',
      {
        any: [
          { field: 'product_category', op: 'bought_all', value: ['books', 'games'] },
          { field: 'product_category', op: 'bought_none', value: ['garden'], windowDays: 180 },
        ],
      },
      (m, c) => {
        const all = m.categories(c);
        return (all.has('books') && all.has('games')) || !m.categories(c, 180).has('garden');
      },
    ],
    [
      'care: unhappy customers with cases, or cases in 90 days between 1 and 2',
      {
        any: [
          {
            all: [
              { field: 'care_case_count', op: 'gte', value: 1 },
              { field: 'avg_satisfaction', op: 'lt', value: 3 },
            ],
          },
          { field: 'care_case_count', op: 'between', value: [1, 2], windowDays: 90 },
        ],
      },
      (m, c) => {
        const avg = m.avgSatisfaction(c);
        const recent = m.caseCount(c, 90);
        return (m.caseCount(c) >= 1 && avg !== null && avg < 3) || (recent >= 1 && recent <= 2);
      },
    ],
    [
      'company industry (case-insensitive) and size',
      {
        all: [
          { field: 'company_industry', op: 'in', value: ['RETAIL', 'software'] },
          { field: 'company_size', op: 'not_in', value: ['size_51_200'] },
        ],
      },
      (m, c) => {
        const ind = m.industries(c);
        return (ind.has('retail') || ind.has('software')) && !m.sizeBands(c).has('size_51_200');
      },
    ],
    [
      'tags and attributes (with a quote in a value)',
      {
        any: [
          { field: 'tags', op: 'has_all', value: ['vip', 'newsletter'] },
          {
            all: [
              { field: 'attribute', key: 'tier', op: 'in', value: ['gold', 'silver'] },
              { field: 'attribute', key: 'score', op: 'gt', value: 50 },
              { field: 'attribute', key: 'note', op: 'neq', value: "it's" },
            ],
          },
        ],
      },
      (_m, c) =>
        (c.tags.includes('vip') && c.tags.includes('newsletter')) ||
        (['gold', 'silver'].includes(c.attributes.tier as string) &&
          typeof c.attributes.score === 'number' &&
          c.attributes.score > 50 &&
          c.attributes.note !== "it's"),
    ],
    [
      'lifecycle, language and country (neq / not_in include the unset)',
      {
        all: [
          { field: 'lifecycle_stage', op: 'in', value: ['customer', 'prospect'] },
          { field: 'language', op: 'neq', value: 'fr' },
          { field: 'country', op: 'not_in', value: ['DE'] },
          { not: { field: 'attribute', key: 'vip', op: 'eq', value: true } },
        ],
      },
      (_m, c) =>
        ['customer', 'prospect'].includes(c.lifecycleStage) &&
        c.language !== 'fr' &&
        c.country !== 'DE' &&
        c.attributes.vip !== true,
    ],
    [
      'a value that tries SQL is only ever a value',
      { field: 'tags', op: 'has', value: EVIL_TAG },
      (_m, c) => c.tags.includes(EVIL_TAG),
    ],
  ];

  it.each(cases)('materialises %s exactly as computed independently in JS', async (name, rule, predicate) => {
    const segment = await createRuleSegment(name, rule);
    const m = model(data, new Date(segment.refreshedAt!));
    const expected = live
      .filter((c) => predicate(m, c))
      .map((c) => c.id)
      .sort();
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(live.length);
    expect(await members(segment.id)).toEqual(expected);
    expect(segment.size).toBe(expected.length);
    const history = await db.query(`SELECT size FROM segment_size_history WHERE segment_id = $1`, [
      segment.id,
    ]);
    expect(history.rows).toEqual([{ size: expected.length }]);
  });

  it('previews a rule without writing', async () => {
    const res = await node.gql<{ previewSegmentRule: { size: number } }>(
      `query($rule: SegmentRule!) { previewSegmentRule(rule: $rule) { size } }`,
      { rule: { field: 'tags', op: 'has', value: 'vip' } },
      marketer,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.previewSegmentRule.size).toBe(live.filter((c) => c.tags.includes('vip')).length);
  });

  it('refreshes through the queue on demand: joiners added, leavers removed, stayers keep added_at', async () => {
    const segment = await createRuleSegment('has ordered recently', {
      field: 'order_count',
      op: 'gte',
      value: 1,
      windowDays: 30,
    });
    const before = await members(segment.id);
    const { rows: stayedBefore } = await db.query(
      `SELECT customer_id, added_at FROM segment_member WHERE segment_id = $1 ORDER BY customer_id`,
      [segment.id],
    );
    const leaver = before[0];
    const joiner = live.find((c) => !before.includes(c.id))!.id;
    // The leaver's recent orders are cancelled; the joiner orders today.
    await db.query(`UPDATE customer_order SET status = 'cancelled' WHERE customer_id = $1`, [leaver]);
    await db.query(
      `INSERT INTO customer_order (number, customer_id, ordered_at, status, channel, currency, subtotal, total)
       VALUES ('T-JOIN', $1, now() - interval '1 hour', 'paid', 'web', 'EUR', 10, 10)`,
      [joiner],
    );
    const request = await node.gql<{ refreshSegment: { jobId: string } }>(
      `mutation($id: ID!) { refreshSegment(id: $id) { segmentId jobId } }`,
      { id: segment.id },
      marketer,
    );
    expect(request.errors).toBeUndefined();
    expect(request.data!.refreshSegment.jobId).toContain(segment.id);
    const after = await refreshed(segment.id, segment.refreshedAt!);
    const now = await members(segment.id);
    expect(now).toContain(joiner);
    expect(now).not.toContain(leaver);
    expect(after.size).toBe(before.length);
    const { rows: stayedAfter } = await db.query(
      `SELECT customer_id, added_at FROM segment_member WHERE segment_id = $1 AND customer_id <> $2 ORDER BY customer_id`,
      [segment.id, joiner],
    );
    expect(stayedAfter).toEqual(stayedBefore.filter((r) => r.customer_id !== leaver));
    const sizes = await node.gql<{ segment: { sizeHistory: { size: number }[] } }>(
      `query($id: ID!) { segment(id: $id) { sizeHistory { size at } } }`,
      { id: segment.id },
      marketer,
    );
    expect(sizes.data!.segment.sizeHistory.map((p) => p.size)).toEqual([before.length, before.length]);
  });

  it('a new rule gets a new version and is refreshed; the scheduled refresh can be set and cleared', async () => {
    const segment = await createRuleSegment('germans', { field: 'country', op: 'eq', value: 'DE' });
    const res = await node.gql<{ updateSegment: SegmentView & { refreshEveryMinutes: number | null } }>(
      `mutation($id: ID!, $input: UpdateSegmentInput!) { updateSegment(id: $id, input: $input) { ${SEGMENT_FIELDS} refreshEveryMinutes } }`,
      {
        id: segment.id,
        input: { rule: { field: 'country', op: 'eq', value: 'GB' }, refreshEveryMinutes: 60 },
      },
      marketer,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.updateSegment).toMatchObject({
      ruleVersion: 2,
      refreshEveryMinutes: 60,
      refreshPending: true,
    });
    const after = await refreshed(segment.id, segment.refreshedAt!);
    expect(await members(segment.id)).toEqual(
      live
        .filter((c) => c.country === 'GB')
        .map((c) => c.id)
        .sort(),
    );
    expect(after.size).toBe(live.filter((c) => c.country === 'GB').length);
  });

  it('runs the scheduled refresh of due segments through the queue', async () => {
    const segment = await createRuleSegment('scheduled', { field: 'tags', op: 'has', value: 'newsletter' });
    await node.gql(
      `mutation($id: ID!) { updateSegment(id: $id, input: { refreshEveryMinutes: 5 }) { id } }`,
      { id: segment.id },
      marketer,
    );
    // Not due yet: the tick leaves it alone. Ten minutes later it is due.
    const queue = node.app.get<JobQueue>(JOB_QUEUE);
    await queue.enqueue(SEGMENT_REFRESH_DUE_QUEUE, null);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(
      (await node.gql<{ segment: SegmentView }>(GET, { id: segment.id }, marketer)).data!.segment.refreshedAt,
    ).toBe(segment.refreshedAt);
    await db.query(`UPDATE segment SET refreshed_at = refreshed_at - interval '10 minutes' WHERE id = $1`, [
      segment.id,
    ]);
    const tenMinutesEarlier = new Date(new Date(segment.refreshedAt!).getTime() - 600_000).toISOString();
    await queue.enqueue(SEGMENT_REFRESH_DUE_QUEUE, null);
    const after = await refreshed(segment.id, tenMinutesEarlier);
    expect(new Date(after.refreshedAt!).getTime()).toBeGreaterThan(new Date(segment.refreshedAt!).getTime());
    expect(after.size).toBe(live.filter((c) => c.tags.includes('newsletter')).length);
  });

  it('refuses bad rules naming the field, and writes nothing', async () => {
    const {
      rows: [{ count: before }],
    } = await db.query(`SELECT count(*)::int AS count FROM segment`);
    const attempts: [unknown, string][] = [
      [
        { all: [{ field: 'lifecycle_stage; DROP TABLE customer', op: 'eq', value: 'lead' }] },
        'rule.all[0].field',
      ],
      [{ field: 'order_count', op: 'gte', value: 'three' }, 'rule.value'],
      [{ field: 'order_count', op: '>=; DELETE FROM segment', value: 3 }, 'rule.op'],
      [{ field: 'attribute', key: "x' OR '1'='1", op: 'eq', value: 1 }, 'rule.key'],
      [{ any: [{ field: 'tags', op: 'has', value: 'x', windowDays: 3 }] }, 'rule.any[0].windowDays'],
      [
        JSON.parse('{"not":'.repeat(12) + '{"field":"tags","op":"has","value":"x"}' + '}'.repeat(12)),
        'rule.not.not.not.not.not.not',
      ],
      [{ any: Array.from({ length: 60 }, () => ({ field: 'tags', op: 'has', value: 'x' })) }, 'rule.any'],
      ["lifecycle_stage = 'lead'", 'rule'],
    ];
    for (const [rule, field] of attempts) {
      const res = await node.gql(CREATE, { input: { name: 'bad', kind: 'RULE', rule } }, marketer);
      expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    const missing = await node.gql(CREATE, { input: { name: 'no rule', kind: 'RULE' } }, marketer);
    expect(missing.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'rule' });
    const staticWithRule = await node.gql(
      CREATE,
      { input: { name: 'static', kind: 'STATIC', rule: { field: 'tags', op: 'has', value: 'x' } } },
      marketer,
    );
    expect(staticWithRule.errors?.[0].extensions).toMatchObject({ field: 'rule' });
    const preview = await node.gql(
      `query($rule: SegmentRule!) { previewSegmentRule(rule: $rule) { size } }`,
      { rule: { field: 'password_hash', op: 'eq', value: 'x' } },
      marketer,
    );
    expect(preview.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'rule.field' });
    const {
      rows: [{ count: after }],
    } = await db.query(`SELECT count(*)::int AS count FROM segment`);
    expect(after).toBe(before);
    const {
      rows: [{ count: customers }],
    } = await db.query(`SELECT count(*)::int AS count FROM customer`);
    expect(customers).toBe(data.customers.length + 0);
  });

  it('keeps static lists: add (idempotent), remove, unknown customers refused atomically', async () => {
    const created = await node.gql<{ createSegment: SegmentView }>(
      CREATE,
      { input: { name: 'VIP list', kind: 'STATIC' } },
      marketer,
    );
    const id = created.data!.createSegment.id;
    const [a, b, c] = live.map((x) => x.id);
    const ADD = `mutation($input: SegmentListEditInput!) { addSegmentMembers(input: $input) { size } }`;
    const REMOVE = `mutation($input: SegmentListEditInput!) { removeSegmentMembers(input: $input) { size } }`;
    expect((await node.gql(ADD, { input: { segmentId: id, customerIds: [a, b] } }, marketer)).data).toEqual({
      addSegmentMembers: { size: 2 },
    });
    expect(
      (await node.gql(ADD, { input: { segmentId: id, customerIds: [b, c, c] } }, marketer)).data,
    ).toEqual({
      addSegmentMembers: { size: 3 },
    });
    const unknown = await node.gql(
      ADD,
      { input: { segmentId: id, customerIds: [a, '00000000-0000-4000-8000-000000000000'] } },
      marketer,
    );
    expect(unknown.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'customerIds[1]' });
    const deleted = data.customers.find((x) => x.deleted)!.id;
    const gone = await node.gql(ADD, { input: { segmentId: id, customerIds: [deleted] } }, marketer);
    expect(gone.errors?.[0].extensions).toMatchObject({ field: 'customerIds[0]' });
    const notUuid = await node.gql(
      ADD,
      { input: { segmentId: id, customerIds: ["1' OR 1=1 --"] } },
      marketer,
    );
    expect(notUuid.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'customerIds' });
    expect(
      (await node.gql(REMOVE, { input: { segmentId: id, customerIds: [a, a] } }, marketer)).data,
    ).toEqual({
      removeSegmentMembers: { size: 2 },
    });
    expect(await members(id)).toEqual([b, c].sort());
    const list = await node.gql<{
      segment: {
        members: { nodes: { customerId: string; customer: { id: string } }[] };
        sizeHistory: { size: number }[];
      };
    }>(
      `query($id: ID!) { segment(id: $id) { members(first: 10) { nodes { customerId addedAt customer { id } } } sizeHistory { size } } }`,
      { id },
      marketer,
    );
    expect(list.data!.segment.members.nodes.map((n) => n.customer.id).sort()).toEqual([b, c].sort());
    expect(list.data!.segment.sizeHistory.map((p) => p.size)).toEqual([0, 2, 3, 2]);
    // A rule segment's members come from its rule only.
    const ruled = await createRuleSegment('rule only', { field: 'tags', op: 'has', value: 'b2b' });
    const refused = await node.gql(ADD, { input: { segmentId: ruled.id, customerIds: [a] } }, marketer);
    expect(refused.errors?.[0].extensions).toMatchObject({ field: 'segmentId' });
  });

  it('adds a static list from a CSV of external ids: all lines or none, refused lines by number', async () => {
    const [a, b] = live;
    await db.query(`UPDATE customer SET external_id = $2 WHERE id = $1`, [a!.id, 'CSV-A']);
    await db.query(`UPDATE customer SET external_id = $2 WHERE id = $1`, [b!.id, 'CSV-B']);
    const created = await node.gql<{ createSegment: SegmentView }>(
      CREATE,
      { input: { name: 'CSV list', kind: 'STATIC' } },
      marketer,
    );
    const segmentId = created.data!.createSegment.id;
    const IMPORT = `mutation($input: ImportSegmentMembersInput!) {
      importSegmentMembers(input: $input) { added errors { line message } segment { size } } }`;
    const refused = await node.gql(
      IMPORT,
      { input: { segmentId, csv: 'external_id\nCSV-A\n\nnope-404\n"bad id!",x\n' } },
      marketer,
    );
    expect(refused.data).toEqual({
      importSegmentMembers: {
        added: 0,
        segment: { size: 0 },
        errors: [
          { line: 4, message: 'no customer with external id nope-404' },
          { line: 5, message: '"bad id!" is not an external id' },
        ],
      },
    });
    const csv = 'external_id\r\nCSV-A\r\nCSV-B;ignored\r\nCSV-A\r\n';
    expect((await node.gql(IMPORT, { input: { segmentId, csv } }, marketer)).data).toEqual({
      importSegmentMembers: { added: 2, errors: [], segment: { size: 2 } },
    });
    expect((await node.gql(IMPORT, { input: { segmentId, csv } }, marketer)).data).toEqual({
      importSegmentMembers: { added: 0, errors: [], segment: { size: 2 } },
    });
    expect(await members(segmentId)).toEqual([a!.id, b!.id].sort());
    const empty = await node.gql(IMPORT, { input: { segmentId, csv: 'external_id\n' } }, marketer);
    expect(empty.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'csv' });
    const agent = await node.tokenFor(Role.AGENT);
    const forbidden = await node.gql(IMPORT, { input: { segmentId, csv } }, agent);
    expect(forbidden.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('lets compliance read but not write, and care agents nothing', async () => {
    const compliance = await node.tokenFor(Role.COMPLIANCE);
    const agent = await node.tokenFor(Role.AGENT);
    expect(
      (await node.gql(`{ segments(first: 5) { nodes { id name size } } }`, {}, compliance)).errors,
    ).toBeUndefined();
    const write = await node.gql(CREATE, { input: { name: 'x', kind: 'STATIC' } }, compliance);
    expect(write.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const read = await node.gql(`{ segments(first: 5) { nodes { id } } }`, {}, agent);
    expect(read.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});

describe('segments on the in-process queue (no Redis)', () => {
  let node: TestNode;
  beforeAll(async () => {
    node = await startTestNode('segments-embedded-queue', { REDIS_URL: '' });
  });
  afterAll(async () => node?.close());

  it('refreshes a rule segment without Redis', async () => {
    const token = await node.tokenFor(Role.ADMIN);
    const created = await node.gql<{ createSegment: SegmentView }>(
      CREATE,
      { input: { name: 'leads', kind: 'RULE', rule: { field: 'lifecycle_stage', op: 'eq', value: 'lead' } } },
      token,
    );
    expect(created.errors).toBeUndefined();
    const id = created.data!.createSegment.id;
    for (let i = 0; i < 100; i++) {
      const s = (await node.gql<{ segment: SegmentView }>(GET, { id }, token)).data!.segment;
      if (!s.refreshPending) {
        expect(s.size).toBe(0);
        expect(s.refreshedAt).not.toBeNull();
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('not refreshed');
  });
});
