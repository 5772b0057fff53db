import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestNode, type TestNode } from '../../apps/partner-node/src/testing/test-node.js';
import { Role } from '../../apps/partner-node/src/users/role.js';
import { ok } from '../../apps/partner-node/src/testing/network.js';
import { answerOf, graphql, post, runCase, TableCounts, type AbuseCase } from './abuse-case.js';

/**
 * The abuse corpus against one partner node's GraphQL endpoint: roles, the query's cost and shape,
 * every input type's edge cases, HTTP limits and headers. Table-driven (see abuse-case.ts).
 */
let node: TestNode;
let counts: TableCounts;
const token: Partial<Record<Role | 'none', string>> = {};
let customerId = '';

const as = (role: Role) => () => token[role]!;
type Variables = Record<string, unknown> | (() => Record<string, unknown>);
const gql =
  (query: string, variables?: Variables, who: () => string | undefined = as(Role.ADMIN)) =>
  () =>
    graphql(node.url, query, typeof variables === 'function' ? variables() : variables, who());

const CREATE_CUSTOMER = `mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { id } }`;
const CREATE_COMPANY = `mutation($input: CreateCompanyInput!) { createCompany(input: $input) { id } }`;
const CREATE_USER = `mutation($input: CreateUserInput!) { createUser(input: $input) { id } }`;
const CREATE_SEGMENT = `mutation($input: CreateSegmentInput!) { createSegment(input: $input) { id } }`;
const PREVIEW = `query($rule: SegmentRule!) { previewSegmentRule(rule: $rule) { size } }`;
const SEARCH = `query($q: String!) { searchCustomers(query: $q) { id } }`;
const CUSTOMERS_AFTER = `query($after: String) { customers(after: $after) { nodes { id } } }`;
const CREATE_INTERACTION = `mutation($input: CreateInteractionInput!) { createInteraction(input: $input) { id } }`;
const STATS = `query($input: PeriodInput) { careSatisfactionByCategory(input: $input) { category } }`;

const person = (patch: Record<string, unknown>) => ({ firstName: 'Ada', lastName: 'Lovelace', ...patch });
const customer = (patch: Record<string, unknown>) => ({ input: person(patch) });
const user = (patch: Record<string, unknown>) => ({
  input: {
    email: `new-${Math.random().toString(36).slice(2)}@example.test`,
    displayName: 'New User',
    roles: ['AGENT'],
    password: 'a perfectly fine passphrase',
    ...patch,
  },
});
const interaction = (occurredAt: unknown) => () => ({
  input: { customerId, channel: 'PHONE', direction: 'INBOUND', occurredAt, subject: 'call' },
});
const cursor = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const nested = (depth: number, leaf: unknown): unknown => {
  let rule = leaf;
  for (let i = 0; i < depth; i++) rule = { not: rule };
  return rule;
};
const CONDITION = { field: 'lifecycleStage', op: 'eq', value: 'customer' };

