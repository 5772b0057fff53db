import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, TEST_REDIS_URL, type TestDatabase } from '#platform/testing/test-database';
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
