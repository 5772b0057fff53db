import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { ConfigError } from '#platform/errors/app-errors';
import { deleteKeysUnder } from '#platform/queue/redis-keys';
import {
  createTestDatabase,
  TEST_REDIS_URL,
  testRedisPrefix,
  type TestDatabase,
} from '#platform/testing/test-database';
import { bootstrapFederation, type RunningFederation } from './bootstrap.js';
import { loadFederationConfig } from './config.js';

describe('federation service (real PostgreSQL and Redis)', () => {
  let db: TestDatabase;
  let federation: RunningFederation;
  beforeAll(async () => {
    db = await createTestDatabase('federation');
    federation = await bootstrapFederation(
      loadFederationConfig({
        NODE_ENV: 'test',
        PORT: '0',
        DATABASE_URL: db.url,
        REDIS_URL: TEST_REDIS_URL,
        FEDERATION_ID: 'test-net',
      }),
    );
  });
  afterAll(async () => {
    await federation?.app.close();
    await db?.drop();
  });

  it('boots, reports healthy, and says who it is', async () => {
    const health = await fetch(`${federation.url}/health`);
    expect(health.status).toBe(200);
    const response = await fetch(`${federation.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ federation { federationId } }' }),
    });
    expect(await response.json()).toEqual({ data: { federation: { federationId: 'test-net' } } });
  });
});

describe("the federation's queue prefix (REDIS_PREFIX)", () => {
  it('defaults to concordia:federation:<id>, takes a hash-tagged one, and refuses a malformed one by name', () => {
    expect(loadFederationConfig({ FEDERATION_ID: 'acme-net' }).redisPrefix).toBe(
      'concordia:federation:acme-net',
    );
    expect(
      loadFederationConfig({ FEDERATION_ID: 'acme-net', REDIS_PREFIX: '{concordia:fed}' }).redisPrefix,
    ).toBe('{concordia:fed}');
    expect(() => loadFederationConfig({ REDIS_PREFIX: 'has spaces' })).toThrow(ConfigError);
    expect(() => loadFederationConfig({ REDIS_PREFIX: 'has spaces' })).toThrow(/REDIS_PREFIX: must be/);
  });

  it('keeps every key of its queues under the prefix given (real Redis)', async () => {
    const prefix = testRedisPrefix('federation_prefix');
    const db = await createTestDatabase('federation_prefix');
    const redis = new Redis(TEST_REDIS_URL);
    try {
      // Not NODE_ENV=test, which adds a random part of its own: the prefix is used as given.
      const federation = await bootstrapFederation(
        loadFederationConfig({
          NODE_ENV: 'development',
          PORT: '0',
          DATABASE_URL: db.url,
          REDIS_URL: TEST_REDIS_URL,
          REDIS_PREFIX: prefix,
          FEDERATION_ID: 'prefix-net',
        }),
      );
      // Its schedules reach Redis after the start (BullMQ connects lazily): waited for, boundedly.
      let keys: string[] = [];
      for (let waited = 0; keys.length === 0 && waited < 10_000; waited += 100) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        keys = await redis.keys(`${prefix}:*`);
      }
      await federation.app.close();
      expect(keys.some((key) => key.startsWith(`${prefix}:federation-ledger.`))).toBe(true);
      expect(await redis.keys('concordia:federation:prefix-net:*')).toEqual([]);
    } finally {
      await deleteKeysUnder(TEST_REDIS_URL, prefix);
      redis.disconnect();
      await db.drop();
    }
  });
});
