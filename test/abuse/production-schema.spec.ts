import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  startTestFederation,
  type TestFederation,
} from '../../apps/federation/src/testing/test-federation.js';
import { startTestNode, type TestNode } from '../../apps/partner-node/src/testing/test-node.js';
import { Role } from '../../apps/partner-node/src/users/role.js';
import { graphql, runCase, TableCounts, type AbuseCase } from './abuse-case.js';

/**
 * In production neither the node nor the federation hands its schema to strangers: introspection
 * is refused and errors do not suggest field names ("Did you mean …?"). Test and development
 * keep both (the other corpus files run there).
 */
const PRODUCTION = {
  NODE_ENV: 'production',
  AUTH_TOKEN_SECRET: 'a production token secret of at least thirty-two characters',
  KEY_ENCRYPTION_SECRET: 'a production key secret of at least thirty-two characters',
};
const INTROSPECTION = '{ __schema { types { name } } }';
const TYPO = '{ me { displayNam } }';

let node: TestNode;
let fed: TestFederation;
let dev: TestNode;
let nodeCounts: TableCounts;
let fedCounts: TableCounts;
let nodeToken = '';

const noSuggestion = async (answer: { body: unknown }) => {
  expect(JSON.stringify(answer.body)).not.toMatch(/Did you mean/);
};

const cases: AbuseCase[] = [
  {
    name: 'production node: introspection',
    send: () => graphql(node.url, INTROSPECTION, {}, nodeToken),
    code: 'GRAPHQL_VALIDATION_FAILED',
    status: 400,
  },
  {
    name: 'production node: __type probe',
    send: () => graphql(node.url, '{ __type(name: "User") { fields { name } } }', {}, nodeToken),
    code: 'GRAPHQL_VALIDATION_FAILED',
    status: 400,
  },
  {
    name: 'production node: no field suggestions',
    send: () => graphql(node.url, TYPO, {}, nodeToken),
    code: 'GRAPHQL_VALIDATION_FAILED',
    status: 400,
    check: noSuggestion,
  },
  {
    name: 'production federation: introspection',
    send: () => graphql(fed.url, INTROSPECTION, {}, fed.operatorToken),
    code: 'GRAPHQL_VALIDATION_FAILED',
    status: 400,
  },
  {
    name: 'production federation: no field suggestions',
    send: () => graphql(fed.url, '{ members { nodes { partnerI } } }', {}, fed.operatorToken),
    code: 'GRAPHQL_VALIDATION_FAILED',
    status: 400,
    check: noSuggestion,
  },
];

describe('abuse corpus: the schema in production', () => {
  beforeAll(async () => {
    [node, fed, dev] = await Promise.all([
      startTestNode('abuse_prod_node', PRODUCTION),
      startTestFederation('abuse_prod_fed', PRODUCTION),
      startTestNode('abuse_dev_node'),
    ]);
    nodeToken = await node.tokenFor(Role.ADMIN);
    nodeCounts = new TableCounts(node.db.url);
    fedCounts = new TableCounts(fed.db.url);
  });

  afterAll(async () => {
    await nodeCounts?.close();
    await fedCounts?.close();
    await Promise.all([node?.close(), fed?.close(), dev?.close()]);
  });

  it.each(cases)('$name', (testCase) =>
    runCase(testCase, testCase.name.startsWith('production node') ? nodeCounts : fedCounts),
  );

  it('keeps them in test and development', async () => {
    const token = await dev.tokenFor(Role.ADMIN);
    const introspection = await graphql(dev.url, INTROSPECTION, {}, token);
    expect(introspection.status).toBe(200);
    const typo = await graphql(dev.url, TYPO, {}, token);
    expect(JSON.stringify(typo.body)).toMatch(/Did you mean/);
  });
});
