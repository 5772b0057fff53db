/**
 * Shared customer-care history, end to end on loopback, in one process: the federation and four
 * partner nodes (alpha, gamma, delta hold history; beta's agents read it), each on its own
 * PostgreSQL database, BullMQ on Redis when REDIS_URL (or the default local Redis) answers.
 *
 * 1. Push throughput: N records (default 100,000) written at alpha for consenting customers; the
 *    clock runs from the commit until beta has stored them all: the outbox drained into envelopes
 *    of SHARING_BATCH_SIZE records (one signature each, records JWE-encrypted for beta), relayed by
 *    the federation, verified by beta (signature, audience, replay, consent status, categories)
 *    and stored durably. Baseline in the same run: raw node:crypto Ed25519 sign + verify of each
 *    of the same records' canonical bytes (one signature per record). Goal: ratio ≥ 1.0.
 * 2. Push latency, one record at a time: from the commit of an interaction at alpha until beta has
 *    stored it, p50 / p95; with the outbox listener (NOTIFY at commit → drain at once) and, as the
 *    baseline in the same run, with the listener stopped (the sweep alone, every SHARING_SWEEP_MS).
 * 3. Latency of opening a customer at beta with history held by three partners: customerTimeline
 *    (includeShared: true, reason: a care case) over HTTP, which checks the reason, signs one
 *    history request per holder, pulls through the relay (three holders in parallel, each
 *    verifying and recording the request), verifies, stores, merges and records the access. p50 / p95.
 *
 *   npm run build && node dist/bench/sharing.bench.js [--rows 100000] [--seconds 10]
 */
import 'reflect-metadata';
import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { canonicalBytes, generateSigningKeyPair } from '#protocol';
import { AccessTokens } from '#platform/auth/access-tokens';
import { bootstrapFederation } from '../apps/federation/src/bootstrap.js';
import { loadFederationConfig } from '../apps/federation/src/config.js';
import { bootstrapNode } from '../apps/partner-node/src/bootstrap.js';
import { loadPartnerNodeConfig, type PartnerNodeConfig } from '../apps/partner-node/src/config.js';
import { OutboxListener } from '../apps/partner-node/src/sharing/outbox-listener.js';
import { OutboxService } from '../apps/partner-node/src/sharing/outbox.service.js';
import { recordsByIds, shareRecordOf } from '../apps/partner-node/src/sharing/records.js';
import { SharedRecordKind } from '../apps/partner-node/src/sharing/sharing.entities.js';
import {
  addCustomer,
  agree,
  giveConsent,
  joinNetwork,
  ok,
  publishNotice,
  type NetworkNode,
} from '../apps/partner-node/src/testing/network.js';
import type { GqlResponse } from '../apps/partner-node/src/testing/test-node.js';
import { Role } from '../apps/partner-node/src/users/role.js';
import { UsersService } from '../apps/partner-node/src/users/users.service.js';
import { benchArgs, createBenchDatabase, type BenchDatabase } from './bench-support.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
process.env.SHARING_BATCH_SIZE ??= '1000';
process.env.SHARING_SWEEP_MS ??= '1000';
process.env.SHARING_BACKOFF_MS ??= '200';
// Part 3 opens one customer many times a second: lift the hourly pull limits (agent and partner).
process.env.SHARING_PULL_AGENT_LIMIT ??= '1000000';
process.env.SHARING_PULL_PARTNER_LIMIT ??= '1000000';

interface Node extends NetworkNode {
  name: string;
  id: string;
  app: INestApplication;
  db: BenchDatabase;
  config: PartnerNodeConfig;
  agent: string;
  tokenFor(role: Role): Promise<string>;
}

