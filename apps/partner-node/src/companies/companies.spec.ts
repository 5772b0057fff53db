import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { startTestNode, type GqlResponse, type TestNode } from '../testing/test-node.js';
import { Role } from '../users/role.js';

function ok<T>(response: GqlResponse<T>): T {
  if (response.errors) throw new Error(JSON.stringify(response.errors));
  return response.data!;
}

const FIELDS = `id name domain vatNumber industry sizeBand externalId createdAt updatedAt`;
const CREATE = `mutation($input: CreateCompanyInput!) { createCompany(input: $input) { ${FIELDS} } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateCompanyInput!) { updateCompany(id: $id, input: $input) { ${FIELDS} } }`;
const GET = `query($id: ID!) { company(id: $id) { ${FIELDS} customers { role customer { id displayName } company { id } } } }`;
const LIST = `query($filter: CompanyFilter, $sort: CompanySort, $first: Int, $after: String) {
  companies(filter: $filter, sort: $sort, first: $first, after: $after) {
    nodes { id name } pageInfo { hasNextPage endCursor } } }`;
const LINK = `mutation($customerId: ID!, $companyId: ID!, $role: String!) {
  linkCustomerToCompany(customerId: $customerId, companyId: $companyId, role: $role) { role customer { id } company { id name } } }`;
const UNLINK = `mutation($customerId: ID!, $companyId: ID!) { unlinkCustomerFromCompany(customerId: $customerId, companyId: $companyId) }`;
const CUSTOMER_COMPANIES = `query($id: ID!) { customer(id: $id) { id companies { role company { name } } } }`;

