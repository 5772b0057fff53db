import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { expectBadInput, expectCode, makeCustomer } from '../interactions/crm-testing.js';
import { startTestNode, type TestNode } from '../testing/test-node.js';
import { Role } from '../users/role.js';

interface Item {
  kind: string;
  recordId: string;
  occurredAt: string;
  title: string;
  summary: string | null;
  origin: string;
  originPartnerId: string | null;
  consentId: string | null;
  signatureStatus: string | null;
  retentionEndsAt: string | null;
  record: { __typename: string; id: string; total?: { amount: string }; channel?: string; status?: string };
}
interface Page {
  customerTimeline: {
    nodes: Item[];
    edges: { cursor: string }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}

const TIMELINE = `query($customerId: ID!, $first: Int, $after: String, $kinds: [TimelineKind!]) {
  customerTimeline(customerId: $customerId, first: $first, after: $after, kinds: $kinds) {
    nodes {
      kind recordId occurredAt title summary origin originPartnerId consentId signatureStatus retentionEndsAt
      record {
        __typename
        ... on Interaction { id channel }
        ... on CareCase { id status }
        ... on Order { id total { amount } }
      }
    }
    edges { cursor }
    pageInfo { hasNextPage endCursor }
  }
}`;

const RANK: Record<string, number> = { INTERACTION: 1, CARE_CASE: 2, ORDER: 3 };

describe('customer timeline (real PostgreSQL)', () => {
  let node: TestNode;
  let agent: string;
  let customerId: string;
  /** What the timeline must return, newest first. */
  const expected: { kind: string; id: string; at: string }[] = [];

  beforeAll(async () => {
    node = await startTestNode('timeline');
    agent = await node.tokenFor(Role.AGENT);
    customerId = await makeCustomer(node);
    const other = await makeCustomer(node, 'Someone', 'Else');
    const base = Date.parse('2024-01-01T09:00:00.000Z');
    // 3 records per minute for 6 minutes, several of them at the very same instant, across kinds.
    for (let i = 0; i < 18; i++) {
      const at = new Date(base + Math.floor(i / 3) * 60_000 + (i % 3 === 2 ? 1 : 0)).toISOString();
      const kind = ['INTERACTION', 'CARE_CASE', 'ORDER'][i % 3 === 2 ? 2 : (i * 7) % 2];
      let id: string;
      if (kind === 'INTERACTION') {
        const res = await node.gql<{ createInteraction: { id: string } }>(
          `mutation($input: CreateInteractionInput!) { createInteraction(input: $input) { id } }`,
          {
            input: {
              customerId,
              channel: 'PHONE',
              direction: 'INBOUND',
              subject: `Call ${i}`,
              occurredAt: at,
            },
          },
          agent,
        );
        id = res.data!.createInteraction.id;
      } else if (kind === 'CARE_CASE') {
        const res = await node.gql<{ createCareCase: { id: string } }>(
          `mutation($input: CreateCareCaseInput!) { createCareCase(input: $input) { id } }`,
          { input: { customerId, subject: `Case ${i}`, openedAt: at } },
          agent,
        );
        id = res.data!.createCareCase.id;
      } else {
        const res = await node.gql<{ createOrder: { id: string } }>(
          `mutation($input: CreateOrderInput!) { createOrder(input: $input) { id } }`,
          {
            input: {
              customerId,
              orderedAt: at,
              channel: 'WEB',
              currency: 'EUR',
              lines: [{ sku: 'S', productName: 'P', quantity: 3, unitPrice: '19.99' }],
            },
          },
          agent,
        );
        id = res.data!.createOrder.id;
      }
      expect(id).toBeDefined();
      expected.push({ kind, id, at });
    }
    // Another customer's history never shows.
    await node.gql(
      `mutation($input: CreateInteractionInput!) { createInteraction(input: $input) { id } }`,
      { input: { customerId: other, channel: 'CHAT', direction: 'INBOUND' } },
      agent,
    );
    expected.sort((a, b) =>
      a.at !== b.at
        ? a.at < b.at
          ? 1
          : -1
        : RANK[a.kind] !== RANK[b.kind]
          ? RANK[b.kind] - RANK[a.kind]
          : a.id < b.id
            ? 1
            : -1,
    );
  });
  afterAll(async () => node?.close());

  const page = (variables: Record<string, unknown>, token = agent) =>
    node.gql<Page>(TIMELINE, { customerId, ...variables }, token);

  it('merges interactions, cases and orders newest first, with their records', async () => {
    const res = await page({ first: 50 });
    expect(res.errors).toBeUndefined();
    const nodes = res.data!.customerTimeline.nodes;
    expect(nodes.map((n) => [n.kind, n.recordId])).toEqual(expected.map((e) => [e.kind, e.id]));
    expect(res.data!.customerTimeline.pageInfo.hasNextPage).toBe(false);
    for (const n of nodes) {
      expect(n.record.id).toBe(n.recordId);
      expect(n).toMatchObject({
        origin: 'LOCAL',
        originPartnerId: null,
        consentId: null,
        signatureStatus: null,
        retentionEndsAt: null,
      });
    }
    const order = nodes.find((n) => n.kind === 'ORDER')!;
    expect(order.record).toMatchObject({ __typename: 'Order', total: { amount: '59.97' } });
    expect(order.title).toMatch(/^Order ORD-/);
    expect(order.summary).toBe('PENDING, 59.97 EUR');
    expect(nodes.find((n) => n.kind === 'CARE_CASE')!.record.__typename).toBe('CareCase');
    expect(nodes.find((n) => n.kind === 'INTERACTION')!.title).toMatch(/^Call /);
  });

  it('pages through the history with no gaps or duplicates, whatever the page size', async () => {
    for (const size of [1, 2, 4, 5, 17]) {
      const seen: string[] = [];
      let after: string | null = null;
      let guard = 0;
      do {
        const res: Awaited<ReturnType<typeof page>> = await page({ first: size, after });
        expect(res.errors).toBeUndefined();
        const { nodes, pageInfo } = res.data!.customerTimeline;
        expect(nodes.length).toBeLessThanOrEqual(size);
        seen.push(...nodes.map((n) => n.recordId));
        after = pageInfo.hasNextPage ? pageInfo.endCursor : null;
      } while (after && ++guard < 100);
      expect(seen).toEqual(expected.map((e) => e.id));
    }
  });

  it('filters by kind', async () => {
    const res = await page({ first: 50, kinds: ['ORDER', 'CARE_CASE'] });
    expect(res.data!.customerTimeline.nodes.map((n) => n.recordId)).toEqual(
      expected.filter((e) => e.kind !== 'INTERACTION').map((e) => e.id),
    );
    const two: string[] = [];
    let after: string | null = null;
    do {
      const r: Awaited<ReturnType<typeof page>> = await page({ first: 2, after, kinds: ['INTERACTION'] });
      two.push(...r.data!.customerTimeline.nodes.map((n) => n.recordId));
      after = r.data!.customerTimeline.pageInfo.hasNextPage
        ? r.data!.customerTimeline.pageInfo.endCursor
        : null;
    } while (after);
    expect(two).toEqual(expected.filter((e) => e.kind === 'INTERACTION').map((e) => e.id));
  });

  it('refuses unknown customers, bad cursors and bad arguments', async () => {
    expectCode(await node.gql(TIMELINE, { customerId: randomUUID() }, agent), 'NOT_FOUND');
    expectBadInput(await page({ after: 'garbage' }), 'after');
    expectBadInput(await page({ after: Buffer.from('["x",1,"y"]').toString('base64url') }), 'after');
    expectBadInput(await page({ first: 0 }), 'first');
    expectBadInput(await page({ first: 201 }), 'first');
    expectCode(await page({ kinds: ['INVOICE'] }), 'BAD_USER_INPUT');
    expectBadInput(await node.gql(TIMELINE, { customerId: 'nope' }, agent), 'customerId');
  });

  it('is open to admins, agents and compliance officers, not to marketers', async () => {
    for (const role of [Role.ADMIN, Role.COMPLIANCE]) {
      expect((await page({ first: 3 }, await node.tokenFor(role))).errors).toBeUndefined();
    }
    expectCode(await page({ first: 3 }, await node.tokenFor(Role.MARKETER)), 'FORBIDDEN');
    expectCode(await node.gql(TIMELINE, { customerId }), 'UNAUTHENTICATED');
  });
});
