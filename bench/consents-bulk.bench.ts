/**
 * Consents at scale (issue 17), end to end on PostgreSQL: a federation (in a process of its own,
 * so that its CPU is measured apart) and a node (real servers on 127.0.0.1, each on its own fresh
 * database, the node's queue on Redis), two recipients with active agreements, N customers.
 * Measured in the same run:
 *
 * - the bulk path: a CSV of N answers (each naming both recipients) through ConsentImportService:
 *   checked, signed, stored with ledger entries, and every per-recipient registration registered
 *   at the federation (batch requests per agreement pair) before the clock stops;
 * - the interactive path (the baseline): `giveConsent` over GraphQL, one agent after another, each
 *   call signing, storing and registering its consent: p50/p95 and consents per second;
 * - the same calls at a node configured as in production (CONSENT_REGISTRATION_WINDOW_SECONDS
 *   defaults to 300 there): the call signs and stores, and the registrations leave within the
 *   window (issue 16), so the agent does not wait for the federation.
 *
 *   npm run build && npm run bench:consents-bulk -- [N consents] [interactive sample] [quiet sample]
 *
 * The quiet sample: giveConsent calls each made after 11 s of quiet, longer than the Ed25519
 * workers' idle time (what a care desk's first consent of a while waits for).
 * (with the servers' V8 setting, --max-semi-space-size=64, which the federation's process inherits)
 * Needs PostgreSQL and Redis: TEST_DATABASE_ADMIN_URL, TEST_REDIS_URL (defaults: 127.0.0.1).
 */
import 'reflect-metadata';
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { ConsentImportService } from '../apps/partner-node/src/consents/consent-import.service.js';
import type { FederationProcessReady } from './federation-process.js';
import { backendCpu, backendCpuSeconds, ed25519Costs } from './bench-support.js';
import {
  addCustomers,
  agree,
  joinNetwork,
  ok,
  publishNotice,
  startPartners,
} from '../apps/partner-node/src/testing/network.js';
import type { TestNode } from '../apps/partner-node/src/testing/test-node.js';
import { Role } from '../apps/partner-node/src/users/role.js';

const N = Number(process.argv[2] ?? 20_000);
const SAMPLE = Number(process.argv[3] ?? 200);
/** giveConsent calls each made after a quiet spell longer than the Ed25519 workers' idle time. */
const QUIET = Number(process.argv[4] ?? 0);
const QUIET_PAUSE_MS = 11_000;
const DAY = 86_400_000;

/** CPU seconds of this process (the nodes, and the bench driving them) since `from`: less sensitive than wall time to a loaded machine. */
const cpuSeconds = (from: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(from);
  return (used.user + used.system) / 1e6;
};

const quantile = (sorted: number[], q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;

/** The federation in a child process: its URL, a way to approve members, its CPU, its database. */
async function startFederationProcess(): Promise<{
  url: string;
  approve(applicationId: string): Promise<void>;
  cpu(): Promise<NodeJS.CpuUsage>;
  db: pg.Client;
  close(): Promise<void>;
}> {
  const child: ChildProcess = fork(
    fileURLToPath(new URL('./federation-process.js', import.meta.url)),
    ['bench_bulk_fed'],
    { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] },
  );
  const next = <T>(kind: string): Promise<T> =>
    new Promise((resolve, reject) => {
      const onMessage = (message: { kind: string }): void => {
        if (message.kind !== kind) return;
        child.off('message', onMessage);
        resolve(message as T);
      };
      child.on('message', onMessage);
      child.once('exit', (code) => reject(new Error(`the federation process ended (${code})`)));
    });
  const ready = await next<FederationProcessReady>('ready');
  const db = new pg.Client({ connectionString: ready.databaseUrl });
  await db.connect();
  return {
    url: ready.url,
    db,
    async approve(applicationId) {
      const response = await fetch(`${ready.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${ready.operatorToken}` },
        body: JSON.stringify({
          query: `mutation($id: ID!) { approveApplication(applicationId: $id) { partnerId } }`,
          variables: { id: applicationId },
        }),
      });
      const result = (await response.json()) as { errors?: unknown };
      if (result.errors) throw new Error(`approval failed: ${JSON.stringify(result.errors)}`);
    },
    async cpu() {
      const answer = next<{ usage: NodeJS.CpuUsage }>('cpu');
      child.send({ kind: 'cpu' });
      return (await answer).usage;
    },
    async close() {
      await db.end();
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send({ kind: 'close' });
      await exited;
    },
  };
}

