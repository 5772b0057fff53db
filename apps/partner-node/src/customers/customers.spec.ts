import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Logger } from 'typeorm';
import { DataSource } from 'typeorm';
import pg from 'pg';
import { startTestNode, type GqlResponse, type TestNode } from '../testing/test-node.js';
import { Role } from '../users/role.js';
import {
  customerSearchStatement,
  customerSearchStatements,
  nameKey,
  nameVariants,
  nameWords,
  pgRunQuery,
  type RunQuery,
  searchCustomerRows,
} from './customer-search.js';
import { CUSTOMER_QUERIES } from './customers.queries.js';
import { CustomersService } from './customers.service.js';

interface CustomerOut {
  id: string;
  firstName: string;
  lastName: string;
  displayName: string;
  language: string | null;
  lifecycleStage: string;
  tags: string[];
  attributes: Record<string, unknown>;
  externalId: string | null;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
  address: Record<string, string | null>;
  emails: { address: string; isPrimary: boolean }[];
  phones: { number: string; isPrimary: boolean }[];
  owner: { id: string } | null;
}

const FIELDS = `id firstName lastName displayName language lifecycleStage tags attributes externalId
  createdAt updatedAt deletedAt
  address { line1 line2 postalCode city region country }
  emails { address isPrimary } phones { number isPrimary } owner { id }`;
const CREATE = `mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { ${FIELDS} } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateCustomerInput!) { updateCustomer(id: $id, input: $input) { ${FIELDS} } }`;
const GET = `query($id: ID!) { customer(id: $id) { ${FIELDS} } }`;
const LIST = `query($filter: CustomerFilter, $sort: CustomerSort, $first: Int, $after: String) {
  customers(filter: $filter, sort: $sort, first: $first, after: $after) {
    nodes { id lastName createdAt updatedAt } pageInfo { hasNextPage endCursor } } }`;
const SEARCH = `query($query: String!, $first: Int) { searchCustomers(query: $query, first: $first) { id displayName } }`;

function ok<T>(response: GqlResponse<T>): T {
  if (response.errors) throw new Error(JSON.stringify(response.errors));
  return response.data!;
}