const cases: AbuseCase[] = [
  // --- roles: a role calling another role's fields ---------------------------------------------
  {
    name: 'roles: agent reads the violations report',
    send: gql(`{ complianceViolations { __typename } }`, {}, as(Role.AGENT)),
    code: 'FORBIDDEN',
  },
  {
    name: 'roles: marketer lists users',
    send: gql(`{ users { id } }`, {}, as(Role.MARKETER)),
    code: 'FORBIDDEN',
  },
  {
    name: 'roles: agent creates a segment',
    send: gql(CREATE_SEGMENT, { input: { name: 's', kind: 'STATIC' } }, as(Role.AGENT)),
    code: 'FORBIDDEN',
  },
  {
    name: 'roles: compliance creates a customer',
    send: gql(CREATE_CUSTOMER, customer({}), as(Role.COMPLIANCE)),
    code: 'FORBIDDEN',
  },
  {
    name: 'roles: marketer erases a customer',
    send: gql(
      `mutation($id: ID!) { eraseCustomer(customerId: $id, reason: "x") { id } }`,
      { id: '00000000-0000-4000-8000-000000000000' },
      as(Role.MARKETER),
    ),
    code: 'FORBIDDEN',
  },
  {
    name: 'roles: agent creates a user',
    send: gql(CREATE_USER, user({}), as(Role.AGENT)),
    code: 'FORBIDDEN',
  },
  {
    name: 'roles: marketer reads protocol refusals',
    send: gql(`{ refusals { nodes { id } } }`, {}, as(Role.MARKETER)),
    code: 'FORBIDDEN',
  },
  {
    name: 'roles: anonymous lists customers',
    send: gql(`{ customers { nodes { id } } }`, {}, () => undefined),
    code: 'UNAUTHENTICATED',
  },
  {
    name: 'roles: forged bearer token',
    send: gql(`{ me { id } }`, {}, () => 'eyJhbGciOiJIUzI1NiJ9.e30.forged'),
    code: 'UNAUTHENTICATED',
  },
  {
    name: 'roles: agent deletes a customer (admin only)',
    send: gql(`mutation { deleteCustomer(id: "00000000-0000-4000-8000-000000000000") }`, {}, as(Role.AGENT)),
    code: 'FORBIDDEN',
  },

  // --- GraphQL cost and shape -------------------------------------------------------------------
  {
    name: 'shape: query deeper than the limit → 400',
    send: gql(`{ ${deep(4)} }`),
    code: 'QUERY_TOO_COMPLEX',
    status: 400,
  },
  {
    name: 'cost: 200 × 200 nested pages',
    send: gql(
      `{ a: customers(first: 200) { nodes { id } } b: customers(first: 200) { nodes { id firstName lastName createdAt updatedAt } } ${aliases(18, 'customers(first: 200) { nodes { id firstName lastName createdAt updatedAt } }')} }`,
    ),
    code: 'QUERY_TOO_COMPLEX',
    status: 400,
  },
  {
    name: 'cost: connections without `first` are costed at the default page size',
    send: gql(
      `{ ${aliases(20, 'customers { nodes { id firstName lastName language lifecycleStage tags createdAt updatedAt externalId attributes emails { id address } phones { id number } address { line1 city country } } }')} }`,
    ),
    code: 'QUERY_TOO_COMPLEX',
    status: 400,
  },
  {
    name: 'cost: three aliases of the violations report',
    send: gql(`{ ${aliases(3, 'complianceViolations { __typename }')} }`),
    code: 'QUERY_TOO_COMPLEX',
    status: 400,
  },
  {
    name: 'cost: three aliases of search',
    send: gql(`{ ${aliases(3, 'searchCustomers(query: "ada") { id }')} }`),
    code: 'QUERY_TOO_COMPLEX',
    status: 400,
  },
  {
    name: 'cost: 21 aliases of one root field',
    send: gql(`{ ${aliases(21, 'me { id }')} }`),
    code: 'QUERY_TOO_COMPLEX',
    status: 400,
  },
  {
    name: 'cost: aliases hidden in fragments',
    send: gql(
      `{ ...A ...B } fragment A on Query { ${aliases(2, 'complianceViolations { __typename }', 'x')} } fragment B on Query { ${aliases(2, 'complianceViolations { __typename }', 'y')} }`,
    ),
    code: 'QUERY_TOO_COMPLEX',
    status: 400,
  },
  {
    name: 'shape: batched queries (JSON array)',
    send: () =>
      post(`${node.url}/graphql`, [{ query: '{ __typename }' }, { query: '{ __typename }' }], {
        authorization: `Bearer ${token[Role.ADMIN]}`,
      }),
    code: 'BAD_REQUEST',
    status: 400,
  },
  {
    name: 'shape: huge variables (2 MB) → 413',
    send: gql(SEARCH, { q: 'x'.repeat(2_000_000) }),
    code: 'PAYLOAD_TOO_LARGE',
    status: 413,
  },
  {
    name: 'shape: a query of 150 kB → 413',
    send: gql(`{ me { id } } ${'#'.repeat(150_000)}`),
    code: 'PAYLOAD_TOO_LARGE',
    status: 413,
  },
  { name: 'shape: syntax error', send: gql(`{ me { id }`), code: 'GRAPHQL_PARSE_FAILED', status: 400 },
  {
    name: 'shape: unknown field',
    send: gql(`{ me { password } }`),
    code: 'GRAPHQL_VALIDATION_FAILED',
    status: 400,
  },
  {
    name: 'shape: a list literal nested 5,000 deep',
    send: gql(`{ searchCustomers(query: ${'['.repeat(5000)}"a"${']'.repeat(5000)}) { id } }`),
    code: 'GRAPHQL_PARSE_FAILED',
    status: 400,
  },
  {
    name: 'shape: query is not a string',
    send: () => post(`${node.url}/graphql`, { query: { evil: true } }),
    code: 'BAD_REQUEST',
    status: 400,
  },
  {
    name: 'shape: variables are not an object',
    send: () => post(`${node.url}/graphql`, { query: '{ __typename }', variables: '[1]' }),
    code: 'BAD_REQUEST',
    status: 400,
  },
  {
    name: 'shape: operationName names no operation',
    send: () =>
      post(
        `${node.url}/graphql`,
        { query: 'query A { __typename }', operationName: 'B' },
        { authorization: `Bearer ${token[Role.ADMIN]}` },
      ),
    code: 'OPERATION_RESOLUTION_FAILURE',
    status: 400,
  },
  {
    name: 'shape: a mutation over GET',
    send: async () =>
      answerOf(
        await fetch(
          `${node.url}/graphql?query=${encodeURIComponent(`mutation { deleteCustomer(id: "${'0'.repeat(8)}") }`)}`,
          { headers: { 'apollo-require-preflight': 'true' } },
        ),
      ),
    code: 'BAD_REQUEST',
    status: 405,
  },

  // --- HTTP limits and headers ------------------------------------------------------------------
  {
    name: 'http: body that is not JSON',
    send: () => post(`${node.url}/graphql`, '{"query": '),
    code: 'BAD_USER_INPUT',
    status: 400,
  },
  {
    name: 'http: invalid UTF-8 bytes in the raw body',
    send: () =>
      post(
        `${node.url}/graphql`,
        Buffer.concat([
          Buffer.from(
            `{"query":"mutation($i: CreateCustomerInput!){createCustomer(input:$i){id}}","variables":{"i":{"firstName":"`,
          ),
          Buffer.from([0xc3, 0x28, 0xff]),
          Buffer.from(`","lastName":"X"}}}`),
        ]),
        { authorization: `Bearer ${token[Role.ADMIN]}` },
      ),
    code: 'BAD_USER_INPUT',
    status: 400,
  },
  {
    name: 'http: text/plain (CSRF-able) content type',
    send: () =>
      post(`${node.url}/graphql`, JSON.stringify({ query: '{ __typename }' }), {
        'content-type': 'text/plain',
      }),
    code: 'BAD_REQUEST',
    status: 400,
  },
  {
    name: 'http: unsupported charset',
    send: () =>
      post(`${node.url}/graphql`, JSON.stringify({ query: '{ __typename }' }), {
        'content-type': 'application/json; charset=latin1',
      }),
    code: 'UNSUPPORTED_MEDIA_TYPE',
    status: 415,
  },
  {
    name: 'http: unsupported content encoding',
    send: () =>
      post(`${node.url}/graphql`, JSON.stringify({ query: '{ __typename }' }), {
        'content-encoding': 'br-evil',
      }),
    code: 'UNSUPPORTED_MEDIA_TYPE',
    status: 415,
  },
  {
    name: 'http: gzip header over plain bytes',
    send: () =>
      post(`${node.url}/graphql`, JSON.stringify({ query: '{ __typename }' }), {
        'content-encoding': 'gzip',
      }),
    code: 'BAD_USER_INPUT',
    status: 400,
  },
  {
    name: 'http: oversized form body → 413',
    send: () =>
      post(`${node.url}/graphql`, `a=${'x'.repeat(200_000)}`, {
        'content-type': 'application/x-www-form-urlencoded',
      }),
    code: 'PAYLOAD_TOO_LARGE',
    status: 413,
  },
  {
    name: 'http: unknown route',
    send: () => post(`${node.url}/graphql/../../etc/passwd`, {}),
    code: 'NOT_FOUND',
    status: 404,
  },

  // --- control characters, NUL, invisible and bidi characters ----------------------------------
  {
    name: 'input: NUL in a first name',
    send: gql(CREATE_CUSTOMER, customer({ firstName: 'Ada\u0000' })),
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'input: NUL in an external id',
    send: gql(CREATE_CUSTOMER, customer({ externalId: 'ext\u0000-1' })),
    code: 'BAD_USER_INPUT',
  },
  { name: 'input: NUL in a search', send: gql(SEARCH, { q: 'ada\u0000' }), code: 'BAD_USER_INPUT' },
  {
    name: 'input: NUL in a company name',
    send: gql(CREATE_COMPANY, { input: { name: 'Acme\u0000' } }),
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'input: NUL in a tag',
    send: gql(CREATE_CUSTOMER, customer({ tags: ['vip\u0000'] })),
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'input: bell control character in a last name',
    send: gql(CREATE_CUSTOMER, customer({ lastName: 'Love\u0007lace' })),
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'input: escape sequence (terminal injection) in a company name',
    send: gql(CREATE_COMPANY, { input: { name: '\u001b[31mAcme' } }),
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'input: C1 control character',
    send: gql(CREATE_CUSTOMER, customer({ lastName: 'Love\u0085lace' })),
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'input: lone surrogate',
    send: gql(CREATE_CUSTOMER, customer({ lastName: 'Love\ud800lace' })),
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'input: bidi override in a name (Trojan Source)',
    send: gql(CREATE_CUSTOMER, customer({ firstName: 'Ada\u202Eecalevol' })),
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'input: bidi isolate in a company name',
    send: gql(CREATE_COMPANY, { input: { name: 'Acme\u2066Corp' } }),
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'input: zero-width space in a first name',
    send: gql(CREATE_CUSTOMER, customer({ firstName: 'A\u200Bda' })),
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'input: zero-width joiner in an external id',
    send: gql(CREATE_CUSTOMER, customer({ externalId: 'ext\u200D1' })),
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'input: byte order mark in a user display name',
    send: gql(CREATE_USER, user({ displayName: '\uFEFFAdmin' })),
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'input: NUL in a segment rule value',
    send: gql(PREVIEW, { rule: { ...CONDITION, value: 'cust\u0000' } }),
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'input: NUL in a custom attribute key',
    send: gql(CREATE_CUSTOMER, customer({ attributes: { 'a\u0000b': 'x' } })),
    code: 'BAD_USER_INPUT',
  },

  // --- e-mail look-alikes -------------------------------------------------------------------------
  {
    name: 'email: Cyrillic а in the domain (pаypal)',
    send: gql(CREATE_CUSTOMER, customer({ emails: [{ address: 'ada@p\u0430ypal.com' }] })),
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'email: Cyrillic о in the local part',
    send: gql(CREATE_CUSTOMER, customer({ emails: [{ address: 'b\u043eb@example.com' }] })),
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'email: Greek ο mixed into a Latin label',
    send: gql(CREATE_CUSTOMER, customer({ emails: [{ address: 'ada@g\u03bfogle.com' }] })),
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'email: zero-width space',
    send: gql(CREATE_CUSTOMER, customer({ emails: [{ address: 'ada\u200B@example.com' }] })),
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'email: bidi override',
    send: gql(CREATE_CUSTOMER, customer({ emails: [{ address: 'ada@exa\u202Emple.com' }] })),
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'email: right-to-left mark',
    send: gql(CREATE_CUSTOMER, customer({ emails: [{ address: 'ada\u200F@example.com' }] })),
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'email: a user with a look-alike address',
    send: gql(CREATE_USER, user({ email: 'adm\u0456n@example.test' })),
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'email: 1,000 addresses',
    send: gql(
      CREATE_CUSTOMER,
      customer({ emails: Array.from({ length: 1000 }, (_, i) => ({ address: `a${i}@example.com` })) }),
    ),
    code: 'BAD_USER_INPUT',
  },

  // --- passwords ------------------------------------------------------------------------------------
  {
    name: 'password: aaaaaaaaaaaa',
    send: gql(CREATE_USER, user({ password: 'aaaaaaaaaaaa' })),
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'password: password1234',
    send: gql(CREATE_USER, user({ password: 'password1234' })),
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'password: P@ssw0rd2024!',
    send: gql(CREATE_USER, user({ password: 'P@ssw0rd2024!' })),
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'password: 123456789012',
    send: gql(CREATE_USER, user({ password: '123456789012' })),
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'password: qwertyuiopasdf',
    send: gql(CREATE_USER, user({ password: 'qwertyuiopasdf' })),
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'password: iloveyou2024',
    send: gql(CREATE_USER, user({ password: 'iloveyou2024' })),
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'password: eleven chars',
    send: gql(CREATE_USER, user({ password: 'Xk9#mP2$vL7' })),
    code: 'BAD_USER_INPUT',
  },

  // --- dates ------------------------------------------------------------------------------------------
  {
    name: 'date: 2024-02-30 in a mutation',
    send: gql(CREATE_INTERACTION, interaction('2024-02-30T10:00:00Z')),
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'date: 2023-02-29 (not a leap year)',
    send: gql(CREATE_INTERACTION, interaction('2023-02-29T10:00:00Z')),
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'date: month 13',
    send: gql(CREATE_INTERACTION, interaction('2024-13-01T10:00:00Z')),
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'date: hour 24',
    send: gql(CREATE_INTERACTION, interaction('2024-02-10T24:00:00Z')),
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'date: free text',
    send: gql(CREATE_INTERACTION, interaction('yesterday')),
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'date: a number',
    send: gql(CREATE_INTERACTION, interaction(1_700_000_000)),
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'date: year 275760+ (out of range)',
    send: gql(CREATE_INTERACTION, interaction('+275761-01-01T00:00:00Z')),
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'date: impossible date in a query argument',
    send: gql(STATS, { input: { from: '2024-04-31T00:00:00Z' } }),
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'date: impossible date as a literal',
    send: gql(`{ careSatisfactionByCategory(input: { from: "2024-02-30T00:00:00Z" }) { category } }`),
    code: 'GRAPHQL_VALIDATION_FAILED',
    status: 400,
  },

  // --- cursors --------------------------------------------------------------------------------------
  {
    name: 'cursor: not base64url',
    send: gql(CUSTOMERS_AFTER, { after: '%%%not a cursor%%%' }),
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'cursor: an object inside',
    send: gql(CUSTOMERS_AFTER, { after: cursor([{ $gt: '' }, { id: 1 }]) }),
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'cursor: text where a time is sorted',
    send: gql(CUSTOMERS_AFTER, { after: cursor(['not a time', 'not-a-uuid']) }),
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'cursor: SQL in the id',
    send: gql(CUSTOMERS_AFTER, { after: cursor(['2024-01-01T00:00:00Z', "x') OR 1=1 --"]) }),
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'cursor: NUL inside',
    send: gql(CUSTOMERS_AFTER, { after: cursor(['2024-01-01T00:00:00Z\u0000', 'x']) }),
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'cursor: 10 kB long',
    send: gql(CUSTOMERS_AFTER, { after: 'A'.repeat(10_000) }),
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'cursor: timeline cursor with a bad time',
    send: gql(
      `query($id: ID!, $after: String) { customerTimeline(customerId: $id, after: $after) { nodes { __typename } } }`,
      () => ({ id: customerId, after: cursor(['not a time', 1, 'x']) }),
    ),
    code: 'BAD_USER_INPUT',
  },

  // --- huge and deep values, prototype pollution --------------------------------------------------
  {
    name: 'deep: segment rule nested 5,000 levels (preview)',
    send: () => rawGql(PREVIEW, `{"rule": ${nestedText(5000)}}`),
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'deep: segment rule nested 5,000 levels (create)',
    send: () =>
      rawGql(CREATE_SEGMENT, `{"input": {"name": "deep", "kind": "RULE", "rule": ${nestedText(5000)}}}`),
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'deep: segment rule nested 8 levels (create, the rule language limit)',
    send: gql(CREATE_SEGMENT, { input: { name: 'deep8', kind: 'RULE', rule: nested(8, CONDITION) } }),
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'deep: custom attributes nested 100 levels',
    send: gql(CREATE_CUSTOMER, customer({ attributes: { a: nested(100, 1) } })),
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'proto: __proto__ in a segment rule (preview)',
    send: gql(PREVIEW, {
      rule: JSON.parse(
        `{"__proto__": {"polluted": true}, "field": "lifecycleStage", "op": "eq", "value": "customer"}`,
      ) as unknown,
    }),
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'proto: __proto__ in a segment rule (create)',
    send: gql(CREATE_SEGMENT, {
      input: {
        name: 'proto',
        kind: 'RULE',
        rule: JSON.parse(
          `{"all": [{"__proto__": {"admin": true}, "field": "lifecycleStage", "op": "eq", "value": "customer"}]}`,
        ) as unknown,
      },
    }),
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'proto: constructor.prototype in custom attributes',
    send: gql(CREATE_CUSTOMER, customer({ attributes: { constructor: { prototype: { admin: true } } } })),
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'proto: __proto__ in a GraphQL input object',
    send: () =>
      post(
        `${node.url}/graphql`,
        `{"query":"mutation($i: CreateCompanyInput!){createCompany(input:$i){id}}","variables":{"i":{"name":"Acme","__proto__":{"admin":true}}}}`,
        { authorization: `Bearer ${token[Role.ADMIN]}` },
      ),
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'huge: a 90 kB first name',
    send: gql(CREATE_CUSTOMER, customer({ firstName: 'A'.repeat(90_000) })),
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'huge: 10,000 tags',
    send: gql(CREATE_CUSTOMER, customer({ tags: Array.from({ length: 10_000 }, (_, i) => `t${i}`) })),
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'huge: Int overflow for `first`',
    send: gql(`query($n: Int) { customers(first: $n) { nodes { id } } }`, { n: 2 ** 31 }),
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'huge: `first` of 1,000',
    send: gql(`{ customers(first: 1000) { nodes { id } } }`),
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'huge: negative `first`',
    send: gql(`{ customers(first: -1) { nodes { id } } }`),
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'type: a string for an Int',
    send: gql(`query($n: Int) { customers(first: $n) { nodes { id } } }`, { n: '10' }),
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'type: null for a required field',
    send: gql(CREATE_CUSTOMER, customer({ lastName: null })),
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'type: an unknown input field',
    send: gql(CREATE_CUSTOMER, customer({ isAdmin: true })),
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'type: an unknown enum value',
    send: gql(CREATE_CUSTOMER, customer({ lifecycleStage: 'GOD' })),
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'type: an id that is not a uuid',
    send: gql(`{ customer(id: "1 OR 1=1") { id } }`),
    code: 'NOT_FOUND',
  },
];

