/**
 * Compliance audits over a node's real tables (PostgreSQL), at scale:
 *
 * 1. The violations report (nine checks, one SQL query each) over N shared record refs in N/10
 *    delivered envelopes (push), N received copies of a partner's records, N/10 agent accesses.
 *    Baseline in the same run: the cheapest scan that reads the same rows once: a count of the
 *    rows the report reads for the sent refs (`share_sent_ref`, groups of refs), of every received
 *    copy, of every access's consent ids. Ratio = report / baseline. Also printed: the scan of the
 *    refs as the envelopes hold them (their jsonb arrays unnested), the baseline until issue 17's
 *    `share_sent_ref`, a slower scan (so a ratio over it is lower).
 * 2. "Where did this customer's data go" (customerDataFlows) for random customers: p50 / p95, with
 *    the GIN index on the envelopes' refs. Baseline: the customer's consents by index (the first
 *    step it cannot skip). Ratio = flows / baseline.
 *
 *   npm run build && node dist/bench/compliance.bench.js [--rows 100000] [--seconds 5]
 */
import 'reflect-metadata';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { DataSource } from 'typeorm';
import { loadPartnerNodeConfig } from '../apps/partner-node/src/config.js';
import { AccessReportService } from '../apps/partner-node/src/compliance/access-report.service.js';
import { runViolationChecks } from '../apps/partner-node/src/compliance/violation-checks.js';
import { ConsentDisclosureRepository } from '../apps/partner-node/src/consents/consent-disclosure.repository.js';
import { CareCaseSubjectRepository } from '../apps/partner-node/src/care-cases/care-case-subject.repository.js';
import { CompanyLinkSubjectRepository } from '../apps/partner-node/src/companies/company-link-subject.repository.js';
import { InteractionSubjectRepository } from '../apps/partner-node/src/interactions/interaction-subject.repository.js';
import { LeadSubjectRepository } from '../apps/partner-node/src/leads/lead-subject.repository.js';
import { OrderSubjectRepository } from '../apps/partner-node/src/orders/order-subject.repository.js';
import { CustomerSubjectRepository } from '../apps/partner-node/src/customers/customer-subject.repository.js';
import { CustomerExportService } from '../apps/partner-node/src/import-export/customer-export.service.js';
import { SharingDisclosureRepository } from '../apps/partner-node/src/sharing/sharing-disclosure.repository.js';
import { User } from '../apps/partner-node/src/users/user.entity.js';
import { UsersService } from '../apps/partner-node/src/users/users.service.js';
import { benchArgs, createBenchDatabase, migratedDataSource, percentile } from './bench-support.js';

const ME = 'alpha-partner';
const HASH = 'A'.repeat(43);

