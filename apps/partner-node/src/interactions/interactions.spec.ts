import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource, type EntityManager } from 'typeorm';
import { CareCasesService } from '../care-cases/care-cases.service.js';
import { startTestNode, type TestNode } from '../testing/test-node.js';
import { Role } from '../users/role.js';
import {
  careStatementsOf,
  comparableRows,
  countRows,
  expectBadInput,
  expectCode,
  expectRefused,
  makeCustomer,
} from './crm-testing.js';
import { InteractionChannel, InteractionDirection } from './interaction.enums.js';
import type { CreateInteractionInput } from './interactions.dto.js';
import { InteractionsService } from './interactions.service.js';

interface InteractionData {
  id: string;
  channel: string;
  direction: string;
  subject: string | null;
  summary: string | null;
  occurredAt: string;
  agent: { id: string } | null;
  customer: { id: string };
  careCase: { id: string } | null;
}

const FIELDS = `id channel direction subject summary occurredAt agent { id } customer { id } careCase { id }`;
const CREATE = `mutation($input: CreateInteractionInput!) { createInteraction(input: $input) { ${FIELDS} } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateInteractionInput!) { updateInteraction(id: $id, input: $input) { ${FIELDS} } }`;
const LIST = `query($filter: InteractionFilter, $first: Int, $after: String, $sort: InteractionSort) {
  interactions(filter: $filter, first: $first, after: $after, sort: $sort) {
    nodes { id occurredAt } pageInfo { hasNextPage endCursor }
  }
}`;

