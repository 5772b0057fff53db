import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { countRows, expectBadInput, expectCode, makeCustomer } from '../interactions/crm-testing.js';
import { startTestNode, type TestNode } from '../testing/test-node.js';
import { Role } from '../users/role.js';

interface LeadData {
  id: string;
  firstName: string;
  email: string | null;
  phone: string | null;
  status: string;
  score: number;
  source: string;
  customerId: string | null;
  convertedAt: string | null;
  owner: { id: string } | null;
}

const FIELDS = `id firstName email phone status score source customerId convertedAt owner { id }`;
const CREATE = `mutation($input: CreateLeadInput!) { createLead(input: $input) { ${FIELDS} } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateLeadInput!) { updateLead(id: $id, input: $input) { ${FIELDS} } }`;
const CONVERT = `mutation($id: ID!, $customerId: ID) {
  convertLead(id: $id, customerId: $customerId) {
    createdCustomer
    lead { ${FIELDS} customer { id } }
    customer { id firstName lastName lifecycleStage emails { address isPrimary } phones { number } owner { id } }
  }
}`;
const LIST = `query($filter: LeadFilter, $sort: LeadSort, $first: Int, $after: String) {
  leads(filter: $filter, sort: $sort, first: $first, after: $after) {
    nodes { id score } pageInfo { hasNextPage endCursor }
  }
}`;

interface Conversion {
  convertLead: {
    createdCustomer: boolean;
    lead: LeadData & { customer: { id: string } };
    customer: {
      id: string;
      firstName: string;
      lastName: string;
      lifecycleStage: string;
      emails: { address: string; isPrimary: boolean }[];
      phones: { number: string }[];
      owner: { id: string } | null;
    };
  };
}