/** A rule nested `depth` levels as JSON text (JSON.stringify itself overflows the stack there). */
function nestedText(depth: number): string {
  return `${'{"not": '.repeat(depth)}${JSON.stringify(CONDITION)}${'}'.repeat(depth)}`;
}

/** A GraphQL call whose variables are given as JSON text, as an attacker would write them. */
function rawGql(query: string, variables: string) {
  return post(`${node.url}/graphql`, `{"query": ${JSON.stringify(query)}, "variables": ${variables}}`, {
    authorization: `Bearer ${token[Role.ADMIN]}`,
  });
}

function aliases(n: number, field: string, prefix = 'a'): string {
  return Array.from({ length: n }, (_, i) => `${prefix}${i}: ${field}`).join(' ');
}

/** customers → companies → company → customers → customer…: 2 + 4 × rounds levels deep. */
function deep(rounds: number): string {
  const down = 'companies { company { customers { customer { '.repeat(rounds);
  return `customers { nodes { ${down}id${' } } } }'.repeat(rounds)} } }`;
}

describe('abuse corpus: GraphQL edge of a partner node', () => {
  beforeAll(async () => {
    node = await startTestNode('abuse_graphql');
    for (const role of [Role.ADMIN, Role.AGENT, Role.MARKETER, Role.COMPLIANCE])
      token[role] = await node.tokenFor(role);
    const created = ok(
      await node.gql<{ createCustomer: { id: string } }>(
        CREATE_CUSTOMER,
        customer({ externalId: 'seed-1' }),
        token[Role.ADMIN],
      ),
    );
    customerId = created.createCustomer.id;
    counts = new TableCounts(node.db.url);
  });

  afterAll(async () => {
    await counts?.close();
    await node?.close();
  });

  it.each(cases)('$name', (testCase) => runCase(testCase, counts));

  it('still accepts legitimate input: any script, NFC-normalised; emoji sequences in prose; real dates', async () => {
    const admin = token[Role.ADMIN]!;
    for (const [firstName, lastName] of [
      ['Zoe\u0308', 'Bronte\u0308'],
      ['Иван', 'Петров'],
      ['محمد', 'العلي'],
      ['美咲', '山田'],
    ]) {
      const created = ok(
        await node.gql<{ createCustomer: { id: string; firstName: string } }>(
          `mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { id firstName } }`,
          {
            input: {
              firstName,
              lastName,
              emails: [{ address: `${lastName.length}-${Math.random()}@example.com`.replace('0.', '') }],
            },
          },
          admin,
        ),
      );
      expect(created.createCustomer.firstName).toBe(firstName!.normalize('NFC'));
    }
    const created = ok(
      await node.gql<{ createInteraction: { summary: string; occurredAt: string } }>(
        `mutation($input: CreateInteractionInput!) { createInteraction(input: $input) { summary occurredAt } }`,
        {
          input: {
            customerId,
            channel: 'PHONE',
            direction: 'INBOUND',
            occurredAt: '2024-02-29T23:30:00+02:00',
            summary: 'Thanks 👩\u200D💻',
          },
        },
        admin,
      ),
    );
    expect(created.createInteraction).toEqual({
      summary: 'Thanks 👩\u200D💻',
      occurredAt: '2024-02-29T21:30:00.000Z',
    });
  });
});
