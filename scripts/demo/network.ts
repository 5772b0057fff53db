import { randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import pg from 'pg';
import { deleteKeysUnder } from '#platform/queue/redis-keys';
import { bootstrapFederation } from '../../apps/federation/src/bootstrap.js';
import { loadFederationConfig } from '../../apps/federation/src/config.js';
import { bootstrapNode } from '../../apps/partner-node/src/bootstrap.js';
import { loadPartnerNodeConfig } from '../../apps/partner-node/src/config.js';
import { DEMO_PARTNERS, type DemoPartnerProfile } from '../../apps/partner-node/src/demo/demo-population.js';
import { createDemoUsers, type DemoUser } from '../../apps/partner-node/src/demo/demo-seed.js';
import { Role } from '../../apps/partner-node/src/users/role.js';
import { workLine } from './report.js';

/** Bearer tokens of the demo live for a working day. */
export const DEMO_TOKEN_TTL_SECONDS = 8 * 3600;
export const DEMO_FEDERATION_ID = 'concordia-demo';
/** Redis key prefix of the demo's queues: never a real node's (`concordia:<id>`) nor a test's. */
export const DEMO_REDIS_PREFIX = 'concordia-demo';

export interface DemoNode {
  profile: DemoPartnerProfile;
  name: string;
  app: INestApplication;
  url: string;
  users: DemoUser[];
  token(role: Role): string;
  /** GraphQL over HTTP as one of the demo users; throws on errors, naming their codes. */
  gql<T>(role: Role, query: string, variables?: Record<string, unknown>): Promise<T>;
}

export interface DemoFederation {
  app: INestApplication;
  url: string;
  operator: { email: string; password: string; token: string };
  gql<T>(query: string, variables?: Record<string, unknown>): Promise<T>;
}

export interface DemoNetwork {
  federation: DemoFederation;
  nodes: DemoNode[];
  /** Nodes started but not onboarded (options.applicants): no membership, no customers. */
  applicants: DemoNode[];
  node(partnerId: string): DemoNode;
  /** The databases created on the server of DATABASE_URL (none when embedded). */
  databases: string[];
  close(): Promise<void>;
}

export interface DemoNetworkOptions {
  customers: number;
  host: string;
  /** 0: every server on a free port; otherwise the nodes on port+1…, the federation on port+100. */
  port: number;
  databaseUrl?: string;
  redisUrl?: string;
  /** Names of the databases on the server: `<prefix>_<service>` (default `concordia_demo`). */
  databasePrefix?: string;
  /** Redis key prefix of the queues (default `concordia-demo`). */
  redisPrefix?: string;
  /** Extra environment of every service (e.g. CONSOLE_DIST for the browser tests). */
  env?: Record<string, string>;
  /** Partners whose nodes start (with their users) but do not join: a node that can apply (tests). */
  applicants?: readonly (Omit<DemoPartnerProfile, 'customers'> & { name: string })[];
}

export class GraphQLCallError extends Error {}

async function graphql<T>(
  url: string,
  token: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<T> {
  const call = () =>
    fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
      // A call that hangs fails the step, naming it, instead of stalling the demo.
      signal: AbortSignal.timeout(120_000),
    });
  let response: Response;
  try {
    response = await call();
  } catch (error) {
    // A pooled keep-alive connection that the server closed while the demo was busy elsewhere
    // (loading data in process) fails before the request is sent: try once more on a new one.
    const code = ((error as Error).cause as { code?: string } | undefined)?.code;
    if (code !== 'UND_ERR_SOCKET' && code !== 'ECONNRESET') throw error;
    response = await call();
  }
  const body = (await response.json()) as {
    data?: T;
    errors?: { message: string; extensions?: { code?: string; reason?: string } }[];
  };
  if (body.errors?.length) {
    throw new GraphQLCallError(
      body.errors
        .map((e) => `${e.message} (${[e.extensions?.code, e.extensions?.reason].filter(Boolean).join('/')})`)
        .join('; '),
    );
  }
  return body.data as T;
}

/** A fresh database of the demo on the server of DATABASE_URL, or an embedded one in memory. */
async function databaseFor(
  name: string,
  serverUrl: string | undefined,
  prefix: string,
  created: string[],
): Promise<Record<string, string>> {
  if (!serverUrl) return { DATA_DIR: `memory://demo-${name}` };
  const database = `${prefix}_${name.replace(/-/g, '_')}`;
  created.push(database);
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${database}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return { DATABASE_URL: url.toString() };
}

const secret = () => randomBytes(32).toString('base64url');