describe('companies and customer links (real PostgreSQL)', () => {
  let node: TestNode;
  let db: DataSource;
  let admin: string;
  let agent: string;
  let marketer: string;

  const createCompany = async (input: Record<string, unknown>, token = marketer) =>
    ok(
      await node.gql<{ createCompany: Record<string, string | null> & { id: string } }>(
        CREATE,
        { input },
        token,
      ),
    ).createCompany;
  const createCustomer = async (firstName: string, lastName: string) =>
    ok(
      await node.gql<{ createCustomer: { id: string } }>(
        `mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { id } }`,
        { input: { firstName, lastName } },
        agent,
      ),
    ).createCustomer.id;
  const count = async (table: string) =>
    Number(((await db.query(`SELECT count(*)::int AS n FROM ${table}`)) as { n: number }[])[0].n);

  beforeAll(async () => {
    node = await startTestNode('companies');
    db = node.app.get(DataSource);
    admin = await node.tokenFor(Role.ADMIN);
    agent = await node.tokenFor(Role.AGENT);
    marketer = await node.tokenFor(Role.MARKETER);
  });
  afterAll(async () => node?.close());

  it('creates, reads, updates and deletes a company, normalising domain and VAT number', async () => {
    const company = await createCompany({
      name: ' Acme ',
      domain: 'Acme.EXAMPLE.com',
      vatNumber: 'fr 40-303.265.045',
      industry: 'Manufacturing',
      sizeBand: 'SIZE_51_200',
      externalId: 'acme-1',
    });
    expect(company).toMatchObject({
      name: 'Acme',
      domain: 'acme.example.com',
      vatNumber: 'FR40303265045',
      industry: 'Manufacturing',
      sizeBand: 'SIZE_51_200',
      externalId: 'acme-1',
    });
    const updated = ok(
      await node.gql<{ updateCompany: Record<string, unknown> }>(
        UPDATE,
        { id: company.id, input: { sizeBand: 'SIZE_201_1000', industry: null } },
        agent,
      ),
    ).updateCompany;
    expect(updated).toMatchObject({ name: 'Acme', sizeBand: 'SIZE_201_1000', industry: null });
    const read = ok(
      await node.gql<{ company: { name: string; customers: unknown[] } }>(GET, { id: company.id }, admin),
    );
    expect(read.company).toMatchObject({ name: 'Acme', customers: [] });

    const del = `mutation($id: ID!) { deleteCompany(id: $id) }`;
    expect(ok(await node.gql(del, { id: company.id }, marketer))).toEqual({ deleteCompany: true });
    expect((await node.gql(GET, { id: company.id }, admin)).errors![0].extensions!.code).toBe('NOT_FOUND');
    expect((await node.gql(del, { id: company.id }, marketer)).errors![0].extensions!.code).toBe('NOT_FOUND');
  });

  describe('bad input is refused, naming the field, and nothing is written', () => {
    const cases: [string, Record<string, unknown>, string, string][] = [
      ['VAT number without a country prefix', { vatNumber: '40303265045' }, 'BAD_USER_INPUT', 'vatNumber'],
      ['VAT number too long', { vatNumber: 'FR12345678901234' }, 'BAD_USER_INPUT', 'vatNumber'],
      ['VAT number with symbols', { vatNumber: 'FR12#45' }, 'BAD_USER_INPUT', 'vatNumber'],
      ['domain that is not one', { domain: 'not a domain' }, 'BAD_USER_INPUT', 'domain'],
      ['oversized name', { name: 'x'.repeat(201) }, 'BAD_USER_INPUT', 'name'],
      ['empty name', { name: '  ' }, 'BAD_USER_INPUT', 'name'],
      ['oversized industry', { industry: 'x'.repeat(101) }, 'BAD_USER_INPUT', 'industry'],
      ['unknown size band', { sizeBand: 'HUGE' }, 'BAD_USER_INPUT', ''],
    ];
    it.each(cases)('%s', async (_name, patch, code, field) => {
      const before = await count('company');
      const response = await node.gql(CREATE, { input: { name: 'Bad', ...patch } }, marketer);
      expect(response.errors?.[0]?.extensions?.code).toBe(code);
      if (field) expect(response.errors![0].extensions!.field).toBe(field);
      expect(await count('company')).toBe(before);
    });

    it('refuses a taken external id with CONFLICT', async () => {
      await createCompany({ name: 'Ext', externalId: 'ext-co' });
      const again = await node.gql(CREATE, { input: { name: 'Ext 2', externalId: 'ext-co' } }, marketer);
      expect(again.errors![0].extensions).toMatchObject({ code: 'CONFLICT', field: 'externalId' });
    });
  });

  describe('links between customers and companies', () => {
    let ada: string;
    let bob: string;
    let acme: string;
    let globex: string;

    beforeAll(async () => {
      ada = await createCustomer('Ada', 'Linked');
      bob = await createCustomer('Bob', 'Linked');
      acme = (await createCompany({ name: 'Acme Links' })).id;
      globex = (await createCompany({ name: 'Globex Links' })).id;
    });

    it('links a customer to several companies with a role; linking again changes the role', async () => {
      const linked = ok(
        await node.gql<{ linkCustomerToCompany: unknown }>(
          LINK,
          { customerId: ada, companyId: acme, role: 'buyer' },
          agent,
        ),
      );
      expect(linked.linkCustomerToCompany).toEqual({
        role: 'buyer',
        customer: { id: ada },
        company: { id: acme, name: 'Acme Links' },
      });
      ok(await node.gql(LINK, { customerId: ada, companyId: globex, role: 'decision maker' }, agent));
      ok(await node.gql(LINK, { customerId: bob, companyId: acme, role: 'user' }, admin));
      ok(await node.gql(LINK, { customerId: ada, companyId: acme, role: ' champion ' }, agent));

      const companies = ok(
        await node.gql<{ customer: { companies: { role: string; company: { name: string } }[] } }>(
          CUSTOMER_COMPANIES,
          { id: ada },
          agent,
        ),
      ).customer.companies;
      expect(companies.map((c) => [c.company.name, c.role]).sort()).toEqual([
        ['Acme Links', 'champion'],
        ['Globex Links', 'decision maker'],
      ]);
      const company = ok(
        await node.gql<{
          company: { customers: { role: string; customer: { id: string; displayName: string } }[] };
        }>(GET, { id: acme }, agent),
      ).company;
      expect(company.customers.map((m) => [m.customer.displayName, m.role]).sort()).toEqual([
        ['Ada Linked', 'champion'],
        ['Bob Linked', 'user'],
      ]);
      const filtered = ok(
        await node.gql<{ customers: { nodes: { id: string }[] } }>(
          `query($companyId: ID!) { customers(filter: { companyId: $companyId }) { nodes { id } } }`,
          { companyId: acme },
          agent,
        ),
      );
      expect(filtered.customers.nodes.map((n) => n.id).sort()).toEqual([ada, bob].sort());
    });

    it('refuses unknown or malformed ids and bad roles, writing nothing', async () => {
      const nowhere = '00000000-0000-4000-8000-000000000000';
      const before = await count('customer_company');
      const unknownCustomer = await node.gql(
        LINK,
        { customerId: nowhere, companyId: acme, role: 'buyer' },
        agent,
      );
      expect(unknownCustomer.errors![0].extensions).toMatchObject({ code: 'NOT_FOUND', entity: 'Customer' });
      const unknownCompany = await node.gql(
        LINK,
        { customerId: ada, companyId: nowhere, role: 'buyer' },
        agent,
      );
      expect(unknownCompany.errors![0].extensions).toMatchObject({ code: 'NOT_FOUND', entity: 'Company' });
      const malformed = await node.gql(LINK, { customerId: 'ada', companyId: acme, role: 'buyer' }, agent);
      expect(malformed.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'customerId' });
      const longRole = await node.gql(
        LINK,
        { customerId: ada, companyId: acme, role: 'x'.repeat(101) },
        agent,
      );
      expect(longRole.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'role' });
      const emptyRole = await node.gql(LINK, { customerId: ada, companyId: acme, role: ' ' }, agent);
      expect(emptyRole.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'role' });
      expect(await count('customer_company')).toBe(before);
      const unlinkMissing = await node.gql(UNLINK, { customerId: bob, companyId: globex }, agent);
      expect(unlinkMissing.errors![0].extensions!.code).toBe('NOT_FOUND');
    });

    it('hides deleted customers from Company.customers, and unlinks', async () => {
      const carol = await createCustomer('Carol', 'Linked');
      ok(await node.gql(LINK, { customerId: carol, companyId: globex, role: 'buyer' }, agent));
      ok(await node.gql(`mutation($id: ID!) { deleteCustomer(id: $id) }`, { id: carol }, admin));
      const members = async () =>
        ok(
          await node.gql<{ company: { customers: { customer: { id: string } }[] } }>(
            GET,
            { id: globex },
            agent,
          ),
        ).company.customers.map((m) => m.customer.id);
      expect(await members()).toEqual([ada]);
      expect(ok(await node.gql(UNLINK, { customerId: ada, companyId: globex }, agent))).toEqual({
        unlinkCustomerFromCompany: true,
      });
      expect(await members()).toEqual([]);
    });

    it('deleting a company removes its links, not its customers', async () => {
      const temp = (await createCompany({ name: 'Temp Links' })).id;
      ok(await node.gql(LINK, { customerId: bob, companyId: temp, role: 'buyer' }, agent));
      ok(await node.gql(`mutation($id: ID!) { deleteCompany(id: $id) }`, { id: temp }, admin));
      const companies = ok(
        await node.gql<{ customer: { companies: { company: { name: string } }[] } }>(
          CUSTOMER_COMPANIES,
          { id: bob },
          agent,
        ),
      ).customer.companies;
      expect(companies.map((c) => c.company.name)).toEqual(['Acme Links']);
    });
  });

  describe('list', () => {
    it('filters by name, industry and size, and pages through in name order without gaps or repeats', async () => {
      const made: string[] = [];
      for (let i = 0; i < 11; i++) {
        made.push(
          (
            await createCompany({
              name: `Paging ${String.fromCharCode(75 - (i % 5))} Co`,
              industry: i % 2 ? 'Retail' : 'Food',
              sizeBand: 'SIZE_1_10',
            })
          ).id,
        );
      }
      const seen: { id: string; name: string }[] = [];
      let after: string | null = null;
      do {
        const page: {
          companies: {
            nodes: { id: string; name: string }[];
            pageInfo: { hasNextPage: boolean; endCursor: string | null };
          };
        } = ok(await node.gql(LIST, { filter: { nameContains: 'paging' }, first: 3, after }, agent));
        seen.push(...page.companies.nodes);
        after = page.companies.pageInfo.hasNextPage ? page.companies.pageInfo.endCursor : null;
      } while (after);
      expect(seen.map((c) => c.id).sort()).toEqual([...made].sort());
      const names = seen.map((c) => c.name);
      expect(names).toEqual([...names].sort());
      const retail = ok(
        await node.gql<{ companies: { nodes: unknown[] } }>(
          LIST,
          { filter: { nameContains: 'PAGING', industry: 'Retail', sizeBand: 'SIZE_1_10' }, first: 50 },
          agent,
        ),
      );
      expect(retail.companies.nodes).toHaveLength(5);
      const none = ok(
        await node.gql<{ companies: { nodes: unknown[] } }>(LIST, { filter: { nameContains: '%' } }, agent),
      );
      expect(none.companies.nodes).toHaveLength(0);
    });
  });

  describe('roles', () => {
    const ALL = [Role.ADMIN, Role.AGENT, Role.MARKETER, Role.COMPLIANCE];
    it('each operation refuses the roles it does not allow and serves the others', async () => {
      const customerId = await createCustomer('Role', 'Linked');
      const wrong: string[] = [];
      for (const role of ALL) {
        const token = await node.tokenFor(role);
        const companyId = (await createCompany({ name: `Role ${role}` }, admin)).id;
        const ops: [string, string, Record<string, unknown>, Role[]][] = [
          [
            'company',
            `query($id: ID!) { company(id: $id) { id customers { role } } }`,
            { id: companyId },
            ALL,
          ],
          ['companies', `{ companies(first: 1) { nodes { id } } }`, {}, ALL],
          ['customer.companies', CUSTOMER_COMPANIES, { id: customerId }, ALL],
          [
            'createCompany',
            `mutation { createCompany(input: { name: "R" }) { id } }`,
            {},
            [Role.ADMIN, Role.AGENT, Role.MARKETER],
          ],
          [
            'updateCompany',
            `mutation($id: ID!) { updateCompany(id: $id, input: { name: "R2" }) { id } }`,
            { id: companyId },
            [Role.ADMIN, Role.AGENT, Role.MARKETER],
          ],
          ['linkCustomerToCompany', LINK, { customerId, companyId, role: 'buyer' }, [Role.ADMIN, Role.AGENT]],
          ['unlinkCustomerFromCompany', UNLINK, { customerId, companyId }, [Role.ADMIN, Role.AGENT]],
          [
            'deleteCompany',
            `mutation($id: ID!) { deleteCompany(id: $id) }`,
            { id: companyId },
            [Role.ADMIN, Role.AGENT, Role.MARKETER],
          ],
        ];
        for (const [name, query, variables, allowed] of ops) {
          const response = await node.gql(query, variables, token);
          const refused = response.errors?.[0]?.extensions?.code === 'FORBIDDEN';
          if (refused === allowed.includes(role))
            wrong.push(`${name} as ${role}: ${JSON.stringify(response)}`);
          if (!refused && response.errors)
            wrong.push(`${name} as ${role} failed: ${JSON.stringify(response.errors)}`);
        }
      }
      expect(wrong).toEqual([]);
    });
  });
});