export async function populate(ds: DataSource, rows: number): Promise<number> {
  const customers = Math.max(1, Math.floor(rows / 10));
  await ds.query(
    `INSERT INTO customer (first_name, last_name) SELECT 'Bench', 'Customer ' || g FROM generate_series(1, $1) g`,
    [customers],
  );
  // History first (no consent yet: the outbox triggers have nothing to do).
  await ds.query(
    `INSERT INTO interaction (customer_id, channel, direction, subject, occurred_at)
     SELECT c.id, 'phone', 'inbound', 'Call ' || g, now() - make_interval(days => g)
       FROM customer c CROSS JOIN generate_series(1, 10) g`,
  );
  const [notice]: { id: string }[] = await ds.query(
    `INSERT INTO privacy_notice (notice_key, version, language, title, body, status, published_at, content_hash)
     VALUES ('care', '1', 'en', 'Care sharing', 'We share your care history.', 'published', now(), $1) RETURNING id`,
    [HASH],
  );
  for (const [id, partyA, partyB, partner] of [
    ['agr-bench-outbound', ME, 'beta-partner', 'beta-partner'],
    ['agr-bench-inbound', 'gamma-partner', ME, 'gamma-partner'],
  ]) {
    await ds.query(
      `INSERT INTO sharing_agreement (agreement_id, version, proposer, party_a, party_b, partner_id, direction, purposes,
         categories, retention_days, min_cohort_size, valid_from, valid_until, state, agreement_hash, chain)
       VALUES ($1, 1, $2, $2, $3, $4, 'one-way', '{customer-care}', '{care-history,orders}', 30, 10,
               now() - interval '30 days', now() + interval '1 year', 'active', $5, '[{}]')`,
      [id, partyA, partyB, partner, HASH],
    );
  }
  await ds.query(
    `INSERT INTO consent (id, customer_id, purposes, categories, recipients, agreement_ids, given_at, valid_from,
       valid_until, collection_method, privacy_notice_id, notice_version, notice_content_hash, language, jurisdiction,
       subject_tokens, receipt_jws, receipt_kid, registration_status, registered_at)
     SELECT gen_random_uuid(), c.id, '{customer-care}', '{care-history,orders}', '{beta-partner}', '{agr-bench-outbound}',
            now() - interval '20 days', now() - interval '20 days', now() + interval '160 days', 'web_form', $1, '1', $2,
            'en', 'FR', jsonb_build_array(jsonb_build_object('kind', 'email', 'token', md5(c.id::text), 'keyId', 'agr-bench-outbound')),
            'bench.receipt.jws', 'bench-kid', 'registered', now() - interval '20 days'
       FROM customer c`,
    [notice!.id, HASH],
  );
  // Envelopes of 10 refs each, as the outbox groups them.
  await ds.query(
    `INSERT INTO share_delivery (id, recipient, agreement_id, records, record_count, status, channel, attempts, sealed_at, delivered_at)
     SELECT gen_random_uuid(), 'beta-partner', 'agr-bench-outbound',
            jsonb_agg(jsonb_build_object('kind', 'interaction', 'id', i.id, 'consentId', c.id, 'subjectToken', md5(c.id::text),
                                         'category', 'care-history')),
            count(*), 'delivered', 'push', 1, now() - interval '1 hour', now() - interval '1 hour'
       FROM (SELECT id, customer_id, (row_number() OVER (ORDER BY customer_id, id) - 1) / 10 AS grp FROM interaction) i
       JOIN consent c ON c.customer_id = i.customer_id
      GROUP BY i.grp`,
  );
  // Copies of gamma's records held here, and agents' accesses to them.
  await ds.query(
    `INSERT INTO shared_record (origin_partner_id, origin_record_id, kind, category, consent_id, agreement_id, envelope_id,
       subject_token, customer_id, title, data, occurred_at, received_at, signature_status, retention_ends_at)
     SELECT 'gamma-partner', 'interaction:' || gen_random_uuid(), 'interaction', 'care-history', 'gamma-consent-' || (g % $2),
            'agr-bench-inbound', 'gamma-envelope-' || (g / 10), md5(g::text), NULL, 'Shared call', '{}'::jsonb,
            now() - interval '2 days', now() - interval '1 hour', 'verified', now() - interval '1 hour' + interval '30 days'
       FROM generate_series(1, $1) g`,
    [rows, customers],
  );
  await ds.query(
    `INSERT INTO shared_access (customer_id, shared_record_ids, origin_record_ids, origin_partner_ids, consent_ids, accessed_at)
     SELECT c.id, '{}', ARRAY['interaction:x'], '{gamma-partner}', ARRAY['gamma-consent-' || (row_number() OVER () % $1)],
            now() - interval '30 minutes'
       FROM customer c`,
    [customers],
  );
  // Steady state, as autovacuum leaves it (the GIN index's pending list merged, statistics current).
  await ds.query(`VACUUM ANALYZE`);
  return customers;
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

async function main(): Promise<void> {
  const { rows, seconds } = benchArgs({ rows: 100_000, seconds: 5 });
  const db = await createBenchDatabase('compliance');
  const ds = await migratedDataSource(db.url, 4);
  try {
    const started = performance.now();
    const customers = await populate(ds, rows);
    console.log(
      `populated: ${rows.toLocaleString('en')} refs in ${Math.ceil(rows / 10).toLocaleString('en')} envelopes, ` +
        `${rows.toLocaleString('en')} received copies, ${customers.toLocaleString('en')} customers and accesses ` +
        `(${((performance.now() - started) / 1000).toFixed(1)} s)`,
    );

    // 1. Violations report vs one scan of the same rows.
    const scanOf = (sentRefs: string) => () =>
      ds.query(`SELECT (SELECT count(*) FROM ${sentRefs}), (SELECT count(*) FROM shared_record),
        (SELECT count(*) FROM shared_access x CROSS JOIN LATERAL unnest(x.consent_ids))`);
    const baselineScan = scanOf(`share_sent_ref`);
    const envelopeScan = scanOf(
      `share_delivery d CROSS JOIN LATERAL jsonb_array_elements(d.records) e WHERE d.status = 'delivered'`,
    );
    let total = -1;
    const report = async () => {
      total = (await runViolationChecks(ds, ME, 7200)).total;
    };
    await report();
    await baselineScan();
    await envelopeScan();
    const reportMs: number[] = [];
    const baselineMs: number[] = [];
    const envelopeMs: number[] = [];
    const cpuStarted = process.cpuUsage();
    for (let i = 0; i < 5; i += 1) {
      reportMs.push(await timed(report));
      baselineMs.push(await timed(baselineScan));
      envelopeMs.push(await timed(envelopeScan));
    }
    const cpu = process.cpuUsage(cpuStarted);
    for (const samples of [reportMs, baselineMs, envelopeMs]) samples.sort((a, b) => a - b);
    const r50 = percentile(reportMs, 50);
    const b50 = percentile(baselineMs, 50);
    const e50 = percentile(envelopeMs, 50);
    console.log(`violations report: median ${r50.toFixed(0)} ms over 5 runs (findings: ${total})`);
    console.log(
      `baseline (one scan of the same rows, sent refs as share_sent_ref's groups): median ${b50.toFixed(0)} ms`,
    );
    console.log(`ratio report / baseline: ${(r50 / b50).toFixed(2)}`);
    console.log(
      `(the sent refs scanned as the envelopes' jsonb arrays instead: median ${e50.toFixed(0)} ms, ` +
        `ratio ${(r50 / e50).toFixed(2)}; this process's CPU over the 15 timed runs: ` +
        `${((cpu.user + cpu.system) / 1e6).toFixed(2)} s; load average ${loadavg()
          .map((l) => l.toFixed(2))
          .join(' ')})`,
    );

    // 2. Data flows of one customer vs the customer's consents by index.
    const config = loadPartnerNodeConfig({ NODE_ENV: 'test', DATABASE_URL: db.url, PARTNER_ID: ME });
    const customerRows = new CustomerSubjectRepository(ds);
    const flows = new AccessReportService(
      ds,
      config,
      new CustomerExportService(
        ds,
        config,
        customerRows,
        new CompanyLinkSubjectRepository(),
        new InteractionSubjectRepository(),
        new CareCaseSubjectRepository(),
        new OrderSubjectRepository(),
        new LeadSubjectRepository(),
      ),
      customerRows,
      new ConsentDisclosureRepository(ds),
      new SharingDisclosureRepository(ds),
      new UsersService(ds.getRepository(User)),
    );
    const ids: string[] = (await ds.query(`SELECT id FROM customer ORDER BY random() LIMIT 1000`)).map(
      (r: { id: string }) => r.id,
    );
    const measure = async (work: (id: string) => Promise<unknown>): Promise<number[]> => {
      const samples: number[] = [];
      const until = performance.now() + seconds * 1000;
      for (let i = 0; performance.now() < until; i += 1) {
        const id = ids[i % ids.length]!;
        samples.push(await timed(() => work(id)));
      }
      return samples.sort((a, b) => a - b);
    };
    let shares = 0;
    const flowMs = await measure(async (id) => {
      shares += (await flows.dataFlows(id)).shares.length;
    });
    const consentMs = await measure((id) => ds.query(`SELECT * FROM consent WHERE customer_id = $1`, [id]));
    const f50 = percentile(flowMs, 50);
    const c50 = percentile(consentMs, 50);
    console.log(
      `customerDataFlows: p50 ${f50.toFixed(2)} ms, p95 ${percentile(flowMs, 95).toFixed(2)} ms ` +
        `(${flowMs.length} calls, ${(shares / flowMs.length).toFixed(1)} shares each)`,
    );
    console.log(
      `baseline (the customer's consents by index): p50 ${c50.toFixed(2)} ms, p95 ${percentile(consentMs, 95).toFixed(2)} ms`,
    );
    console.log(`ratio flows / baseline (p50): ${(f50 / c50).toFixed(2)}`);
  } finally {
    await ds.destroy();
    await db.drop();
  }
}

if (process.argv[1]?.endsWith('compliance.bench.js')) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
