/**
 * Consents at scale (issue 17), end to end on PostgreSQL: a federation and a node (real servers on
 * 127.0.0.1, each on its own fresh database, the node's queue on Redis), two recipients with active
 * agreements, N customers. Measured in the same run:
 *
 * - the bulk path: a CSV of N answers (each naming both recipients) through ConsentImportService:
 *   checked, signed, stored with ledger entries, and every per-recipient registration registered
 *   at the federation (batch requests per agreement pair) before the clock stops;
 * - the interactive path (the baseline): `giveConsent` over GraphQL, one agent after another, each
 *   call signing, storing and registering its consent: p50/p95 and consents per second.
 *
 *   npm run build && node dist/bench/consents-bulk.bench.js [N consents] [interactive sample]
 * Needs PostgreSQL and Redis: TEST_DATABASE_ADMIN_URL, TEST_REDIS_URL (defaults: 127.0.0.1).
 */
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { DataSource } from 'typeorm';
import { ConsentImportService } from '../apps/partner-node/src/consents/consent-import.service.js';
import { startTestFederation } from '../apps/federation/src/testing/test-federation.js';
import {
  agree,
  joinNetwork,
  ok,
  publishNotice,
  startPartners,
} from '../apps/partner-node/src/testing/network.js';
import { Role } from '../apps/partner-node/src/users/role.js';

const N = Number(process.argv[2] ?? 20_000);
const SAMPLE = Number(process.argv[3] ?? 200);
const DAY = 86_400_000;

/** CPU seconds of this process (the node and the federation) since `from`: less sensitive than wall time to a loaded machine. */
const cpuSeconds = (from: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(from);
  return (used.user + used.system) / 1e6;
};

const quantile = (sorted: number[], q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;

async function main(): Promise<void> {
  const federation = await startTestFederation('bench_bulk_fed');
  const nodes = await startPartners('bench_bulk', federation.url, {
    shop: 'bench-shop',
    bank: 'bench-bank',
    telco: 'bench-telco',
  });
  try {
    const admin = await joinNetwork(federation, nodes);
    await agree({ node: nodes.shop, admin: admin.shop! }, { node: nodes.bank, admin: admin.bank! });
    await agree({ node: nodes.shop, admin: admin.shop! }, { node: nodes.telco, admin: admin.telco! });
    const notice = await publishNotice({ node: nodes.shop, admin: admin.shop! });
    const db = nodes.shop.app.get(DataSource);
    const rows: { id: string }[] = await db.query(
      `INSERT INTO customer (first_name, last_name)
       SELECT 'Ada', 'Bench ' || g FROM generate_series(1, $1) AS g RETURNING id`,
      [N + SAMPLE],
    );
    const ids = rows.map((r) => r.id);
    await db.query(
      `INSERT INTO customer_email (customer_id, address, is_primary)
       SELECT id, 'bench-' || n || '@example.org', true FROM unnest($1::uuid[]) WITH ORDINALITY AS u(id, n)`,
      [ids],
    );
    await db.query('ANALYZE');
    const until = new Date(Date.now() + 365 * DAY).toISOString();
    const agent = await nodes.shop.tokenFor(Role.AGENT);

    // Baseline: the interactive path, one call at a time.
    const latencies: number[] = [];
    const interactiveStart = performance.now();
    const interactiveCpu = process.cpuUsage();
    for (const customerId of ids.slice(N)) {
      const started = performance.now();
      const given = ok(
        await nodes.shop.gql<{ giveConsent: { registrationStatus: string } }>(
          `mutation($input: GiveConsentInput!) { giveConsent(input: $input) { registrationStatus } }`,
          {
            input: {
              customerId,
              privacyNoticeId: notice,
              purposes: ['CUSTOMER_CARE'],
              categories: ['CARE_HISTORY', 'ORDERS'],
              recipients: ['bench-bank', 'bench-telco'],
              validUntil: until,
              collectionMethod: 'WEB_FORM',
              jurisdiction: 'FR',
            },
          },
          agent,
        ),
      ).giveConsent;
      latencies.push(performance.now() - started);
      if (given.registrationStatus !== 'REGISTERED')
        throw new Error(`not registered: ${given.registrationStatus}`);
    }
    const interactiveSeconds = (performance.now() - interactiveStart) / 1000;
    const interactiveCpuSeconds = cpuSeconds(interactiveCpu);
    latencies.sort((a, b) => a - b);
    const interactiveRate = SAMPLE / interactiveSeconds;

    // The bulk path.
    const csv = [
      'customer_id,purposes,categories,recipients,valid_until,collection_method,jurisdiction',
      ...ids
        .slice(0, N)
        .map((id) => `${id},CUSTOMER_CARE,CARE_HISTORY;ORDERS,bench-bank;bench-telco,${until},WEB_FORM,FR`),
    ].join('\n');
    const bulkStart = performance.now();
    const bulkCpu = process.cpuUsage();
    const report = await nodes.shop.app.get(ConsentImportService).import([csv], { privacyNoticeId: notice });
    const bulkSeconds = (performance.now() - bulkStart) / 1000;
    const bulkCpuSeconds = cpuSeconds(bulkCpu);
    if (!report.written) throw new Error(`import refused: ${JSON.stringify(report.problems.slice(0, 3))}`);
    const [check]: { registered: number; pending: number }[] = await db.query(
      `SELECT count(*) FILTER (WHERE status = 'registered')::int AS registered,
              count(*) FILTER (WHERE status <> 'registered')::int AS pending FROM consent_registration`,
    );
    const [atFederation]: { n: number }[] = await federation.app
      .get(DataSource)
      .query(`SELECT count(*)::int AS n FROM consent WHERE controller = 'bench-shop'`);
    const expected = (N + SAMPLE) * 2;
    if (check!.registered !== expected || atFederation!.n !== expected) {
      throw new Error(
        `registrations: ${JSON.stringify(check)}, at the federation ${atFederation!.n}, expected ${expected}`,
      );
    }
    const bulkRate = N / bulkSeconds;
    process.stdout.write(
      [
        `consents, 2 recipients each (${N * 2} per-recipient registrations at the federation), PostgreSQL, end to end`,
        `  bulk (CSV import: checked, signed, stored, ledgered, registered in batches): ${N} in ${bulkSeconds.toFixed(2)} s = ${bulkRate.toFixed(0)} consents/s`,
        `  baseline, interactive giveConsent over GraphQL one at a time: ${SAMPLE} in ${interactiveSeconds.toFixed(2)} s = ${interactiveRate.toFixed(1)} consents/s, ` +
          `p50 ${quantile(latencies, 0.5).toFixed(1)} ms, p95 ${quantile(latencies, 0.95).toFixed(1)} ms`,
        `  CPU of this process (node and federation; PostgreSQL's own not counted): bulk ${bulkCpuSeconds.toFixed(1)} s = ${(N / bulkCpuSeconds).toFixed(0)} consents per CPU second, ` +
          `interactive ${interactiveCpuSeconds.toFixed(1)} s = ${(SAMPLE / interactiveCpuSeconds).toFixed(1)} per CPU second`,
        `  ratio bulk / interactive: ${(bulkRate / interactiveRate).toFixed(1)}x wall, ${(N / bulkCpuSeconds / (SAMPLE / interactiveCpuSeconds)).toFixed(1)}x per CPU second (goals: bulk >= 2,000/s, interactive p95 <= 50 ms)`,
        `  load average: ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`,
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