/** Starts the federation, then the three partner nodes (each on its own database), with demo users. */
export async function startDemoNetwork(options: DemoNetworkOptions): Promise<DemoNetwork> {
  const databasePrefix = options.databasePrefix ?? 'concordia_demo';
  const redisPrefix = options.redisPrefix ?? DEMO_REDIS_PREFIX;
  const databases: string[] = [];
  // What a previous run left under the prefix (the demo's queues keep their keys: not NODE_ENV=test).
  if (options.redisUrl) await deleteKeysUnder(options.redisUrl, redisPrefix);
  const common = {
    NODE_ENV: 'development',
    HOST: options.host,
    AUTH_TOKEN_TTL_SECONDS: String(DEMO_TOKEN_TTL_SECONDS),
    ...(options.redisUrl ? { REDIS_URL: options.redisUrl } : {}),
    ...options.env,
  };
  const operator = { email: 'operator@federation.example', password: randomBytes(12).toString('base64url') };
  const federationConfig = loadFederationConfig({
    ...common,
    ...(await databaseFor('federation', options.databaseUrl, databasePrefix, databases)),
    PORT: String(options.port === 0 ? 0 : options.port + 100),
    FEDERATION_ID: DEMO_FEDERATION_ID,
    // Under the demo's prefix too, so that clearing it clears the federation's queues as well.
    REDIS_PREFIX: `${redisPrefix}:federation`,
    KEY_ENCRYPTION_SECRET: secret(),
    AUTH_TOKEN_SECRET: secret(),
    OPERATOR_EMAIL: operator.email,
    OPERATOR_PASSWORD: operator.password,
  });
  const started: { close(): Promise<void> }[] = [];
  const close = async () => {
    for (const app of started.reverse()) await app.close();
  };
  try {
    const fed = await workLine(
      'federation: database, migrations, keys',
      () => bootstrapFederation(federationConfig),
      (f) => `federation "${DEMO_FEDERATION_ID}" up at ${f.url}`,
    );
    started.push(fed.app);
    const login = await graphql<{ login: { token: string } }>(
      fed.url,
      '',
      `
        mutation ($input: OperatorLoginInput!) {
          login(input: $input) {
            token
          }
        }
      `,
      { input: operator },
    );
    const federation: DemoFederation = {
      app: fed.app,
      url: fed.url,
      operator: { ...operator, token: login.login.token },
      gql: (query, variables) => graphql(fed.url, login.login.token, query, variables),
    };

    const partners = [...DEMO_PARTNERS, ...(options.applicants ?? [])];
    // The nodes start side by side: each one's start waits on its own database and key work, and
    // what one waits for (compiling PGlite, hashing the demo users' passwords off the main thread)
    // another uses.
    const starting = partners.map(async (partner, index): Promise<DemoNode> => {
      const config = loadPartnerNodeConfig({
        ...common,
        ...(await databaseFor(partner.partnerId, options.databaseUrl, databasePrefix, databases)),
        PORT: String(options.port === 0 ? 0 : options.port + 1 + index),
        PARTNER_ID: partner.partnerId,
        FEDERATION_URL: fed.url,
        KEY_ENCRYPTION_SECRET: secret(),
        AUTH_TOKEN_SECRET: secret(),
        REDIS_PREFIX: `${redisPrefix}:${partner.partnerId}`,
        // Up to 4 connections per node: three nodes and the federation share one server.
        DATABASE_POOL_SIZE: '4',
      });
      const { app, url } = await workLine(
        `${partner.partnerId}: database, migrations, keys, demo users`,
        () => bootstrapNode(config),
        (n) => `${partner.partnerId} (${partner.name}) up at ${n.url}`,
      );
      started.push(app);
      const users = await createDemoUsers(app, partner.partnerId);
      const token = (role: Role) => users.find((u) => u.role === role)!.token;
      const applicant = index >= DEMO_PARTNERS.length;
      return {
        profile: { ...partner, customers: applicant ? 0 : options.customers },
        name: partner.name,
        app,
        url,
        users,
        token,
        gql: (role, query, variables) => graphql(url, token(role), query, variables),
      };
    });
    // Every start settles before a failure is reported, so that close() stops all that started.
    const settled = await Promise.allSettled(starting);
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) throw failed.reason;
    const all = settled.map((s) => (s as PromiseFulfilledResult<DemoNode>).value);
    const nodes = all.slice(0, DEMO_PARTNERS.length);
    const applicants = all.slice(DEMO_PARTNERS.length);
    return {
      federation,
      nodes,
      applicants,
      node: (partnerId) => nodes.find((n) => n.profile.partnerId === partnerId)!,
      databases,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
