import { createHash, randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  createJwks,
  generateSigningKeyPair,
  signMessage,
  type MessageInput,
  type MessageKind,
  type SigningKeyPair,
  nowSeconds,
} from '#protocol';
import { FederationClient, type RequestSigner } from '#federation-client';
import {
  createTestDatabase,
  type TestDatabase,
  TEST_REDIS_URL,
  ownRedisPrefix,
} from '#platform/testing/test-database';
import { deleteKeysUnder } from '#platform/queue/redis-keys';
import { bootstrapFederation } from '../bootstrap.js';
import { loadFederationConfig, type FederationConfig } from '../config.js';

export interface GqlResponse<T = Record<string, unknown>> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string; reason?: string } & Record<string, unknown> }[];
}

/** A federation booted on its own fresh database, with an operator, for one test file or bench. */
export interface TestFederation {
  app: INestApplication;
  url: string;
  db: TestDatabase;
  config: FederationConfig;
  client: FederationClient;
  operatorToken: string;
  gql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    token?: string,
  ): Promise<GqlResponse<T>>;
  /** Approves a pending application as the operator; `validUntil` ends the membership term. */
  approve(applicationId: string, validUntil?: Date): Promise<void>;
  /** Row counts of every table a message could write to (to prove a refusal stored nothing). */
  counts(): Promise<Record<string, number>>;
  close(): Promise<void>;
}

export const OPERATOR = { email: 'operator@federation.test', password: 'operator password 123' };

export async function startTestFederation(
  label: string,
  env: Record<string, string> = {},
): Promise<TestFederation> {
  const db = await createTestDatabase(label);
  const ownPrefix = ownRedisPrefix(label, env);
  const config = loadFederationConfig({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: db.url,
    REDIS_URL: TEST_REDIS_URL,
    ...(ownPrefix ? { REDIS_PREFIX: ownPrefix } : {}),
    FEDERATION_ID: 'test-net',
    KEY_ENCRYPTION_SECRET: 'a test secret of at least thirty-two characters',
    OPERATOR_EMAIL: OPERATOR.email,
    OPERATOR_PASSWORD: OPERATOR.password,
    ...env,
  });
  const { app, url } = await bootstrapFederation(config);
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
  const login = await gql<{ login: { token: string } }>(
    `mutation($input: OperatorLoginInput!) { login(input: $input) { token } }`,
    { input: OPERATOR },
  );
  if (!login.data) throw new Error(`operator login failed: ${JSON.stringify(login.errors)}`);
  const operatorToken = login.data.login.token;
  const dataSource = app.get(DataSource);
  const TABLES = [
    'member',
    'member_key',
    'membership_application',
    'agreement',
    'agreement_message',
    'consent',
    'consent_subject',
    'federation_event',
    'received_message',
    'refusal',
    'federation_ledger_message',
  ];
  return {
    app,
    url,
    db,
    config,
    client: new FederationClient({ baseUrl: url }),
    operatorToken,
    gql,
    async approve(applicationId, validUntil) {
      const result = await gql(
        `mutation($id: ID!, $until: DateTime) { approveApplication(applicationId: $id, validUntil: $until) { partnerId } }`,
        { id: applicationId, until: validUntil?.toISOString() },
        operatorToken,
      );
      if (result.errors) throw new Error(`approval failed: ${JSON.stringify(result.errors)}`);
    },
    async counts() {
      const counts: Record<string, number> = {};
      for (const table of TABLES) {
        // Refusals: how many, whether recorded one by one or aggregated (anonymous callers).
        const what = table === 'refusal' ? 'coalesce(sum(count), 0)' : 'count(*)';
        const [row]: { n: string }[] = await dataSource.query(`SELECT ${what} AS n FROM ${table}`);
        counts[table] = Number(row!.n);
      }
      // Queued and sequenced ledger entries in one snapshot (the sequencer moves rows between them).
      const [ledger]: { n: string }[] = await dataSource.query(
        `SELECT (SELECT count(*) FROM ledger_queue) + (SELECT count(*) FROM ledger_entry) AS n`,
      );
      counts.ledger_entries = Number(ledger!.n);
      return counts;
    },
    async close() {
      await app.close();
      await db.drop();
      if (ownPrefix) await deleteKeysUnder(TEST_REDIS_URL, ownPrefix);
    },
  };
}

/** The privacy notice the simulated partners' consents name. */
export const TEST_NOTICE = {
  id: 'privacy-notice',
  version: '2025-06',
  contentHash: createHash('sha256').update('notice').digest('base64url'),
};

/** A simulated partner: its keys (from the protocol library) and helpers to sign what it sends. */
export class SimulatedPartner {
  key: SigningKeyPair = generateSigningKeyPair();
  constructor(
    readonly id: string,
    readonly federationId = 'test-net',
  ) {}

  get signer(): RequestSigner {
    return { partnerId: this.id, signingKey: this.key.privateJwk };
  }

  sign<K extends MessageKind>(
    kind: K,
    claims: Omit<MessageInput<K>, 'iss' | 'exp'> & { exp?: number },
    key = this.key,
  ): string {
    const now = nowSeconds();
    return signMessage(kind, { iss: this.id, exp: now + 3600, ...claims } as MessageInput<K>, key.privateJwk);
  }

  /**
   * The claims of one recipient's registration of a consent this partner collected (customer
   * care, care history, for bob-shop under the agreement its tokens name, valid a day, a new
   * registration id); `claims` replace any of them.
   */
  consentClaims(
    claims: Pick<MessageInput<'consent-registration'>, 'subjectTokens'> &
      Partial<MessageInput<'consent-registration'>>,
  ): Omit<MessageInput<'consent-registration'>, 'iss' | 'exp'> &
    Partial<MessageInput<'consent-registration'>> {
    const now = nowSeconds();
    return {
      aud: this.federationId,
      registrationId: `registration-${randomUUID()}`,
      controller: this.id,
      recipient: 'bob-shop',
      agreementId: claims.subjectTokens[0]?.keyId ?? 'agreement-ab-0001',
      purposes: ['customer-care'],
      categories: ['care-history'],
      validFrom: now - 60,
      validUntil: now + 86_400,
      receiptCommitment: TEST_NOTICE.contentHash,
      ...claims,
    };
  }

  application(key = this.key): string {
    return this.sign(
      'membership-application',
      {
        sub: this.id,
        aud: this.federationId,
        name: `${this.id} Ltd`,
        endpoint: `https://${this.id}.example/concordia`,
        jwks: createJwks([key.publicJwk]),
      },
      key,
    );
  }
}