describe('leads and their conversion (real PostgreSQL)', () => {
  let node: TestNode;
  let marketer: { id: string; token: string };

  beforeAll(async () => {
    node = await startTestNode('leads');
    marketer = await node.userFor(Role.MARKETER);
  });
  afterAll(async () => node?.close());

  const create = (input: Record<string, unknown>, token = marketer.token) =>
    node.gql<{ createLead: LeadData }>(
      CREATE,
      { input: { firstName: 'Mary', lastName: 'Somerville', source: 'WEB_FORM', ...input } },
      token,
    );

  it('creates and updates a lead with normalised contact fields', async () => {
    const res = await create({
      email: '  Mary@Example.TEST ',
      phone: '+44 20 7946 0958',
      companyName: 'Royal Society',
      score: 40,
      campaignRef: 'spring-2024',
      ownerId: marketer.id,
    });
    expect(res.errors).toBeUndefined();
    expect(res.data!.createLead).toMatchObject({
      email: 'mary@example.test',
      phone: '+442079460958',
      status: 'NEW',
      score: 40,
      owner: { id: marketer.id },
    });
    const updated = await node.gql<{ updateLead: LeadData }>(
      UPDATE,
      { id: res.data!.createLead.id, input: { status: 'QUALIFIED', score: 85, email: '' } },
      marketer.token,
    );
    expect(updated.data!.updateLead).toMatchObject({ status: 'QUALIFIED', score: 85, email: null });
  });

  it('converts a lead into a new customer, in one transaction', async () => {
    const lead = (
      await create({
        email: 'ada@example.test',
        phone: '+33 1 23 45 67 89',
        ownerId: marketer.id,
        status: 'QUALIFIED',
      })
    ).data!.createLead;
    const res = await node.gql<Conversion>(CONVERT, { id: lead.id }, marketer.token);
    expect(res.errors).toBeUndefined();
    const { createdCustomer, customer, lead: converted } = res.data!.convertLead;
    expect(createdCustomer).toBe(true);
    expect(customer).toMatchObject({
      firstName: 'Mary',
      lastName: 'Somerville',
      lifecycleStage: 'CUSTOMER',
      emails: [{ address: 'ada@example.test', isPrimary: true }],
      phones: [{ number: '+33123456789' }],
      owner: { id: marketer.id },
    });
    expect(converted).toMatchObject({
      status: 'CONVERTED',
      customerId: customer.id,
      customer: { id: customer.id },
    });
    expect(converted.convertedAt).not.toBeNull();

    const customers = await countRows(node, 'customer');
    const again = await node.gql<Conversion>(CONVERT, { id: lead.id }, marketer.token);
    expectCode(again, 'CONFLICT');
    expect(await countRows(node, 'customer')).toBe(customers);
    expectBadInput(
      await node.gql(UPDATE, { id: lead.id, input: { status: 'NEW' } }, marketer.token),
      'status',
    );
  });

  it('converts a lead by linking an existing customer', async () => {
    const customerId = await makeCustomer(node, 'Emmy', 'Noether');
    const lead = (await create({})).data!.createLead;
    const customers = await countRows(node, 'customer');
    const res = await node.gql<Conversion>(CONVERT, { id: lead.id, customerId }, marketer.token);
    expect(res.errors).toBeUndefined();
    expect(res.data!.convertLead.createdCustomer).toBe(false);
    expect(res.data!.convertLead.customer.id).toBe(customerId);
    expect(res.data!.convertLead.lead).toMatchObject({ status: 'CONVERTED', customerId });
    expect(await countRows(node, 'customer')).toBe(customers);
  });

  it('refuses conversions that cannot happen, writing nothing', async () => {
    const lead = (await create({})).data!.createLead;
    const customers = await countRows(node, 'customer');
    expectBadInput(
      await node.gql(CONVERT, { id: lead.id, customerId: randomUUID() }, marketer.token),
      'customerId',
    );
    expectBadInput(
      await node.gql(CONVERT, { id: lead.id, customerId: 'nope' }, marketer.token),
      'customerId',
    );
    const disqualified = (await create({ status: 'DISQUALIFIED' })).data!.createLead;
    expectBadInput(await node.gql(CONVERT, { id: disqualified.id }, marketer.token), 'id');
    expectCode(await node.gql(CONVERT, { id: randomUUID() }, marketer.token), 'NOT_FOUND');
    expect(await countRows(node, 'customer')).toBe(customers);
    const still = await node.gql<{ lead: LeadData }>(
      `query($id: ID!) { lead(id: $id) { ${FIELDS} } }`,
      { id: lead.id },
      marketer.token,
    );
    expect(still.data!.lead).toMatchObject({ status: 'NEW', customerId: null });
  });

  it('refuses bad input naming the field, and writes nothing', async () => {
    const before = await countRows(node, 'lead');
    expectCode(await create({ source: 'CARRIER_PIGEON' }), 'BAD_USER_INPUT');
    expectBadInput(await create({ status: 'CONVERTED' }), 'status');
    expectBadInput(await create({ score: 101 }), 'score');
    expectBadInput(await create({ score: -1 }), 'score');
    expectBadInput(await create({ email: 'not-an-email' }), 'email');
    expectBadInput(await create({ phone: '12' }), 'phone');
    expectBadInput(await create({ firstName: 'x'.repeat(201) }), 'firstName');
    expectBadInput(await create({ companyName: 'x'.repeat(201) }), 'companyName');
    expectBadInput(await create({ campaignRef: 'x'.repeat(201) }), 'campaignRef');
    expectBadInput(await create({ ownerId: randomUUID() }), 'ownerId');
    expect(await countRows(node, 'lead')).toBe(before);
  });

  it('lists by status, source and minimum score, best first, page by page', async () => {
    for (const score of [10, 95, 70, 55, 80]) {
      await create({ source: 'EVENT', score, campaignRef: 'fair' });
    }
    const scores: number[] = [];
    let after: string | null = null;
    do {
      const res: {
        data?: {
          leads: { nodes: { score: number }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
        } | null;
      } = await node.gql(
        LIST,
        {
          filter: { sources: ['EVENT'], minScore: 50, statuses: ['NEW'] },
          sort: 'SCORE_DESC',
          first: 2,
          after,
        },
        marketer.token,
      );
      scores.push(...res.data!.leads.nodes.map((n) => n.score));
      after = res.data!.leads.pageInfo.hasNextPage ? res.data!.leads.pageInfo.endCursor : null;
    } while (after);
    expect(scores).toEqual([95, 80, 70, 55]);
  });

  it('lets marketers and admins write leads, compliance read them, agents nothing', async () => {
    const compliance = await node.tokenFor(Role.COMPLIANCE);
    const agent = await node.tokenFor(Role.AGENT);
    expect((await create({}, await node.tokenFor(Role.ADMIN))).errors).toBeUndefined();
    expectCode(await create({}, compliance), 'FORBIDDEN');
    expectCode(await create({}, agent), 'FORBIDDEN');
    expect((await node.gql(LIST, { first: 1 }, compliance)).errors).toBeUndefined();
    expectCode(await node.gql(LIST, { first: 1 }, agent), 'FORBIDDEN');
  });
});