async function startNode(name: string, federationUrl: string): Promise<Node> {
  const db = await createBenchDatabase(`sharing_${name}`);
  const id = `${name}-partner`;
  const config = loadPartnerNodeConfig({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: db.url,
    DATABASE_POOL_SIZE: '10',
    REDIS_URL,
    PARTNER_ID: id,
    FEDERATION_URL: federationUrl,
    KEY_ENCRYPTION_SECRET: `${name} bench secret for sealing node keys 0123456789`,
  });
  const { app, url } = await bootstrapNode(config);
  const token = async (role: Role) => {
    const user = await app.get(UsersService).create({
      email: `${role}-${name}@bench.test`,
      displayName: `Bench ${role}`,
      roles: [role],
      password: 'bench password 123456',
    });
    return (await app.get(AccessTokens).issue({ id: user.id, roles: user.roles })).token;
  };
  const gql = async <T>(query: string, variables?: Record<string, unknown>, bearer?: string) => {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as GqlResponse<T>;
  };
  return { name, id, app, url, db, config, agent: await token(Role.AGENT), tokenFor: token, gql };
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;

async function main(): Promise<void> {
  const { rows: N, seconds } = benchArgs({ rows: 100_000, seconds: 10 });
  const fedDb = await createBenchDatabase('sharing_fed');
  const operator = { email: 'operator@bench.test', password: 'operator password 123' };
  const federation = await bootstrapFederation(
    loadFederationConfig({
      NODE_ENV: 'test',
      PORT: '0',
      DATABASE_URL: fedDb.url,
      DATABASE_POOL_SIZE: '20',
      REDIS_URL,
      FEDERATION_ID: 'bench-net',
      OPERATOR_EMAIL: operator.email,
      OPERATOR_PASSWORD: operator.password,
    }),
  );
  const fedGql = async <T>(query: string, variables: Record<string, unknown>, token?: string) => {
    const response = await fetch(`${federation.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as GqlResponse<T>;
  };
  const operatorToken = ok(
    await fedGql<{ login: { token: string } }>(
      `mutation($input: OperatorLoginInput!) { login(input: $input) { token } }`,
      { input: operator },
    ),
  ).login.token;

  const nodes = await Promise.all(
    ['alpha', 'beta', 'gamma', 'delta'].map((n) => startNode(n, federation.url)),
  );
  const [alpha, beta, gamma, delta] = nodes as [Node, Node, Node, Node];
  const holders = [alpha, gamma, delta];
  try {
    // ---- network: members, agreements holder → beta, one customer per holder... ----
    const admin = await joinNetwork(
      {
        approve: async (id: string) => {
          ok(
            await fedGql(
              `mutation($id: ID!) { approveApplication(applicationId: $id) { partnerId } }`,
              { id },
              operatorToken,
            ),
          );
        },
      },
      { alpha, beta, gamma, delta },
    );
    const party = (node: Node) => ({ node, admin: admin[node.name]! });
    const notices = new Map<Node, string>();
    for (const holder of holders) {
      await agree(party(holder), party(beta));
      notices.set(
        holder,
        await publishNotice(party(holder), {
          noticeKey: 'care-sharing',
          version: '1',
          language: 'en',
          title: 'Sharing',
          body: 'We share your customer-care history with our partners when you agree.',
        }),
      );
    }
    const customer = (node: Node, email: string) =>
      addCustomer(node, email, { first_name: 'Bench', last_name: 'Customer' });
    const consent = (holder: Node, customerId: string) =>
      giveConsent(party(holder), { customerId, privacyNoticeId: notices.get(holder)!, recipient: beta.id });

    // ---- 1. push throughput ------------------------------------------------------------------
    const CUSTOMERS = 100;
    const alphaDb = alpha.app.get(DataSource);
    const alphaCustomers: string[] = [];
    for (let i = 0; i < CUSTOMERS; i += 1) {
      const email = `push-${i}@bench.test`;
      const id = await customer(alpha, email);
      await consent(alpha, id);
      alphaCustomers.push(id);
      await customer(beta, email);
    }
    // The records, written at alpha in batches (the outbox rows come from the triggers).
    const insertStarted = performance.now();
    const perBatch = 10_000;
    for (let done = 0; done < N; done += perBatch) {
      const count = Math.min(perBatch, N - done);
      await alphaDb.query(
        `INSERT INTO interaction (customer_id, channel, direction, subject, occurred_at)
         SELECT ($1::uuid[])[1 + (g % $3)], 'phone', 'inbound', 'Call ' || g, now() - g * interval '1 second'
           FROM generate_series($2::int, $2::int + $4::int - 1) g`,
        [alphaCustomers, done, CUSTOMERS, count],
      );
    }
    const insertSeconds = (performance.now() - insertStarted) / 1000;
    const betaDb = beta.app.get(DataSource);
    const started = performance.now();
    await alpha.app.get(OutboxService).drain();
    for (;;) {
      const [row]: { n: string }[] = await betaDb.query(
        `SELECT count(*) AS n FROM shared_record WHERE origin_partner_id = $1`,
        [alpha.id],
      );
      if (Number(row!.n) >= N) break;
      if (performance.now() - started > 30 * 60_000) throw new Error(`only ${row!.n} records after 30 min`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const e2eSeconds = (performance.now() - started) / 1000;
    const e2eRate = N / e2eSeconds;
    // Beta stores the records before alpha hears back and marks the delivery: give the last
    // answers a moment (bounded) before counting, so the count says what was really left undelivered.
    let deliveries: { n: string; bad: string } | undefined;
    for (const settleUntil = performance.now() + 10_000; ;) {
      [deliveries] = (await alphaDb.query(
        `SELECT count(*) AS n, count(*) FILTER (WHERE status <> 'delivered') AS bad FROM share_delivery`,
      )) as { n: string; bad: string }[];
      if (Number(deliveries!.bad) === 0 || performance.now() > settleUntil) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }

    // Baseline: raw Ed25519 sign + verify of each of the same records (canonical bytes).
    const ids: { id: string }[] = await alphaDb.query(`SELECT id FROM interaction`);
    const current = await recordsByIds(
      alphaDb.manager,
      ids.map((r) => ({ kind: SharedRecordKind.INTERACTION, id: r.id })),
    );
    const payloads = [...current.values()].map((r) =>
      canonicalBytes(shareRecordOf(r, 'consent-00000000', 'A'.repeat(43))),
    );
    const key = generateSigningKeyPair();
    const privateKey = createPrivateKey({ key: key.privateJwk as never, format: 'jwk' });
    const publicKey = createPublicKey({ key: key.publicJwk as never, format: 'jwk' });
    const rawStarted = performance.now();
    for (const bytes of payloads) {
      const signature = sign(null, bytes, privateKey);
      if (!verify(null, bytes, publicKey, signature)) throw new Error('raw verify failed');
    }
    const rawSeconds = (performance.now() - rawStarted) / 1000;
    const rawRate = payloads.length / rawSeconds;

    // ---- 2. push latency: commit at alpha → stored at beta --------------------------------------
    const PUSH_SAMPLES = 25;
    const pushLatencies = async (): Promise<number[]> => {
      const samples: number[] = [];
      for (let i = 0; i < PUSH_SAMPLES; i += 1) {
        // A pause of random length, so that samples do not fall in step with the sweep.
        await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 250));
        const [row]: { id: string }[] = await alphaDb.query(
          `INSERT INTO interaction (customer_id, channel, direction, subject) VALUES ($1, 'email', 'inbound', 'Latency')
           RETURNING id`,
          [alphaCustomers[i % CUSTOMERS]],
        );
        const committed = performance.now(); // autocommit: the INSERT has returned, it is committed
        for (;;) {
          const found: unknown[] = await betaDb.query(
            `SELECT 1 FROM shared_record WHERE origin_partner_id = $1 AND origin_record_id = $2`,
            [alpha.id, `interaction:${row!.id}`],
          );
          if (found.length > 0) break;
          if (performance.now() - committed > 60_000) throw new Error('a pushed record took over 60 s');
          await new Promise((resolve) => setTimeout(resolve, 2));
        }
        samples.push(performance.now() - committed);
      }
      return samples.sort((a, b) => a - b);
    };
    const listener = alpha.app.get(OutboxListener);
    if (!listener.listening) throw new Error('the outbox listener of alpha is not listening');
    const pushNotified = await pushLatencies();
    await listener.stop();
    const pushSwept = await pushLatencies();

    // ---- 3. opening a customer with history from three partners --------------------------------
    const email = 'open-me@bench.test';
    const betaCustomer = await customer(beta, email);
    for (const holder of holders) {
      const id = await customer(holder, email);
      const db = holder.app.get(DataSource);
      await db.query(
        `INSERT INTO interaction (customer_id, channel, direction, subject, occurred_at)
         SELECT $1, 'chat', 'inbound', 'Question ' || g, now() - g * interval '1 hour' FROM generate_series(1, 10) g`,
        [id],
      );
      await db.query(
        `INSERT INTO customer_order (number, customer_id, ordered_at, status, channel, currency, subtotal, total)
         SELECT $2 || '-' || g, $1, now() - g * interval '1 day', 'paid', 'web', 'EUR', g, g FROM generate_series(1, 10) g`,
        [id, holder.name],
      );
      await consent(holder, id);
    }
    // The agent reads the shared history for a care case of the customer (signed into each pull).
    const [careCase]: { id: string }[] = await beta.app
      .get(DataSource)
      .query(`INSERT INTO care_case (customer_id, subject) VALUES ($1, 'Bench case') RETURNING id`, [
        betaCustomer,
      ]);
    const reason = { careCaseId: careCase!.id };
    const OPEN = `query($id: ID!, $reason: SharedHistoryReasonInput) {
      customerTimeline(customerId: $id, first: 50, includeShared: true, reason: $reason) {
      nodes { origin originPartnerId consentId signatureStatus title } } }`;
    const opened = ok(
      await beta.gql<{ customerTimeline: { nodes: { origin: string; originPartnerId: string | null }[] } }>(
        OPEN,
        { id: betaCustomer, reason },
        beta.agent,
      ),
    );
    const partnersSeen = new Set(opened.customerTimeline.nodes.map((n) => n.originPartnerId).filter(Boolean));
    if (partnersSeen.size !== 3)
      throw new Error(`expected history from 3 partners, saw ${[...partnersSeen].join(',')}`);
    const latencies: number[] = [];
    const until = performance.now() + seconds * 1000;
    while (performance.now() < until || latencies.length < 20) {
      const t0 = performance.now();
      ok(await beta.gql(OPEN, { id: betaCustomer, reason }, beta.agent));
      latencies.push(performance.now() - t0);
    }
    latencies.sort((a, b) => a - b);

    console.log('Shared customer-care history (loopback, one process: federation + 4 nodes)');
    console.log(
      `  records written at alpha:          ${N.toLocaleString('en')} (${CUSTOMERS} consenting customers, ${insertSeconds.toFixed(1)} s to insert)`,
    );
    console.log(
      `  envelopes:                         ${deliveries!.n} of ≤ ${process.env.SHARING_BATCH_SIZE} records (${deliveries!.bad} not delivered)`,
    );
    console.log(
      `  end to end (sign → relay → verify → store): ${e2eSeconds.toFixed(2)} s = ${Math.round(e2eRate).toLocaleString('en')} records/s`,
    );
    console.log(
      `  raw Ed25519 sign + verify per record:      ${rawSeconds.toFixed(2)} s = ${Math.round(rawRate).toLocaleString('en')} records/s`,
    );
    console.log(
      `  ratio (end to end / raw):                  ${(e2eRate / rawRate).toFixed(2)}  (goal ≥ 1.0)`,
    );
    const p = (samples: number[]) =>
      `p50 ${percentile(samples, 0.5).toFixed(1)} ms   p95 ${percentile(samples, 0.95).toFixed(1)} ms`;
    console.log(`  push latency, commit at alpha → stored at beta (${PUSH_SAMPLES} records one by one):`);
    console.log(`    outbox listener (NOTIFY at commit):  ${p(pushNotified)}`);
    console.log(
      `    sweep alone (every ${process.env.SHARING_SWEEP_MS} ms), baseline: ${p(pushSwept)}   ratio p50 ${(percentile(pushSwept, 0.5) / percentile(pushNotified, 0.5)).toFixed(1)}× faster`,
    );
    console.log(`  open a customer with history from 3 partners (${latencies.length} opens):`);
    console.log(
      `    p50 ${percentile(latencies, 0.5).toFixed(1)} ms   p95 ${percentile(latencies, 0.95).toFixed(1)} ms   max ${latencies[latencies.length - 1]!.toFixed(1)} ms`,
    );
  } finally {
    for (const node of nodes) await node.app.close();
    await federation.app.close();
    for (const node of nodes) await node.db.drop();
    await fedDb.drop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
