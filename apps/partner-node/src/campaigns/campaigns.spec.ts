import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { startTestNode, type TestNode } from '../testing/test-node.js';
import { Role } from '../users/role.js';
import { type Dataset, type SeedCustomer, type SeedOrder, writeDataset } from '../segments/testing/seed.js';

const customer = (): SeedCustomer => ({
  id: randomUUID(),
  lifecycleStage: 'customer',
  language: null,
  country: null,
  tags: [],
  attributes: {},
  deleted: false,
});
const [A, B, C, D, Outsider] = Array.from({ length: 5 }, customer);
const order = (
  who: SeedCustomer,
  at: string,
  cents: number,
  status: SeedOrder['status'] = 'paid',
  currency = 'EUR',
): SeedOrder => ({
  id: randomUUID(),
  customerId: who.id,
  orderedAt: new Date(at),
  status,
  currency,
  lines: [{ category: 'books', quantity: 1, unitCents: cents }],
});

const data: Dataset = {
  customers: [A, B, C, D, Outsider],
  companies: [],
  cases: [],
  orders: [
    order(A, '2025-03-05T10:00:00Z', 12_050),
    order(A, '2025-03-20T10:00:00Z', 2_000),
    order(B, '2025-03-31T23:59:59Z', 5_000, 'delivered', 'USD'),
    order(C, '2025-03-10T10:00:00Z', 9_999, 'cancelled'),
    order(C, '2025-04-01T00:00:00Z', 7_000), // the period ends before
    order(D, '2025-02-28T23:59:59Z', 3_000), // before the period
    order(Outsider, '2025-03-10T10:00:00Z', 50_000), // not in the audience
  ],
};

const FIELDS = `id status audienceSize segment { id name } results { reach responses conversions responseRate conversionRate orders revenue { currency amount } }`;

