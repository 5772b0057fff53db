import { randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { AccessTokens } from '#platform/auth/access-tokens';
import {
  createTestDatabase,
  type TestDatabase,
  TEST_REDIS_URL,
  ownRedisPrefix,
} from '#platform/testing/test-database';
import { deleteKeysUnder } from '#platform/queue/redis-keys';
import { bootstrapNode } from '../bootstrap.js';
import { loadPartnerNodeConfig, type PartnerNodeConfig } from '../config.js';
import { Role } from '../users/role.js';
import { UsersService } from '../users/users.service.js';

export interface GqlResponse<T = Record<string, unknown>> {
  data?: T | null;
  errors?: {
    message: string;
    path?: string[];
    extensions?: { code?: string; field?: string } & Record<string, unknown>;
  }[];
}

/** A partner node booted on its own fresh database on the machine's PostgreSQL, for one test file. */
export interface TestNode {
  app: INestApplication;
  url: string;
  db: TestDatabase;
  config: PartnerNodeConfig;
  gql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    token?: string,
  ): Promise<GqlResponse<T>>;
  /** Creates a user holding these roles and returns a bearer token for them. */
  tokenFor(...roles: Role[]): Promise<string>;
  /** Like tokenFor, and also returns the user id. */
  userFor(...roles: Role[]): Promise<{ id: string; token: string }>;
  close(): Promise<void>;
}

export async function startTestNode(label: string, env: Record<string, string> = {}): Promise<TestNode> {
  const db = await createTestDatabase(label);
  const ownPrefix = ownRedisPrefix(label, env);
  const config = loadPartnerNodeConfig({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: db.url,
    DATABASE_POOL_SIZE: '5',
    REDIS_URL: TEST_REDIS_URL,
    ...(ownPrefix ? { REDIS_PREFIX: ownPrefix } : {}),
    PARTNER_ID: `test-${label.replace(/[^a-z0-9]/g, '-')}`.slice(0, 60),
    ...env,
  });
  const { app, url } = await bootstrapNode(config);
  const gql = async <T>(
    query: string,
    variables?: Record<string, unknown>,
    token?: string,
  ): Promise<GqlResponse<T>> => {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as GqlResponse<T>;
  };
  const userFor = async (...roles: Role[]) => {
    const user = await app.get(UsersService).create({
      email: `${roles.join('-') || 'user'}-${randomBytes(4).toString('hex')}@example.test`,
      displayName: `Test ${roles.join(' ')}`,
      roles,
      password: randomBytes(12).toString('base64url'),
    });
    const { token } = await app.get(AccessTokens).issue({ id: user.id, roles: user.roles });
    return { id: user.id, token };
  };
  return {
    app,
    url,
    db,
    config,
    gql,
    userFor,
    tokenFor: async (...roles: Role[]) => (await userFor(...roles)).token,
    async close() {
      await app.close();
      await db.drop();
      if (ownPrefix) await deleteKeysUnder(TEST_REDIS_URL, ownPrefix);
    },
  };
}