describe('customers (real PostgreSQL)', () => {
  let node: TestNode;
  let db: DataSource;
  let admin: string;
  let agent: string;
  let ownerId: string;

  const create = async (input: Record<string, unknown>, token = agent) =>
    ok(await node.gql<{ createCustomer: CustomerOut }>(CREATE, { input }, token)).createCustomer;
  const count = async (table: string) =>
    Number(((await db.query(`SELECT count(*)::int AS n FROM ${table}`)) as { n: number }[])[0].n);

  beforeAll(async () => {
    node = await startTestNode('customers');
    db = node.app.get(DataSource);
    admin = await node.tokenFor(Role.ADMIN);
    const agentUser = await node.userFor(Role.AGENT);
    agent = agentUser.token;
    ownerId = agentUser.id;
  });
  afterAll(async () => node?.close());

  describe('create, read, update', () => {
    it('creates a customer with normalised contact points, address, language, tags and attributes', async () => {
      const customer = await create({
        firstName: ' Ada ',
        lastName: 'Lovelace',
        emails: [{ address: ' Ada@Example.TEST ' }, { address: 'ada2@example.test' }],
        phones: [{ number: '+33 1 23 45 67 89' }, { number: '0044 20 7946 0000', primary: true }],
        address: { line1: '1 rue X', city: 'Paris', postalCode: '75001', country: 'fr' },
        language: 'en-gb',
        tags: ['vip', 'vip', 'press'],
        attributes: { score: 3, newsletter: true, segment: 'a' },
        externalId: 'ext-ada',
        ownerId,
      });
      expect(customer).toMatchObject({
        firstName: 'Ada',
        displayName: 'Ada Lovelace',
        language: 'en-GB',
        lifecycleStage: 'LEAD',
        tags: ['vip', 'press'],
        emails: [
          { address: 'ada@example.test', isPrimary: true },
          { address: 'ada2@example.test', isPrimary: false },
        ],
        phones: [
          { number: '+442079460000', isPrimary: true },
          { number: '+33123456789', isPrimary: false },
        ],
        address: { line1: '1 rue X', line2: null, city: 'Paris', postalCode: '75001', country: 'FR' },
        attributes: { score: 3, newsletter: true, segment: 'a' },
        externalId: 'ext-ada',
        owner: { id: ownerId },
        deletedAt: null,
      });
      const read = ok(await node.gql<{ customer: CustomerOut }>(GET, { id: customer.id }, admin)).customer;
      expect(read).toEqual(customer);
    });

    it('the service exports get, findByIds and assertExists for other features', async () => {
      const service = node.app.get(CustomersService);
      const a = await create({ firstName: 'Svc', lastName: 'One' });
      expect((await service.get(a.id)).lastName).toBe('One');
      expect((await service.findByIds([a.id, a.id, 'nope'])).map((c) => c.id)).toEqual([a.id]);
      await expect(service.assertExists(a.id)).resolves.toBeUndefined();
      await expect(service.assertExists('00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
      await expect(service.get('not-a-uuid')).rejects.toMatchObject({ code: 'NOT_FOUND' });

      // create() can join a caller's transaction, and rolls back with it.
      const before = await count('customer');
      await expect(
        db.transaction(async (manager) => {
          const inside = await service.create(
            { firstName: 'Rolled', lastName: 'Back', emails: [{ address: 'rb@example.test' }] },
            manager,
          );
          expect(inside.lastName).toBe('Back');
          throw new Error('caller fails later');
        }),
      ).rejects.toThrow('caller fails later');
      expect(await count('customer')).toBe(before);
    });

    it('updates only what is given, clears nullable fields with null, and replaces e-mails and phones', async () => {
      const c = await create({
        firstName: 'Grace',
        lastName: 'Hopper',
        emails: [{ address: 'grace@example.test' }],
        language: 'en',
        address: { city: 'New York', country: 'US' },
        ownerId,
      });
      await new Promise((resolve) => setTimeout(resolve, 5));
      const updated = ok(
        await node.gql<{ updateCustomer: CustomerOut }>(
          UPDATE,
          {
            id: c.id,
            input: {
              lifecycleStage: 'CUSTOMER',
              language: null,
              address: null,
              ownerId: null,
              emails: [{ address: 'new@example.test' }, { address: 'grace@example.test', primary: true }],
            },
          },
          agent,
        ),
      ).updateCustomer;
      expect(updated).toMatchObject({
        firstName: 'Grace',
        lifecycleStage: 'CUSTOMER',
        language: null,
        owner: null,
        address: { city: null, country: null },
        emails: [
          { address: 'grace@example.test', isPrimary: true },
          { address: 'new@example.test', isPrimary: false },
        ],
      });
      expect(new Date(updated.updatedAt).getTime()).toBeGreaterThan(new Date(c.updatedAt).getTime());

      const cleared = ok(
        await node.gql<{ updateCustomer: CustomerOut }>(UPDATE, { id: c.id, input: { emails: [] } }, agent),
      ).updateCustomer;
      expect(cleared.emails).toEqual([]);
    });

    it('enforces one primary per customer in the database too', async () => {
      const c = await create({
        firstName: 'Two',
        lastName: 'Primaries',
        emails: [{ address: 'p1@example.test' }],
      });
      await expect(
        db.query(
          `INSERT INTO customer_email (customer_id, address, is_primary) VALUES ($1, 'p2@example.test', true)`,
          [c.id],
        ),
      ).rejects.toThrow(/customer_email_one_primary/);
    });
  });

  describe('bad input is refused, naming the field, and nothing is written', () => {
    const valid = { firstName: 'Bad', lastName: 'Input' };
    const cases: [string, Record<string, unknown>, string, string][] = [
      ['invalid e-mail', { emails: [{ address: 'not-an-email' }] }, 'BAD_USER_INPUT', 'emails[0].address'],
      ['invalid phone', { phones: [{ number: '12' }] }, 'BAD_USER_INPUT', 'phones[0].number'],
      ['phone with letters', { phones: [{ number: '+33 1 CALL ME' }] }, 'BAD_USER_INPUT', 'phones[0].number'],
      ['unknown country', { address: { country: 'XX' } }, 'BAD_USER_INPUT', 'address.country'],
      ['country that is not a code', { address: { country: 'France' } }, 'BAD_USER_INPUT', 'address.country'],
      ['bad language', { language: 'not a language!' }, 'BAD_USER_INPUT', 'language'],
      ['unknown lifecycle stage', { lifecycleStage: 'VIP' }, 'BAD_USER_INPUT', ''],
      ['oversized first name', { firstName: 'x'.repeat(201) }, 'BAD_USER_INPUT', 'firstName'],
      ['empty last name', { lastName: '   ' }, 'BAD_USER_INPUT', 'lastName'],
      ['oversized address line', { address: { line1: 'x'.repeat(201) } }, 'BAD_USER_INPUT', 'address.line1'],
      ['too many tags', { tags: Array.from({ length: 51 }, (_, i) => `t${i}`) }, 'BAD_USER_INPUT', 'tags'],
      ['oversized tag', { tags: ['x'.repeat(51)] }, 'BAD_USER_INPUT', 'tags'],
      ['nested attributes', { attributes: { a: { b: 1 } } }, 'BAD_USER_INPUT', 'attributes'],
      ['attributes with a list', { attributes: { a: [1] } }, 'BAD_USER_INPUT', 'attributes'],
      ['attributes too large', { attributes: { big: 'x'.repeat(9000) } }, 'BAD_USER_INPUT', 'attributes'],
      ['attributes not an object', { attributes: [1, 2] }, 'BAD_USER_INPUT', ''],
      [
        'two primary e-mails',
        {
          emails: [
            { address: 'a@example.test', primary: true },
            { address: 'b@example.test', primary: true },
          ],
        },
        'BAD_USER_INPUT',
        'emails',
      ],
      [
        'two primary phones',
        {
          phones: [
            { number: '+33123456781', primary: true },
            { number: '+33123456782', primary: true },
          ],
        },
        'BAD_USER_INPUT',
        'phones',
      ],
      [
        'the same e-mail twice',
        { emails: [{ address: 'a@example.test' }, { address: 'A@example.test' }] },
        'BAD_USER_INPUT',
        'emails[1]',
      ],
      [
        'owner from nowhere',
        { ownerId: '00000000-0000-4000-8000-000000000000' },
        'BAD_USER_INPUT',
        'ownerId',
      ],
      ['owner id not a uuid', { ownerId: 'bob' }, 'BAD_USER_INPUT', 'ownerId'],
      ['oversized external id', { externalId: 'x'.repeat(201) }, 'BAD_USER_INPUT', 'externalId'],
      ['unknown field', { nickname: 'Bob' }, 'BAD_USER_INPUT', ''],
    ];

    it.each(cases)('%s', async (_name, patch, code, field) => {
      const before = [await count('customer'), await count('customer_email'), await count('customer_phone')];
      const response = await node.gql(CREATE, { input: { ...valid, ...patch } }, agent);
      expect(response.errors?.[0]?.extensions?.code).toBe(code);
      if (field) expect(response.errors![0].extensions!.field).toBe(field);
      expect([await count('customer'), await count('customer_email'), await count('customer_phone')]).toEqual(
        before,
      );
    });

    it('refuses a taken external id with CONFLICT and writes nothing, e-mails included', async () => {
      await create({ ...valid, externalId: 'dup-ext' });
      const before = [await count('customer'), await count('customer_email')];
      const again = await node.gql(
        CREATE,
        { input: { ...valid, externalId: 'dup-ext', emails: [{ address: 'dup@example.test' }] } },
        agent,
      );
      expect(again.errors![0].extensions).toMatchObject({ code: 'CONFLICT', field: 'externalId' });
      expect([await count('customer'), await count('customer_email')]).toEqual(before);
    });

    it('an update that breaks a rule changes nothing (one transaction)', async () => {
      const c = await create({ ...valid, emails: [{ address: 'keep@example.test' }] });
      const bad = await node.gql(
        UPDATE,
        {
          id: c.id,
          input: {
            lastName: 'Changed',
            emails: [{ address: 'other@example.test' }],
            ownerId: '00000000-0000-4000-8000-000000000000',
          },
        },
        agent,
      );
      expect(bad.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'ownerId' });
      const after = ok(await node.gql<{ customer: CustomerOut }>(GET, { id: c.id }, agent)).customer;
      expect(after.lastName).toBe('Input');
      expect(after.emails).toEqual([{ address: 'keep@example.test', isPrimary: true }]);

      const nullName = await node.gql(UPDATE, { id: c.id, input: { firstName: null } }, agent);
      expect(nullName.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'firstName' });
    });

    it('an unknown or malformed customer id is NOT_FOUND', async () => {
      for (const id of ['00000000-0000-4000-8000-000000000000', 'nope']) {
        expect((await node.gql(GET, { id }, agent)).errors![0].extensions!.code).toBe('NOT_FOUND');
        expect(
          (await node.gql(UPDATE, { id, input: { firstName: 'X' } }, agent)).errors![0].extensions!.code,
        ).toBe('NOT_FOUND');
      }
    });
  });

  describe('list: filters, sorts and keyset pagination', () => {
    const TAG = 'paging';
    let ids: string[];

    beforeAll(async () => {
      const last = ['Martin', 'Bernard', 'Martin', 'Dubois', 'Zola', 'Martin', 'Abel'];
      ids = [];
      for (let i = 0; i < 23; i++) {
        const c = await create({
          firstName: `P${i}`,
          lastName: last[i % last.length],
          tags: [TAG, i % 2 ? 'odd' : 'even'],
          lifecycleStage: ['LEAD', 'PROSPECT', 'CUSTOMER', 'CHURNED'][i % 4],
          language: i % 3 ? 'fr' : 'en-GB',
          address: { country: i % 5 ? 'FR' : 'BE' },
          ownerId: i % 6 === 0 ? ownerId : undefined,
        });
        ids.push(c.id);
      }
    });

    interface Row {
      id: string;
      lastName: string;
      createdAt: string;
      updatedAt: string;
    }
    interface Page {
      customers: { nodes: Row[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
    }

    async function all(filter: Record<string, unknown>, sort: string, first = 5): Promise<Row[]> {
      const seen: Row[] = [];
      let after: string | null = null;
      for (let pages = 0; pages < 50; pages++) {
        const response: GqlResponse<Page> = await node.gql<Page>(LIST, { filter, sort, first, after }, agent);
        const page = ok(response).customers;
        seen.push(...page.nodes);
        if (!page.pageInfo.hasNextPage) return seen;
        after = page.pageInfo.endCursor;
      }
      throw new Error('too many pages');
    }

    it.each([
      'CREATED_AT_DESC',
      'CREATED_AT_ASC',
      'UPDATED_AT_DESC',
      'UPDATED_AT_ASC',
      'LAST_NAME_ASC',
      'LAST_NAME_DESC',
    ])('pages through every customer once in %s order', async (sort) => {
      const rows = await all({ tag: TAG }, sort, 4);
      expect(rows.map((r) => r.id).sort()).toEqual([...ids].sort());
      const key = sort.startsWith('LAST_NAME')
        ? (r: (typeof rows)[0]) => r.lastName
        : sort.startsWith('CREATED')
          ? (r: (typeof rows)[0]) => r.createdAt
          : (r: (typeof rows)[0]) => r.updatedAt;
      const keys = rows.map(key);
      const sorted = [...keys].sort((a, b) => a.localeCompare(b, 'en'));
      expect(keys).toEqual(sort.endsWith('DESC') ? sorted.reverse() : sorted);
    });

    it('filters by stage, tag, owner, language, country and creation range', async () => {
      const n = async (filter: Record<string, unknown>) =>
        (await all({ tag: TAG, ...filter }, 'CREATED_AT_ASC', 50)).length;
      expect(await n({})).toBe(23);
      expect(await n({ lifecycleStages: ['LEAD'] })).toBe(6);
      expect(await n({ lifecycleStages: ['LEAD', 'CHURNED'] })).toBe(11);
      expect((await all({ tag: 'odd' }, 'CREATED_AT_ASC', 50)).length).toBe(11);
      expect(await n({ ownerId })).toBe(4);
      expect(await n({ language: 'en-gb' })).toBe(8);
      expect(await n({ country: 'be' })).toBe(5);
      const rows = await all({ tag: TAG }, 'CREATED_AT_ASC', 50);
      const middle = rows[10].createdAt;
      const from = await all({ tag: TAG, createdFrom: middle }, 'CREATED_AT_ASC', 50);
      const before = await all({ tag: TAG, createdBefore: middle }, 'CREATED_AT_ASC', 50);
      expect(from.length + before.length).toBe(23);
      expect(from.every((r) => r.createdAt >= middle)).toBe(true);
    });

    it('refuses a page size out of range and a forged cursor, naming the argument', async () => {
      const big = await node.gql(LIST, { first: 201 }, agent);
      expect(big.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
      const forged = await node.gql(LIST, { after: 'garbage' }, agent);
      expect(forged.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
      const badCountry = await node.gql(LIST, { filter: { country: 'XX' } }, agent);
      expect(badCountry.errors![0].extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'filter.country',
      });
    });
  });

  describe('search', () => {
    let hopper: string;
    let lovelace: string;
    let exact: string;

    beforeAll(async () => {
      hopper = (
        await create({
          firstName: 'Gracie',
          lastName: 'Hopperton',
          emails: [{ address: 'g.hopperton@navy.test' }],
          phones: [{ number: '+33 6 12 34 56 78' }],
        })
      ).id;
      lovelace = (await create({ firstName: 'Augusta', lastName: 'Kingsbridge' })).id;
      // Someone whose name looks like the e-mail of another: exact e-mail wins.
      exact = (
        await create({ firstName: 'Navy', lastName: 'Hopperton', emails: [{ address: 'navy@navy.test' }] })
      ).id;
    });

    const search = async (query: string, token = agent) =>
      ok(await node.gql<{ searchCustomers: { id: string }[] }>(SEARCH, { query }, token)).searchCustomers.map(
        (c) => c.id,
      );

    it('finds by name fragment, case-insensitively', async () => {
      expect(await search('hopper')).toEqual(expect.arrayContaining([hopper, exact]));
      expect(await search('KINGSB')).toContain(lovelace);
      expect(await search('augusta kingsbridge')).toEqual([lovelace]);
    });

    it('finds by name with typos', async () => {
      expect(await search('Kingsbrige')).toContain(lovelace);
      expect(await search('augsuta kingsbridge')).toContain(lovelace);
      expect((await search('Gracie Hoperton'))[0]).toBe(hopper);
    });

    it('finds by e-mail, exact match first, and by e-mail prefix', async () => {
      expect((await search('NAVY@navy.test'))[0]).toBe(exact);
      expect(await search('g.hopperton@navy.test')).toEqual([hopper]);
      expect(await search('g.hopp')).toContain(hopper);
    });

    it('finds by phone typed in various formats', async () => {
      for (const q of [
        '+33 6 12 34 56 78',
        '+33612345678',
        '0033 6 12 34 56 78',
        '06 12 34 56 78',
        '(06) 12-34-56-78',
        '612345678',
      ]) {
        expect(await search(q)).toEqual([hopper]);
      }
      expect(await search('+44 6 12 34 56 78')).toEqual([]);
    });

    it('answers queries at the edges of Unicode without an error', async () => {
      // A word ending in the last code point has no next one to end its prefix range: this was an
      // INTERNAL_SERVER_ERROR. Each query is answered (`search` fails on any error), typos tolerated.
      for (const query of ['\u{10ffff}\u{10ffff}\u{10ffff}', 'x@\u{10ffff}', 'hopp\u{d7ff}']) {
        expect(Array.isArray(await search(query))).toBe(true);
      }
      expect(await search('hopperton\u{10ffff}')).toContain(hopper);
      expect(await search('gracie hopperton\u{10ffff}')).toContain(hopper);
    });

    it('refuses a query too short or a result count out of range', async () => {
      const short = await node.gql(SEARCH, { query: 'ab' }, agent);
      expect(short.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'query' });
      const many = await node.gql(SEARCH, { query: 'abc', first: 51 }, agent);
      expect(many.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    });
  });

  describe('soft delete and restore', () => {
    it('a deleted customer disappears from get, list and search; an admin lists and restores it', async () => {
      const c = await create({
        firstName: 'Vanishing',
        lastName: 'Quuxley',
        tags: ['gone'],
        emails: [{ address: 'quux@example.test' }],
      });
      const del = `mutation($id: ID!) { deleteCustomer(id: $id) }`;
      expect((await node.gql(del, { id: c.id }, agent)).errors![0].extensions!.code).toBe('FORBIDDEN');
      expect(ok(await node.gql(del, { id: c.id }, admin))).toEqual({ deleteCustomer: true });

      expect((await node.gql(GET, { id: c.id }, admin)).errors![0].extensions!.code).toBe('NOT_FOUND');
      const listed = ok(
        await node.gql<{ customers: { nodes: { id: string }[] } }>(LIST, { filter: { tag: 'gone' } }, admin),
      );
      expect(listed.customers.nodes).toEqual([]);
      expect(await node.gql(SEARCH, { query: 'quuxley' }, agent)).toEqual({ data: { searchCustomers: [] } });
      expect(await node.gql(SEARCH, { query: 'quux@example.test' }, agent)).toEqual({
        data: { searchCustomers: [] },
      });
      expect(
        (await node.gql(UPDATE, { id: c.id, input: { firstName: 'X' } }, agent)).errors![0].extensions!.code,
      ).toBe('NOT_FOUND');
      expect((await node.gql(del, { id: c.id }, admin)).errors![0].extensions!.code).toBe('NOT_FOUND');

      const deleted = ok(
        await node.gql<{ customers: { nodes: { id: string }[] } }>(
          LIST,
          { filter: { tag: 'gone', deleted: true } },
          admin,
        ),
      );
      expect(deleted.customers.nodes.map((n) => n.id)).toEqual([c.id]);
      const notAdmin = await node.gql(LIST, { filter: { deleted: true } }, agent);
      expect(notAdmin.errors![0].extensions!.code).toBe('FORBIDDEN');

      const restore = `mutation($id: ID!) { restoreCustomer(id: $id) { id deletedAt emails { address } } }`;
      expect((await node.gql(restore, { id: c.id }, agent)).errors![0].extensions!.code).toBe('FORBIDDEN');
      expect(ok(await node.gql(restore, { id: c.id }, admin))).toEqual({
        restoreCustomer: { id: c.id, deletedAt: null, emails: [{ address: 'quux@example.test' }] },
      });
      expect(ok(await node.gql<{ customer: { id: string } }>(GET, { id: c.id }, agent)).customer.id).toBe(
        c.id,
      );
      expect(await node.gql(SEARCH, { query: 'quuxley' }, agent)).toEqual({
        data: { searchCustomers: [{ id: c.id, displayName: 'Vanishing Quuxley' }] },
      });
    });
  });

  describe('roles', () => {
    const ops: [string, string, (id: string) => Record<string, unknown>, Role[]][] = [
      [
        'customer',
        `query($id: ID!) { customer(id: $id) { id } }`,
        (id) => ({ id }),
        [Role.ADMIN, Role.AGENT, Role.MARKETER, Role.COMPLIANCE],
      ],
      [
        'customers',
        `{ customers(first: 1) { nodes { id } } }`,
        () => ({}),
        [Role.ADMIN, Role.AGENT, Role.MARKETER, Role.COMPLIANCE],
      ],
      [
        'searchCustomers',
        `{ searchCustomers(query: "abc") { id } }`,
        () => ({}),
        [Role.ADMIN, Role.AGENT, Role.MARKETER, Role.COMPLIANCE],
      ],
      [
        'createCustomer',
        `mutation { createCustomer(input: { firstName: "R", lastName: "Ole" }) { id } }`,
        () => ({}),
        [Role.ADMIN, Role.AGENT],
      ],
      [
        'updateCustomer',
        `mutation($id: ID!) { updateCustomer(id: $id, input: { firstName: "R" }) { id } }`,
        (id) => ({ id }),
        [Role.ADMIN, Role.AGENT],
      ],
      [
        'restoreCustomer',
        `mutation($id: ID!) { restoreCustomer(id: $id) { id } }`,
        (id) => ({ id }),
        [Role.ADMIN],
      ],
      ['deleteCustomer', `mutation($id: ID!) { deleteCustomer(id: $id) }`, (id) => ({ id }), [Role.ADMIN]],
    ];

    it('each operation refuses the roles it does not allow and serves the others', async () => {
      const target = await create({ firstName: 'Role', lastName: 'Target' });
      const wrong: string[] = [];
      for (const [name, query, vars, allowed] of ops) {
        for (const role of [Role.ADMIN, Role.AGENT, Role.MARKETER, Role.COMPLIANCE]) {
          if (name === 'deleteCustomer' && role === Role.ADMIN) continue; // checked last
          const token = await node.tokenFor(role);
          const response = await node.gql(query, vars(target.id), token);
          const refused = response.errors?.[0]?.extensions?.code === 'FORBIDDEN';
          if (refused === allowed.includes(role))
            wrong.push(`${name} as ${role}: ${JSON.stringify(response)}`);
          if (!refused && response.errors)
            wrong.push(`${name} as ${role} failed: ${JSON.stringify(response.errors)}`);
        }
      }
      expect(wrong).toEqual([]);
      expect(
        ok(await node.gql(`mutation($id: ID!) { deleteCustomer(id: $id) }`, { id: target.id }, admin)),
      ).toEqual({
        deleteCustomer: true,
      });
      expect((await node.gql(GET, { id: target.id })).errors![0].extensions!.code).toBe('UNAUTHENTICATED');
    });
  });

  describe('DataLoader batching', () => {
    it('resolves e-mails, phones and owners of a whole page in a constant number of queries', async () => {
      for (let i = 0; i < 12; i++) {
        await create({
          firstName: `Batch${i}`,
          lastName: 'Loader',
          tags: ['batch'],
          emails: [{ address: `batch${i}@example.test` }],
          phones: [{ number: `+3361234${String(i).padStart(4, '0')}` }],
          ownerId,
        });
      }
      const query = `query($first: Int) { customers(filter: { tag: "batch" }, first: $first) {
        nodes { displayName emails { address } phones { number } owner { id displayName } } } }`;
      const queries: string[] = [];
      const original = db.logger;
      const counter: Logger = {
        logQuery: (sql) => {
          queries.push(sql);
        },
        logQueryError: () => undefined,
        logQuerySlow: () => undefined,
        logSchemaBuild: () => undefined,
        logMigration: () => undefined,
        log: () => undefined,
      };
      const run = async (first: number) => {
        queries.length = 0;
        db.logger = counter;
        try {
          const data = ok(
            await node.gql<{ customers: { nodes: { emails: unknown[]; owner: unknown }[] } }>(
              query,
              { first },
              agent,
            ),
          );
          expect(data.customers.nodes).toHaveLength(first);
          expect(data.customers.nodes.every((n) => n.emails.length === 1 && n.owner)).toBe(true);
        } finally {
          db.logger = original;
        }
        // Only this request's reads: background jobs (ledger sequencer, sharing sweep, segment
        // refresh) use the same data source on their own timers, on tables of their own.
        const ownTables = /\b(FROM|JOIN)\s+"?(customer|customer_email|customer_phone|app_user)"?[\s"]/i;
        return queries.filter((sql) => /^\s*SELECT/i.test(sql) && ownTables.test(sql)).length;
      };
      const few = await run(2);
      const many = await run(12);
      // One for the page, one each for e-mails, phones and owners; the guard's tagged user check starts
      // with its comment, so it is not counted.
      expect(many).toBe(few);
      expect(many).toBeLessThanOrEqual(5);
    });
  });

  describe('search at scale uses indexes (EXPLAIN)', () => {
    const BULK = 20000;
    beforeAll(async () => {
      // Realistic spread of names: 20 first names, random 9-letter last names.
      await db.query(`
        INSERT INTO customer (first_name, last_name, tags)
        SELECT (ARRAY['Anna','Louis','Marie','Jean','Paul','Sophie','Lucas','Emma','Hugo','Lea',
                      'Noah','Chloe','Adam','Jade','Leo','Alice','Tom','Ines','Nathan','Sarah'])[1 + g % 20],
               initcap(translate(substr(md5(g::text), 1, 9), '0123456789', 'ghijklmnop')), '{bulk}'
          FROM generate_series(1, ${BULK}) g`);
      await db.query(`
        INSERT INTO customer_email (customer_id, address, is_primary)
        SELECT id, lower(first_name || '.' || last_name) || '@bulk.test', true FROM customer WHERE 'bulk' = ANY(tags)`);
      await db.query(`
        INSERT INTO customer_phone (customer_id, number, is_primary)
        SELECT id, '+3399' || lpad((row_number() OVER ())::text, 7, '0'), true FROM customer WHERE 'bulk' = ANY(tags)`);
      // What autovacuum does on a live database: statistics, and GIN pending lists merged.
      for (const table of ['customer', 'customer_email', 'customer_phone', 'customer_name_term'])
        await db.query(`VACUUM ANALYZE ${table}`);
    });

    /**
     * What PostgreSQL plans and runs for a search: every statement of both steps, the ones inside
     * the search functions included, as they run (their generic plans, the rows each node gave),
     * heard from auto_explain at NOTICE level on a connection of this test's own. A lookup the
     * search skips is not run, so has no plan here.
     */
    async function withPlans<T>(
      work: (run: RunQuery) => Promise<T>,
    ): Promise<{ plans: string[]; result: T }> {
      const client = new pg.Client({ connectionString: node.db.url });
      const plans: string[] = [];
      client.on('notice', (notice) => plans.push(notice.message ?? ''));
      await client.connect();
      try {
        await client.query(`LOAD 'auto_explain'`);
        for (const setting of [
          'log_min_duration = 0',
          'log_nested_statements = on',
          'log_analyze = on',
          'log_timing = off',
          'log_level = notice',
        ])
          await client.query(`SET auto_explain.${setting}`);
        const result = await work(pgRunQuery(client));
        return { plans, result };
      } finally {
        await client.end();
      }
    }
    const searchPlans = async (query: string): Promise<string[]> =>
      (
        await withPlans(async (run) => {
          const { search } = await customerSearchStatements(run, query, 20);
          return run(search.sql, search.params, search.name);
        })
      ).plans;
    const plan = async (query: string): Promise<string> => (await searchPlans(query)).join('\n');
    /** The statements of a search that looked customers up by all their name words (GIN). */
    const nameLookups = async (query: string): Promise<string[]> =>
      (await searchPlans(query)).filter((text) => /name_tokens @>/.test(text));
    /** The statements of a search that looked customers up by their name key (B-tree). */
    const keyLookups = async (query: string): Promise<string[]> =>
      (await searchPlans(query)).filter((text) => /customer_name_key\(c\.name_tokens\) =/.test(text));

    async function bulkName(): Promise<{ first: string; last: string }> {
      const rows = (await db.query(
        `SELECT first_name AS first, last_name AS last FROM customer WHERE 'bulk' = ANY(tags) ORDER BY last_name, first_name LIMIT 1`,
      )) as { first: string; last: string }[];
      return rows[0];
    }
    const typo = (word: string) => word.slice(0, 3) + word[4] + word[3] + word.slice(5);

    it('searching a name with a typo or a fragment uses the indexes of the vocabulary', async () => {
      const { first, last } = await bulkName();
      for (const query of [typo(last), `${first} ${typo(last)}`, last.slice(2, 7)]) {
        const text = await plan(query);
        // Exact words and prefixes, words one typo away, and (only when those find nothing) trigrams.
        expect(text).toContain('customer_name_term_prefix');
        expect(text).toContain('customer_name_term_variants');
        expect(text).toContain('customer_name_term_trgm');
        expect(text).toContain('customer_name_tokens_gin');
        expect(text).not.toMatch(/Seq Scan on customer/);
      }
      const found = await node.app.get(CustomersService).search(`${first} ${typo(last)}`, 5);
      expect(found[0]).toMatchObject({ firstName: first, lastName: last });
    });

    it.each([
      ['an e-mail', 'anna.x@bulk.test', 'customer_email_address_idx'],
      ['an e-mail prefix', 'anna.x', 'customer_email_address_idx'],
      ['a phone', '+33 99 000 1234', 'customer_phone_reversed_idx'],
      ['a national phone', '099 000 1234', 'customer_phone_reversed_idx'],
    ])('searching %s uses its index', async (_name, query, index) => {
      const text = await plan(query);
      expect(text).toContain(index);
      // The name words of "anna.x" are looked up too: a word this common (one customer in 20)
      // may be read by a sequential scan that stops at the page size; e-mails and phones never.
      expect(text).not.toMatch(/Seq Scan on customer_(email|phone)/);
    });

    it.each(Object.entries(CUSTOMER_QUERIES.statements))(
      'the committed statement customers.%s plans against the migrated schema by index',
      async (_name, text) => {
        const ids = (
          (await db.query(`SELECT id FROM customer WHERE 'bulk' = ANY(tags) LIMIT 3`)) as { id: string }[]
        ).map((r) => r.id);
        const param = text.includes('$1::uuid[]') ? ids : ids[0];
        const rows = (await db.query(`EXPLAIN ${text}`, [param])) as { 'QUERY PLAN': string }[];
        const planText = rows.map((r) => r['QUERY PLAN']).join('\n');
        expect(planText).toMatch(/Index|Bitmap/);
        expect(planText).not.toMatch(/Seq Scan/);
      },
    );

    describe('a whole name, and a page of namesakes', () => {
      beforeAll(async () => {
        await db.query(`
          INSERT INTO customer (first_name, last_name, tags)
          SELECT 'Mara', CASE WHEN g <= 25 THEN 'Quist' ELSE 'Quist Lind' END, '{namesakes}'
            FROM generate_series(1, 27) g`);
        await db.query(`VACUUM ANALYZE customer`);
      });
      it('finds customers whose words are exactly those typed by their name key, and stops at a page', async () => {
        const found = await node.app.get(CustomersService).search('quist MARA', 20);
        expect(found).toHaveLength(20);
        expect(new Set(found.map((c) => `${c.firstName} ${c.lastName}`))).toEqual(new Set(['Mara Quist']));
        // Found by the key (and its index): the lookup by name words is skipped, not run.
        const keys = await keyLookups('quist mara');
        expect(keys).toHaveLength(1);
        expect(keys[0]).toContain('customer_name_key_idx');
        expect(await nameLookups('quist mara')).toEqual([]);
      });

      it('looks the words up among longer names when the key finds less than a page', async () => {
        const found = await node.app.get(CustomersService).search('mara lind', 20);
        expect(found.map((c) => `${c.firstName} ${c.lastName}`)).toEqual([
          'Mara Quist Lind',
          'Mara Quist Lind',
        ]);
        const lookups = await nameLookups('mara lind');
        expect(lookups.length).toBeGreaterThan(0);
        for (const text of lookups) expect(text).toContain('customer_name_tokens_gin');
      });

      it('an e-mail prefix that fills a page skips the name lookups', async () => {
        const plans = await searchPlans('anna.');
        expect(plans.some((text) => text.includes('customer_email_address_idx'))).toBe(true);
        expect(await keyLookups('anna.')).toEqual([]);
        expect(await nameLookups('anna.')).toEqual([]);
      });

      it('looks the combinations up best first, and stops at the first that fills the page', async () => {
        // Eight combinations: the first (exact key "mara": nobody) and its GIN lookup (27 Maras)
        // fill the page, so the seven others are not looked up.
        const combos = Array.from({ length: 8 }, (_, i) => ({
          terms: i % 2 === 0 ? ['mara'] : ['mara', 'quist'],
          score: 2 - i / 10,
        }));
        const search = customerSearchStatement('mara', 20, combos);
        const { plans, result: rows } = await withPlans(
          async (run) => (await run(search.sql, search.params)) as { id: string }[],
        );
        expect(plans.filter((text) => /customer_name_key\(c\.name_tokens\) =/.test(text))).toHaveLength(1);
        expect(plans.filter((text) => /name_tokens @>/.test(text))).toHaveLength(1);
        const names = (await db.query(
          `SELECT DISTINCT first_name || ' ' || last_name AS name FROM customer WHERE id = ANY ($1::uuid[])`,
          [rows.map((r) => r.id)],
        )) as { name: string }[];
        expect(rows).toHaveLength(20);
        expect(names.every((n) => /Mara/.test(n.name))).toBe(true);
      });

      it('the key is the same in SQL and in code (accents, case, order, repeated words)', async () => {
        const names: [string, string][] = [
          ['Élodie', 'de la Fuente'],
          ['Ana Ana', 'ANA'],
          ['Zoë', 'Ångström-Öberg'],
          ['Jean-Luc', "O'Neill"],
        ];
        for (const [first, last] of names) {
          const [row] = (await db.query(
            `INSERT INTO customer (first_name, last_name) VALUES ($1, $2)
             RETURNING name_tokens AS tokens, customer_name_key(name_tokens) AS key`,
            [first, last],
          )) as { tokens: string[]; key: string }[];
          // The search builds the key from vocabulary words, which are these tokens.
          expect(row.key).toBe(nameKey(row.tokens));
          expect(nameKey(nameWords(`${last} ${first}`))).toBe(
            nameKey(row.tokens.filter((t) => t.length >= 2)),
          );
        }
      });
    });

    it('the variants of a word are the same in SQL and in code (short words, accents kept unfolded)', async () => {
      for (const word of ['li', 'lea', 'anna', 'martin', 'ßtraße', 'aaaa']) {
        const [row] = (await db.query(`SELECT customer_name_variants($1) AS variants`, [word])) as {
          variants: string[];
        }[];
        expect([...row.variants].sort()).toEqual(nameVariants(word).sort());
      }
    });

    it('still answers correctly at that size', async () => {
      const { first, last } = await bulkName();
      const email = `${first}.${last}@bulk.test`.toUpperCase();
      const found = await node.app.get(CustomersService).search(email, 5);
      expect(found.map((c) => c.lastName)).toEqual([last]);
      const byPhone = await node.app.get(CustomersService).search('+33 99 000 1234', 5);
      expect(byPhone).toHaveLength(1);
    });

    it('sends both steps as prepared statements, parsed once per connection', async () => {
      const { first, last } = await bulkName();
      const { result: prepared } = await withPlans(async (run) => {
        const rows = (await searchCustomerRows(run, `${first} ${last}`, 5, 'c.id, c.last_name')) as {
          last_name: string;
        }[];
        expect(rows[0].last_name).toBe(last);
        return run(`SELECT name FROM pg_prepared_statements`, []);
      });
      expect(new Set((prepared as { name: string }[]).map((row) => row.name))).toEqual(
        new Set([
          'customers.search-terms-2',
          customerSearchStatement(last, 5, [{ terms: [last], score: 1 }], 'c.id, c.last_name').name,
        ]),
      );
    });
  });
});