describe('campaigns: audience snapshot, responses, conversions, results (real PostgreSQL)', () => {
  let node: TestNode;
  let token: string;
  let segmentId: string;
  let db: pg.Client;

  beforeAll(async () => {
    node = await startTestNode('campaigns');
    token = await node.tokenFor(Role.MARKETER);
    await writeDataset(node.db.url, data);
    db = new pg.Client({ connectionString: node.db.url });
    await db.connect();
    const seg = await node.gql<{ createSegment: { id: string } }>(
      `mutation { createSegment(input: { name: "spring list", kind: STATIC }) { id } }`,
      {},
      token,
    );
    segmentId = seg.data!.createSegment.id;
    await node.gql(
      `mutation($input: SegmentListEditInput!) { addSegmentMembers(input: $input) { size } }`,
      { input: { segmentId, customerIds: [A.id, B.id, C.id, D.id] } },
      token,
    );
  });
  afterAll(async () => {
    await db?.end();
    await node?.close();
  });

  const CREATE = `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { ${FIELDS} } }`;
  const input = () => ({
    name: 'Spring books',
    segmentId,
    channel: 'EMAIL',
    startsAt: '2025-03-01T00:00:00Z',
    endsAt: '2025-04-01T00:00:00Z',
  });

  it('runs a campaign end to end and measures it on the snapshot', async () => {
    const created = await node.gql<{
      createCampaign: { id: string; status: string; results: { reach: number; responseRate: number | null } };
    }>(CREATE, { input: input() }, token);
    expect(created.errors).toBeUndefined();
    expect(created.data!.createCampaign).toMatchObject({
      status: 'DRAFT',
      results: { reach: 0, responseRate: null },
    });
    const id = created.data!.createCampaign.id;

    const launched = await node.gql<{ launchCampaign: { status: string; audienceSize: number } }>(
      `mutation($id: ID!) { launchCampaign(id: $id) { ${FIELDS} } }`,
      { id },
      token,
    );
    expect(launched.data!.launchCampaign).toMatchObject({ status: 'LAUNCHED', audienceSize: 4 });
    // The snapshot does not follow the list afterwards; launching again changes nothing.
    await node.gql(
      `mutation($input: SegmentListEditInput!) { removeSegmentMembers(input: $input) { size } }`,
      { input: { segmentId, customerIds: [D.id] } },
      token,
    );
    const again = await node.gql<{ launchCampaign: { audienceSize: number } }>(
      `mutation($id: ID!) { launchCampaign(id: $id) { audienceSize } }`,
      { id },
      token,
    );
    expect(again.data!.launchCampaign.audienceSize).toBe(4);

    const RESPOND = `mutation($input: CampaignResponseInput!) { recordCampaignResponse(input: $input) { id } }`;
    const CONVERT = `mutation($input: CampaignResponseInput!) { recordCampaignConversion(input: $input) { id } }`;
    for (const who of [A, B, A]) {
      expect(
        (await node.gql(RESPOND, { input: { campaignId: id, customerId: who.id } }, token)).errors,
      ).toBeUndefined();
    }
    for (const who of [A, C, C]) {
      expect(
        (await node.gql(CONVERT, { input: { campaignId: id, customerId: who.id } }, token)).errors,
      ).toBeUndefined();
    }
    const outsider = await node.gql(RESPOND, { input: { campaignId: id, customerId: Outsider.id } }, token);
    expect(outsider.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'customerId' });

    const result = await node.gql<{ campaign: { results: unknown } }>(
      `query($id: ID!) { campaign(id: $id) { ${FIELDS} } }`,
      { id },
      token,
    );
    expect(result.data!.campaign).toMatchObject({
      segment: { id: segmentId, name: 'spring list' },
      results: {
        reach: 4,
        responses: 3, // A, B, C (a conversion is a response)
        conversions: 2, // A, C
        responseRate: 0.75,
        conversionRate: 0.5,
        orders: 3,
        revenue: [
          { currency: 'EUR', amount: '140.50' },
          { currency: 'USD', amount: '50.00' },
        ],
      },
    });
    const { rows } = await db.query(
      `SELECT count(*)::int AS n FROM campaign_response WHERE campaign_id = $1`,
      [id],
    );
    expect(rows[0].n).toBe(3);

    const edit = await node.gql(
      `mutation($id: ID!) { updateCampaign(id: $id, input: { name: "late" }) { id } }`,
      { id },
      token,
    );
    expect(edit.errors?.[0].extensions?.code).toBe('CONFLICT');
    const deleteSegment = await node.gql(
      `mutation($id: ID!) { deleteSegment(id: $id) }`,
      { id: segmentId },
      token,
    );
    expect(deleteSegment.errors?.[0].extensions?.code).toBe('CONFLICT');
  });

  it('refuses unknown segments, bad periods and channels, naming the field, and writes nothing', async () => {
    const { rows: before } = await db.query(`SELECT count(*)::int AS n FROM campaign`);
    const cases: [Record<string, unknown>, string][] = [
      [{ segmentId: randomUUID() }, 'segmentId'],
      [{ segmentId: 'not-a-uuid' }, 'segmentId'],
      [{ endsAt: '2025-03-01T00:00:00Z' }, 'endsAt'],
      [{ endsAt: '2025-02-01T00:00:00Z' }, 'endsAt'],
      [{ endsAt: '2030-01-01T00:00:00Z' }, 'endsAt'],
      [{ name: '' }, 'name'],
    ];
    for (const [patch, field] of cases) {
      const res = await node.gql(CREATE, { input: { ...input(), ...patch } }, token);
      expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    const channel = await node.gql(CREATE, { input: { ...input(), channel: 'FAX' } }, token);
    expect(channel.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const draft = await node.gql<{ createCampaign: { id: string } }>(CREATE, { input: input() }, token);
    const id = draft.data!.createCampaign.id;
    const badEdit = await node.gql(
      `mutation($id: ID!, $input: UpdateCampaignInput!) { updateCampaign(id: $id, input: $input) { id } }`,
      { id, input: { startsAt: '2025-05-01T00:00:00Z' } },
      token,
    );
    expect(badEdit.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'endsAt' });
    const notLaunched = await node.gql(
      `mutation($input: CampaignResponseInput!) { recordCampaignResponse(input: $input) { id } }`,
      { input: { campaignId: id, customerId: A.id } },
      token,
    );
    expect(notLaunched.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'campaignId' });
    const { rows: after } = await db.query(`SELECT count(*)::int AS n FROM campaign`);
    expect(after[0].n).toBe(before[0].n + 1);
  });

  it('lets compliance read campaigns, and nobody else but marketers and admins write them', async () => {
    const compliance = await node.tokenFor(Role.COMPLIANCE);
    const agent = await node.tokenFor(Role.AGENT);
    expect(
      (await node.gql(`{ campaigns(first: 5) { nodes { id results { reach } } } }`, {}, compliance)).errors,
    ).toBeUndefined();
    expect((await node.gql(CREATE, { input: input() }, compliance)).errors?.[0].extensions?.code).toBe(
      'FORBIDDEN',
    );
    expect(
      (await node.gql(`{ campaigns(first: 5) { nodes { id } } }`, {}, agent)).errors?.[0].extensions?.code,
    ).toBe('FORBIDDEN');
  });
});