describe('interactions (real PostgreSQL)', () => {
  let node: TestNode;
  let agent: { id: string; token: string };
  let admin: string;
  let customerId: string;
  let otherCustomerId: string;

  beforeAll(async () => {
    node = await startTestNode('interactions');
    agent = await node.userFor(Role.AGENT);
    admin = await node.tokenFor(Role.ADMIN);
    customerId = await makeCustomer(node);
    otherCustomerId = await makeCustomer(node, 'Grace', 'Hopper');
  });
  afterAll(async () => node?.close());

  const create = (input: Record<string, unknown>, token = agent.token) =>
    node.gql<{ createInteraction: InteractionData }>(CREATE, { input }, token);

  it('records an interaction on each channel; the agent defaults to the caller', async () => {
    for (const channel of ['PHONE', 'EMAIL', 'FAX', 'CHAT', 'SOCIAL', 'IN_PERSON', 'WEB']) {
      const res = await create({ customerId, channel, direction: 'INBOUND', subject: `About ${channel}` });
      expect(res.errors).toBeUndefined();
      expect(res.data!.createInteraction).toMatchObject({
        channel,
        direction: 'INBOUND',
        agent: { id: agent.id },
        customer: { id: customerId },
        careCase: null,
      });
    }
  });

  it('links an interaction to a case of the same customer, and updates it', async () => {
    const kase = await node.gql<{ createCareCase: { id: string } }>(
      `mutation($input: CreateCareCaseInput!) { createCareCase(input: $input) { id } }`,
      { input: { customerId, subject: 'Broken kettle' } },
      agent.token,
    );
    const caseId = kase.data!.createCareCase.id;
    const created = await create({
      customerId,
      channel: 'PHONE',
      direction: 'OUTBOUND',
      summary: 'Called back',
      careCaseId: caseId,
      occurredAt: '2024-05-01T10:00:00.123Z',
    });
    expect(created.data!.createInteraction).toMatchObject({
      careCase: { id: caseId },
      occurredAt: '2024-05-01T10:00:00.123Z',
    });
    const id = created.data!.createInteraction.id;
    const updated = await node.gql<{ updateInteraction: InteractionData }>(
      UPDATE,
      {
        id,
        input: { summary: '  Called back, replacement sent  ', subject: 'Replacement', careCaseId: null },
      },
      admin,
    );
    expect(updated.errors).toBeUndefined();
    expect(updated.data!.updateInteraction).toMatchObject({
      summary: 'Called back, replacement sent',
      subject: 'Replacement',
      careCase: null,
      channel: 'PHONE',
    });
    const one = await node.gql<{ interaction: { id: string } }>(
      `query($id: ID!) { interaction(id: $id) { id } }`,
      { id },
      agent.token,
    );
    expect(one.data!.interaction.id).toBe(id);
    expectCode(
      await node.gql(`query($id: ID!) { interaction(id: $id) { id } }`, { id: randomUUID() }, agent.token),
      'NOT_FOUND',
    );
  });

  it('lists by customer, filters, and pages by keyset with no gaps or duplicates', async () => {
    const base = Date.parse('2023-01-01T00:00:00Z');
    for (let i = 0; i < 7; i++) {
      const res = await create({
        customerId: otherCustomerId,
        channel: i % 2 ? 'EMAIL' : 'CHAT',
        direction: 'INBOUND',
        // Two interactions at the same instant: the id breaks the tie.
        occurredAt: new Date(base + Math.floor(i / 2) * 60_000).toISOString(),
      });
      expect(res.errors).toBeUndefined();
    }
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const res: Awaited<
        ReturnType<
          typeof node.gql<{
            interactions: {
              nodes: { id: string; occurredAt: string }[];
              pageInfo: { hasNextPage: boolean; endCursor: string | null };
            };
          }>
        >
      > = await node.gql(LIST, { filter: { customerId: otherCustomerId }, first: 3, after }, agent.token);
      expect(res.errors).toBeUndefined();
      seen.push(...res.data!.interactions.nodes.map((n) => n.id));
      after = res.data!.interactions.pageInfo.hasNextPage ? res.data!.interactions.pageInfo.endCursor : null;
      pages++;
    } while (after);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);

    const all = await node.gql<{ interactions: { nodes: { id: string; occurredAt: string }[] } }>(
      LIST,
      { filter: { customerId: otherCustomerId }, first: 50 },
      agent.token,
    );
    expect(all.data!.interactions.nodes.map((n) => n.id)).toEqual(seen);
    const times = all.data!.interactions.nodes.map((n) => n.occurredAt);
    expect([...times].sort().reverse()).toEqual(times);

    const emails = await node.gql<{ interactions: { nodes: unknown[] } }>(
      LIST,
      { filter: { customerId: otherCustomerId, channels: ['EMAIL'] }, first: 50 },
      agent.token,
    );
    expect(emails.data!.interactions.nodes).toHaveLength(3);
  });

  it('refuses bad input naming the field, and writes nothing', async () => {
    const before = await countRows(node, 'interaction');
    const ok = { customerId, channel: 'PHONE', direction: 'INBOUND' };
    expectCode(await create({ ...ok, channel: 'PIGEON' }), 'BAD_USER_INPUT');
    expectCode(await create({ ...ok, direction: 'SIDEWAYS' }), 'BAD_USER_INPUT');
    expectBadInput(await create({ ...ok, subject: 'x'.repeat(201) }), 'subject');
    expectBadInput(await create({ ...ok, summary: 'x'.repeat(10001) }), 'summary');
    expectBadInput(await create({ ...ok, customerId: randomUUID() }), 'customerId');
    expectBadInput(await create({ ...ok, customerId: 'not-a-uuid' }), 'customerId');
    expectBadInput(await create({ ...ok, agentId: randomUUID() }), 'agentId');
    expectBadInput(await create({ ...ok, careCaseId: randomUUID() }), 'careCaseId');
    expectBadInput(
      await create({ ...ok, occurredAt: new Date(Date.now() + 86_400_000).toISOString() }),
      'occurredAt',
    );
    const otherCase = await node.gql<{ createCareCase: { id: string } }>(
      `mutation($input: CreateCareCaseInput!) { createCareCase(input: $input) { id } }`,
      { input: { customerId: otherCustomerId, subject: 'Other' } },
      agent.token,
    );
    expectBadInput(await create({ ...ok, careCaseId: otherCase.data!.createCareCase.id }), 'careCaseId');
    // The references are checked in one statement; the first bad one, in the input's order, is named.
    expectBadInput(
      await create({ ...ok, customerId: randomUUID(), agentId: randomUUID(), careCaseId: randomUUID() }),
      'customerId',
    );
    expectBadInput(await create({ ...ok, agentId: 'not-a-uuid', careCaseId: randomUUID() }), 'agentId');
    expect(await countRows(node, 'interaction')).toBe(before);
    // An update may not move an interaction to another customer's case, nor to an unknown agent.
    const mine = await create(ok);
    const id = mine.data!.createInteraction.id;
    const update = (input: Record<string, unknown>) => node.gql(UPDATE, { id, input }, agent.token);
    expectBadInput(await update({ careCaseId: otherCase.data!.createCareCase.id }), 'careCaseId');
    expectBadInput(await update({ agentId: randomUUID() }), 'agentId');
  });

  describe('batches (createManyIn)', () => {
    const service = () => node.app.get(InteractionsService);
    const inTransaction = <T>(work: (manager: EntityManager) => Promise<T>) =>
      node.app.get(DataSource).transaction(work);
    const openCase = (customer: string) =>
      inTransaction((manager) =>
        node.app.get(CareCasesService).createIn(manager, { customerId: customer, subject: 'Batch case' }),
      );
    const history = (customer: string, careCaseId: string): CreateInteractionInput[] => [
      {
        customerId: customer,
        channel: InteractionChannel.PHONE,
        direction: InteractionDirection.INBOUND,
        subject: 'Call',
        summary: 'Asked for a refund',
        careCaseId,
        occurredAt: new Date('2024-05-01T10:00:00.123Z'),
      },
      {
        customerId: customer,
        channel: InteractionChannel.EMAIL,
        direction: InteractionDirection.OUTBOUND,
        careCaseId,
        agentId: null,
        occurredAt: new Date('2024-05-02T10:00:00.000Z'),
      },
      {
        customerId: customer,
        channel: InteractionChannel.WEB,
        direction: InteractionDirection.INBOUND,
        agentId: agent.id,
        occurredAt: new Date('2024-05-03T10:00:00.000Z'),
      },
    ];
    const interactionsOf = async (customer: string) => {
      const rows = await comparableRows(
        node,
        `SELECT i.*, (i.care_case_id IS NOT NULL) AS in_case
           FROM interaction i WHERE customer_id = $1 ORDER BY occurred_at`,
        [customer],
        { omit: ['id', 'customer_id', 'care_case_id'], stamped: ['created_at', 'updated_at'] },
      );
      return rows;
    };

    it('writes what the single calls write: the agent defaults to the caller, one check, one INSERT', async () => {
      const [one, many] = [
        await makeCustomer(node, 'Single', 'Calls'),
        await makeCustomer(node, 'One', 'Batch'),
      ];
      const [oneCase, manyCase] = [await openCase(one), await openCase(many)];
      await inTransaction(async (manager) => {
        for (const input of history(one, oneCase)) await service().createIn(manager, input, agent.id);
      });
      const statements = await careStatementsOf(node, () =>
        inTransaction(async (manager) => {
          const ids = await service().createManyIn(manager, history(many, manyCase), agent.id);
          expect(ids).toHaveLength(3);
          expect(new Set(ids).size).toBe(3);
        }),
      );
      expect(statements).toBe(2);
      const written = await interactionsOf(many);
      expect(written).toEqual(await interactionsOf(one));
      expect(written.map((i) => [i.channel, i.agent_id, i.in_case])).toEqual([
        ['phone', agent.id, true],
        ['email', null, true],
        ['web', agent.id, false],
      ]);
    });

    it('refuses a batch with a wrong item, naming the item and field, and writes nothing', async () => {
      const customer = await makeCustomer(node, 'Batch', 'Refused');
      const own = await openCase(customer);
      const others = await openCase(otherCustomerId);
      const ok = history(customer, own);
      const before = await countRows(node, 'interaction');
      const refused = (inputs: CreateInteractionInput[], field: string) =>
        expectRefused(
          inTransaction((manager) => service().createManyIn(manager, inputs, agent.id)),
          field,
        );
      await refused([ok[0]!, { ...ok[1]!, customerId: randomUUID() }], 'interactions[1].customerId');
      await refused([ok[0]!, ok[1]!, { ...ok[2]!, agentId: randomUUID() }], 'interactions[2].agentId');
      await refused([ok[0]!, { ...ok[1]!, careCaseId: randomUUID() }], 'interactions[1].careCaseId');
      const foreign = await refused(
        [ok[0]!, { ...ok[1]!, careCaseId: others }],
        'interactions[1].careCaseId',
      );
      expect(foreign.message).toMatch(/another customer/);
      await refused(
        [ok[0]!, ok[1]!, { ...ok[2]!, occurredAt: new Date(Date.now() + 86_400_000) }],
        'interactions[2].occurredAt',
      );
      // Items in order, fields in each item's order: the first wrong one is named.
      await refused(
        [
          ok[0]!,
          { ...ok[1]!, agentId: randomUUID(), careCaseId: others },
          { ...ok[2]!, customerId: randomUUID() },
        ],
        'interactions[1].agentId',
      );
      expect(await countRows(node, 'interaction')).toBe(before);
    });
  });

  it('lets agents and admins write, compliance read only, marketers nothing', async () => {
    const ok = { customerId, channel: 'WEB', direction: 'INBOUND' };
    const compliance = await node.tokenFor(Role.COMPLIANCE);
    const marketer = await node.tokenFor(Role.MARKETER);
    expect((await create(ok, admin)).errors).toBeUndefined();
    expectCode(await create(ok, compliance), 'FORBIDDEN');
    expectCode(await create(ok, marketer), 'FORBIDDEN');
    expect((await node.gql(LIST, { first: 5 }, compliance)).errors).toBeUndefined();
    expectCode(await node.gql(LIST, { first: 5 }, marketer), 'FORBIDDEN');
  });
});
