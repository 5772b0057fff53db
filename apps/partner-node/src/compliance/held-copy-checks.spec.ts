/**
 * The receiving side of the violations report reads, by index, only the held copies that may fail
 * a check (issue 17). Each copy here sits on an edge of a check (a validity bound, the retention
 * allowed to the second, an infinite time, a kind of copy that fails its agreement, a withdrawn
 * consent): the report must find exactly the failing ones, with the same detail, whether the
 * session's time zone is UTC (the retention span by index) or not (every copy of an agreement read
 * for that check).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '#platform/database/data-source-options';
import { createTestDatabase, type TestDatabase } from '#platform/testing/test-database';
import { PARTNER_NODE_MIGRATIONS } from '../database/migrations.js';
import { runViolationChecks } from './violation-checks.js';

const ME = 'alpha-partner';
const HASH = 'A'.repeat(43);
const GRACE_SECONDS = 7200;

/** Each copy: its record id, what differs from a copy that passes, and the finding expected. */
const COPIES: { id: string; set: Record<string, string>; finding?: [kind: string, detail: RegExp] }[] = [
  { id: 'passes', set: {} },
  {
    id: 'at-validity-start',
    set: { received_at: `(SELECT valid_from FROM sharing_agreement WHERE agreement_id = 'agr-inbound')` },
  },
  {
    id: 'before-validity',
    set: {
      received_at: `(SELECT valid_from FROM sharing_agreement WHERE agreement_id = 'agr-inbound') - interval '1 microsecond'`,
    },
    finding: ['received_outside_agreement', /^received outside the agreement's validity$/],
  },
  {
    id: 'at-validity-end',
    set: { received_at: `(SELECT valid_until FROM sharing_agreement WHERE agreement_id = 'agr-inbound')` },
    finding: ['received_outside_agreement', /^received outside the agreement's validity$/],
  },
  {
    id: 'retention-allowed',
    set: { retention_ends_at: `now() - interval '1 hour' + interval '30 days 1 minute'` },
  },
  {
    id: 'retention-a-second-more',
    set: { retention_ends_at: `now() - interval '1 hour' + interval '30 days 1 minute 1 second'` },
    finding: ['retention_exceeded', /^retention set beyond the agreement's 30 days$/],
  },
  {
    id: 'retention-infinite',
    set: { retention_ends_at: `'infinity'` },
    finding: ['retention_exceeded', /^retention set beyond the agreement's 30 days$/],
  },
  {
    id: 'retention-ended',
    set: { retention_ends_at: `now() - interval '3 hours'` },
    finding: ['retention_exceeded', /^retention ended \d{4}-\d\d-\d\dT/],
  },
  {
    id: 'not-verified',
    set: { signature_status: `'unverified'` },
    finding: ['received_outside_agreement', /^signature not verified$/],
  },
  {
    id: 'other-category',
    set: { category: `'orders'` },
    finding: ['received_outside_agreement', /^category orders is not in the agreement$/],
  },
  {
    id: 'other-partner',
    set: { origin_partner_id: `'delta-partner'` },
    finding: ['received_outside_agreement', /^the agreement is with gamma-partner$/],
  },
  {
    id: 'no-agreement',
    set: { agreement_id: `'agr-gone'` },
    finding: ['received_outside_agreement', /^no such agreement at this node$/],
  },
  {
    id: 'consent-withdrawn',
    set: { consent_id: `'withdrawn-consent'` },
    finding: ['received_after_withdrawal', /^copy held after the withdrawal received /],
  },
];

describe('the held copies the violations report finds (real PostgreSQL)', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let paris: DataSource | undefined;

  const connect = async (): Promise<DataSource> => {
    const source = new DataSource(
      dataSourceOptions({ url: db.url, embeddedDataDir: 'unused', poolSize: 2 }, [], PARTNER_NODE_MIGRATIONS),
    );
    return source.initialize();
  };

  beforeAll(async () => {
    db = await createTestDatabase('held_copy_checks');
    ds = await connect();
    await ds.runMigrations({ transaction: 'each' });
    await ds.query(
      `INSERT INTO sharing_agreement (agreement_id, version, proposer, party_a, party_b, partner_id, direction, purposes,
         categories, retention_days, min_cohort_size, valid_from, valid_until, state, agreement_hash, chain)
       VALUES ('agr-inbound', 1, 'gamma-partner', 'gamma-partner', $1, 'gamma-partner', 'one-way', '{customer-care}',
               '{care-history}', 30, 10, now() - interval '30 days', now() + interval '1 year', 'active', $2, '[{}]')`,
      [ME, HASH],
    );
    await ds.query(
      `INSERT INTO shared_consent_withdrawn (origin_partner_id, consent_id, withdrawal_id, withdrawn_at)
       VALUES ('gamma-partner', 'withdrawn-consent', 'w-1', now() - interval '1 day')`,
    );
    for (const copy of COPIES) {
      const value = (column: string, fallback: string) => copy.set[column] ?? fallback;
      await ds.query(
        `INSERT INTO shared_record (origin_partner_id, origin_record_id, kind, category, consent_id, agreement_id,
           envelope_id, subject_token, title, data, occurred_at, received_at, signature_status, retention_ends_at)
         SELECT ${value('origin_partner_id', `'gamma-partner'`)}, $1, 'interaction', ${value('category', `'care-history'`)},
                ${value('consent_id', `'live-consent'`)}, ${value('agreement_id', `'agr-inbound'`)}, 'envelope-1', 'token',
                'Shared call', '{}', now(), received_at, ${value('signature_status', `'verified'`)},
                ${value('retention_ends_at', "received_at + interval '30 days'")}
           FROM (SELECT ${value('received_at', `now() - interval '1 hour'`)} AS received_at) t`,
        [`interaction:${copy.id}`],
      );
    }
    await ds.query(`ANALYZE shared_record`);
  });

  afterAll(async () => {
    await paris?.destroy();
    await ds?.destroy();
    await db?.drop();
  });

  const expectFindings = async (source: DataSource) => {
    const report = await runViolationChecks(source, ME, GRACE_SECONDS);
    const found = report.violations
      .filter((v) => v.side === 'receiving')
      .map((v) => ({ kind: v.kind, recordId: v.recordId, detail: v.detail }))
      .sort((a, b) => `${a.recordId}${a.kind}`.localeCompare(`${b.recordId}${b.kind}`));
    const expected = COPIES.filter((c) => c.finding)
      .map((c) => ({
        kind: c.finding![0],
        recordId: `interaction:${c.id}`,
        detail: expect.stringMatching(c.finding![1]),
      }))
      .sort((a, b) => `${a.recordId}${a.kind}`.localeCompare(`${b.recordId}${b.kind}`));
    expect(found).toEqual(expected);
  };

  it('finds exactly the failing copies in a UTC session (retention span by index)', async () => {
    expect((await ds.query(`SELECT current_setting('TimeZone') AS tz`))[0].tz).toMatch(/UTC/);
    await expectFindings(ds);
  });

  it('finds the same in a session of another time zone (every copy read for the retention allowed)', async () => {
    await ds.query(`ALTER DATABASE "${db.name}" SET TimeZone = 'Europe/Paris'`);
    paris = await connect();
    expect((await paris.query(`SELECT current_setting('TimeZone') AS tz`))[0].tz).toBe('Europe/Paris');
    await expectFindings(paris);
  });
});
