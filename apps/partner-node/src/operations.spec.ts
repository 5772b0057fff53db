import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ConfigError } from '#platform/errors/app-errors';
import { bootstrapNode } from './bootstrap.js';
import { loadPartnerNodeConfig } from './config.js';
import { startTestNode, type TestNode } from './testing/test-node.js';
import { Role } from './users/role.js';

/** The problems a configuration is refused with (it must be refused, with a ConfigError). */
function configProblems(env: Record<string, string>): string[] {
  let error: unknown;
  try {
    loadPartnerNodeConfig(env);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ConfigError);
  return (error as ConfigError).problems;
}

describe('configuration', () => {
  it('reports every wrong or missing value at once, naming the variable', () => {
    const text = configProblems({
      NODE_ENV: 'production',
      PORT: 'eighty',
      DATABASE_URL: 'mysql://db/crm',
      REDIS_URL: 'not a url',
      ADMIN_EMAIL: 'root@example.test',
      REDIS_PREFIX: 'has spaces',
    }).join('\n');
    expect(text).toMatch(/PORT/);
    expect(text).toMatch(/DATABASE_URL: must be a URL starting with postgres:\/\//);
    expect(text).toMatch(/REDIS_URL/);
    expect(text).toMatch(/AUTH_TOKEN_SECRET: is required in production/);
    expect(text).toMatch(/ADMIN_PASSWORD: is required when ADMIN_EMAIL is set/);
    expect(text).toMatch(/REDIS_PREFIX: must be/);
    expect(() => loadPartnerNodeConfig({ QUEUE_WORKERS: 'false' })).toThrow(
      /QUEUE_WORKERS: false needs REDIS_URL/,
    );
  });

  it("checks the modules' tunables (ledger, sharing, segment merges) with the rest", () => {
    const problems = configProblems({
      SHARING_SWEEP_MS: '500',
      SHARING_BATCH_SIZE: 'many',
      SHARING_PULL_REQUEST_TTL_SECONDS: '301',
      LEDGER_SEQUENCE_INTERVAL_MS: '-1',
      SEGMENT_MERGE_SYNC_MS: '2.5',
    });
    expect(problems).toHaveLength(5);
    const text = problems.join('\n');
    expect(text).toMatch(/SHARING_SWEEP_MS: must be a whole number ≥ 1000/);
    expect(text).toMatch(/SHARING_BATCH_SIZE: /);
    expect(text).toMatch(/SHARING_PULL_REQUEST_TTL_SECONDS: must be ≤ 300/);
    expect(text).toMatch(/LEDGER_SEQUENCE_INTERVAL_MS: must be a whole number ≥ 0/);
    expect(text).toMatch(/SEGMENT_MERGE_SYNC_MS: /);

    const config = loadPartnerNodeConfig({
      SHARING_BATCH_SIZE: '7',
      LEDGER_CHECKPOINT_INTERVAL_SECONDS: '0',
    });
    expect(config.sharing.batchSize).toBe(7);
    expect(config.sharing.sweepMs).toBe(5000);
    expect(config.sharing.pullRequestTtlSeconds).toBe(120);
    expect(config.ledger).toEqual({
      checkpointIntervalSeconds: 0,
      sequenceIntervalMs: 1000,
      maxExportEntries: 100_000,
      federationCheckIntervalSeconds: 60,
    });
    expect(config.segmentMergeSyncMs).toBe(30_000);
  });

  it('uses embedded defaults when nothing is set', () => {
    const config = loadPartnerNodeConfig({});
    expect(config.database.url).toBeUndefined();
    expect(config.database.embeddedDataDir).toBe('.data/partner-node');
    expect(config.auth.tokenSecretIsEphemeral).toBe(true);
    expect(config.redisPrefix).toBe('concordia:partner-node');
    expect(config.queueWorkers).toBe(true);
    expect(loadPartnerNodeConfig({ PARTNER_ID: 'acme', REDIS_PREFIX: '{concordia:acme}' }).redisPrefix).toBe(
      '{concordia:acme}',
    );
  });
});

describe('health, query limits (real PostgreSQL and Redis)', () => {
  let node: TestNode;
  let admin: string;
  beforeAll(async () => {
    node = await startTestNode('ops', { GRAPHQL_MAX_DEPTH: '2', GRAPHQL_MAX_COMPLEXITY: '12' });
    admin = await node.tokenFor(Role.ADMIN);
  });
  afterAll(async () => node?.close());

  it('GET /health reports the database and Redis up, without a login', async () => {
    const response = await fetch(`${node.url}/health`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { status: string; info: Record<string, { status: string }> };
    expect(body.status).toBe('ok');
    expect(body.info.database.status).toBe('up');
    expect(body.info.redis.status).toBe('up');
  });

  it('refuses a query deeper than the limit with QUERY_TOO_COMPLEX, before running it', async () => {
    expect((await node.gql(`{ me { id } }`, {}, admin)).errors).toBeUndefined();
    // Depth 3 > 2: refused before the (wrong) password is even checked.
    const deep = await node.gql(
      `mutation { login(input: { email: "a@b.test", password: "x" }) { user { id } } }`,
    );
    expect(deep.errors![0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', depth: 3, maxDepth: 2 });
  });

  it('refuses a query costlier than the complexity limit', async () => {
    const fields = 'id email displayName roles active createdAt';
    expect((await node.gql(`{ users { ${fields} } }`, {}, admin)).errors).toBeUndefined();
    const costly = await node.gql(`{ a: users { ${fields} } b: users { ${fields} } }`, {}, admin);
    expect(costly.errors![0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', maxComplexity: 12 });
  });
});

describe('health when Redis is down', () => {
  let node: TestNode;
  beforeAll(async () => {
    node = await startTestNode('ops_noredis', { REDIS_URL: 'redis://127.0.0.1:1' });
  });
  afterAll(async () => node?.close());

  it('answers 503 and names Redis as down', async () => {
    const response = await fetch(`${node.url}/health`);
    expect(response.status).toBe(503);
    const body = (await response.json()) as { error: Record<string, { status: string }> };
    expect(body.error.redis.status).toBe('down');
  });
});

describe('embedded default (PGlite, no servers)', () => {
  it('boots on an in-memory embedded database, runs migrations, and serves GraphQL', async () => {
    const config = loadPartnerNodeConfig({
      NODE_ENV: 'test',
      PORT: '0',
      DATA_DIR: `memory://ops-${randomBytes(4).toString('hex')}`,
      ADMIN_EMAIL: 'admin@example.test',
      ADMIN_PASSWORD: 'embedded admin password',
    });
    const { app, url } = await bootstrapNode(config);
    try {
      const login = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query: `mutation { login(input: { email: "admin@example.test", password: "embedded admin password" }) { token user { roles } } }`,
        }),
      });
      const body = (await login.json()) as { data: { login: { token: string; user: { roles: string[] } } } };
      expect(body.data.login.user.roles).toEqual(['ADMIN']);
    } finally {
      await app.close();
    }
  });
});