/** `count` customers with an e-mail address each, analysed (as a node's own would be); their ids. */
async function benchCustomers(node: TestNode, count: number): Promise<string[]> {
  const ids = await addCustomers(node, count, 'bench');
  await node.app.get(DataSource).query('ANALYZE');
  return ids;
}

const federationSeconds = (from: NodeJS.CpuUsage, to: NodeJS.CpuUsage): number =>
  (to.user - from.user + to.system - from.system) / 1e6;

async function main(): Promise<void> {
  const federation = await startFederationProcess();
  const nodes = {
    ...(await startPartners('bench_bulk', federation.url, {
      shop: 'bench-shop',
      bank: 'bench-bank',
      telco: 'bench-telco',
    })),
    // The production configuration's window (the default when NODE_ENV is production).
    ...(await startPartners(
      'bench_bulk',
      federation.url,
      { windowed: 'bench-windowed' },
      { CONSENT_REGISTRATION_WINDOW_SECONDS: '300' },
    )),
  };
  try {
    const admin = await joinNetwork(federation, nodes);
    for (const controller of ['shop', 'windowed'] as const) {
      for (const recipient of ['bank', 'telco'] as const) {
        await agree(
          { node: nodes[controller], admin: admin[controller]! },
          { node: nodes[recipient], admin: admin[recipient]! },
        );
      }
    }
    const notice = await publishNotice({ node: nodes.shop, admin: admin.shop! });
    const windowedNotice = await publishNotice({ node: nodes.windowed, admin: admin.windowed! });
    const db = nodes.shop.app.get(DataSource);
    const ids = await benchCustomers(nodes.shop, N + SAMPLE + QUIET);
    const windowedIds = await benchCustomers(nodes.windowed, SAMPLE);
    const [{ fedDb }] = (await federation.db.query(`SELECT current_database() AS "fedDb"`)).rows as {
      fedDb: string;
    }[];
    const databases: string[] = [fedDb];
    for (const node of Object.values(nodes)) {
      const [row]: { name: string }[] = await node.app
        .get(DataSource)
        .query(`SELECT current_database() AS name`);
      databases.push(row!.name);
    }
    const until = new Date(Date.now() + 365 * DAY).toISOString();
    // Measured before the load: the signatures' share of the CPU differs most between machines.
    const ed25519 = ed25519Costs();
    const signs = ed25519.sodium ?? ed25519;
    const agent = await nodes.shop.tokenFor(Role.AGENT);

    // Baseline: the interactive path, one call at a time.
    const latencies: number[] = [];
    const interactiveStart = performance.now();
    const interactiveCpu = process.cpuUsage();
    const interactiveFed = await federation.cpu();
    const interactivePg = await backendCpu((sql, values) => db.query(sql, values), databases);
    const give = async (
      customerId: string,
      at: { node: TestNode; token: string; notice: string; status: string } = {
        node: nodes.shop,
        token: agent,
        notice,
        status: 'REGISTERED',
      },
    ): Promise<void> => {
      const given = ok(
        await at.node.gql<{ giveConsent: { registrationStatus: string } }>(
          `mutation($input: GiveConsentInput!) { giveConsent(input: $input) { registrationStatus } }`,
          {
            input: {
              customerId,
              privacyNoticeId: at.notice,
              purposes: ['CUSTOMER_CARE'],
              categories: ['CARE_HISTORY', 'ORDERS'],
              recipients: ['bench-bank', 'bench-telco'],
              validUntil: until,
              collectionMethod: 'WEB_FORM',
              jurisdiction: 'FR',
            },
          },
          at.token,
        ),
      ).giveConsent;
      if (given.registrationStatus !== at.status)
        throw new Error(`registration ${given.registrationStatus}, expected ${at.status}`);
    };
    for (const customerId of ids.slice(N, N + SAMPLE)) {
      const started = performance.now();
      await give(customerId);
      latencies.push(performance.now() - started);
    }
    const interactiveSeconds = (performance.now() - interactiveStart) / 1000;
    const interactiveCpuSeconds = cpuSeconds(interactiveCpu);
    const interactiveFedSeconds = federationSeconds(interactiveFed, await federation.cpu());
    const interactivePgSeconds = backendCpuSeconds(
      interactivePg,
      await backendCpu((sql, values) => db.query(sql, values), databases),
    );
    latencies.sort((a, b) => a - b);
    const quiet: number[] = [];
    for (const customerId of ids.slice(N + SAMPLE)) {
      await new Promise((resolve) => setTimeout(resolve, QUIET_PAUSE_MS));
      const started = performance.now();
      await give(customerId);
      quiet.push(performance.now() - started);
    }
    const interactiveRate = SAMPLE / interactiveSeconds;

    // The bulk path.
    const csv = [
      'customer_id,purposes,categories,recipients,valid_until,collection_method,jurisdiction',
      ...ids
        .slice(0, N)
        .map((id) => `${id},CUSTOMER_CARE,CARE_HISTORY;ORDERS,bench-bank;bench-telco,${until},WEB_FORM,FR`),
    ].join('\n');
    const bulkFed = await federation.cpu();
    const bulkPg = await backendCpu((sql, values) => db.query(sql, values), databases);
    const bulkStart = performance.now();
    const bulkCpu = process.cpuUsage();
    const report = await nodes.shop.app.get(ConsentImportService).import([csv], { privacyNoticeId: notice });
    const bulkSeconds = (performance.now() - bulkStart) / 1000;
    const bulkCpuSeconds = cpuSeconds(bulkCpu);
    const bulkFedSeconds = federationSeconds(bulkFed, await federation.cpu());
    const bulkPgAfter = await backendCpu((sql, values) => db.query(sql, values), databases);
    const bulkPgSeconds = backendCpuSeconds(bulkPg, bulkPgAfter);
    const bulkPgFederationSeconds = backendCpuSeconds(bulkPg, bulkPgAfter, (d) => d === fedDb);
    if (!report.written) throw new Error(`import refused: ${JSON.stringify(report.problems.slice(0, 3))}`);
    const [check]: { registered: number; pending: number }[] = await db.query(
      `SELECT count(*) FILTER (WHERE status = 'registered')::int AS registered,
              count(*) FILTER (WHERE status <> 'registered')::int AS pending FROM consent_registration`,
    );
    const [atFederation] = (
      await federation.db.query(`SELECT count(*)::int AS n FROM consent WHERE controller = 'bench-shop'`)
    ).rows as { n: number }[];
    const expected = (N + SAMPLE + QUIET) * 2;
    if (check!.registered !== expected || atFederation!.n !== expected) {
      throw new Error(
        `registrations: ${JSON.stringify(check)}, at the federation ${atFederation!.n}, expected ${expected}`,
      );
    }
    // The same calls at the node with the production window: nothing waits for the federation. After
    // the bulk file, which the windowed node's registrations (leaving within 300 s) would disturb.
    const windowed: number[] = [];
    const windowedAt = {
      node: nodes.windowed,
      token: await nodes.windowed.tokenFor(Role.AGENT),
      notice: windowedNotice,
      status: 'PENDING_REGISTRATION',
    };
    for (const customerId of windowedIds) {
      const started = performance.now();
      await give(customerId, windowedAt);
      windowed.push(performance.now() - started);
    }
    windowed.sort((a, b) => a - b);
    const bulkRate = N / bulkSeconds;
    const per1000 = (seconds: number, n: number): string => ((seconds * 1000) / n).toFixed(2);
    process.stdout.write(
      [
        `consents, 2 recipients each (${N * 2} per-recipient registrations at the federation), PostgreSQL, end to end`,
        `  bulk (CSV import: checked, signed, stored, ledgered, registered in batches): ${N} in ${bulkSeconds.toFixed(2)} s = ${bulkRate.toFixed(0)} consents/s`,
        `    CPU seconds per 1,000 consents: node ${per1000(bulkCpuSeconds, N)}, federation ${per1000(bulkFedSeconds, N)}, ` +
          `PostgreSQL ${per1000(bulkPgSeconds, N)} (the federation's database ${per1000(bulkPgFederationSeconds, N)}; together ${per1000(bulkCpuSeconds + bulkFedSeconds + bulkPgSeconds, N)}: ` +
          `${(N / (bulkCpuSeconds + bulkFedSeconds + bulkPgSeconds)).toFixed(0)} consents per CPU second)`,
        `  baseline, interactive giveConsent over GraphQL one at a time: ${SAMPLE} in ${interactiveSeconds.toFixed(2)} s = ${interactiveRate.toFixed(1)} consents/s, ` +
          `p50 ${quantile(latencies, 0.5).toFixed(1)} ms, p95 ${quantile(latencies, 0.95).toFixed(1)} ms`,
        `    CPU seconds per 1,000 consents: node ${per1000(interactiveCpuSeconds, SAMPLE)} (with the bench's GraphQL client), ` +
          `federation ${per1000(interactiveFedSeconds, SAMPLE)}, PostgreSQL ${per1000(interactivePgSeconds, SAMPLE)}`,
        `  the same calls at a node with the production window (300 s: registered later, the call does not wait for the federation): ` +
          `${windowed.length} calls, p50 ${quantile(windowed, 0.5).toFixed(1)} ms, p95 ${quantile(windowed, 0.95).toFixed(1)} ms`,
        `  ratio bulk / interactive: ${(bulkRate / interactiveRate).toFixed(1)}x wall, ` +
          `${((interactiveCpuSeconds + interactiveFedSeconds + interactivePgSeconds) / SAMPLE / ((bulkCpuSeconds + bulkFedSeconds + bulkPgSeconds) / N)).toFixed(1)}x less CPU per consent ` +
          `(goals: bulk >= 2,000/s, interactive p95 <= 50 ms)`,
        `  this machine's raw Ed25519 (one core): node:crypto sign ${ed25519.signMicros.toFixed(0)} µs, verify ${ed25519.verifyMicros.toFixed(0)} µs` +
          (ed25519.sodium
            ? `; libsodium (the servers' workers) sign ${ed25519.sodium.signMicros.toFixed(0)} µs, verify ${ed25519.sodium.verifyMicros.toFixed(0)} µs`
            : '') +
          `; the file's ${N} receipts and ${N * 2} registrations signed and the registrations verified: ` +
          `${(((N * 3 * signs.signMicros + N * 2 * signs.verifyMicros) / 1e6 / N) * 1000).toFixed(2)} CPU s per 1,000 consents`,
        ...(quiet.length > 0
          ? [
              `  giveConsent after ${QUIET_PAUSE_MS / 1000} s of quiet each (the Ed25519 workers ended idle at both ends): ` +
                `${quiet.length} calls, ${quiet.map((ms) => ms.toFixed(1)).join(' / ')} ms`,
            ]
          : []),
        `  load average: ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}; ` +
          // The servers' V8 setting (package.json, Dockerfile), inherited by the federation's process.
          `V8 flags: ${process.execArgv.join(' ') || 'none (npm run bench:consents-bulk runs as the servers do)'}`,
        '',
      ].join('\n'),
    );
  } finally {
    for (const node of Object.values(nodes)) await node.close();
    await federation.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
