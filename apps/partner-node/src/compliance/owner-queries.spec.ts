/**
 * The statements that the compliance officer's reports, the erasure, the campaigns, the companies,
 * the interactions and the segment merges now ask of the tables' owners (issue 18): each one
 * prepares against the migrated schema (its tables, columns and parameter types are right), and
 * the ledger's read by field refuses what is not a field name. Their behaviour is covered by the
 * consumers' suites (compliance, campaigns, companies, interactions, customers, segment merges).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { entriesNaming } from '#ledger';
import { dataSourceOptions } from '#platform/database/data-source-options';
import type { QueryBook } from '#platform/database/named-queries';
import { createTestDatabase, type TestDatabase } from '#platform/testing/test-database';
import { AGREEMENT_RECORD_QUERIES } from '../agreements/agreement-records.queries.js';
import { CAMPAIGN_AUDIENCE_ERASURE_QUERIES } from '../campaigns/campaign-audience-erasure.queries.js';
import { CAMPAIGN_AUDIENCE_QUERIES } from '../campaigns/campaign-audience.queries.js';
import { CARE_CASE_SUBJECT_QUERIES } from '../care-cases/care-case-subject.queries.js';
import { COMPANY_LINK_SUBJECT_QUERIES } from '../companies/company-link-subject.queries.js';
import { COMPANY_MEMBER_QUERIES } from '../companies/company-members.queries.js';
import { CONSENT_DISCLOSURE_QUERIES } from '../consents/consent-disclosure.queries.js';
import { CUSTOMER_SUBJECT_QUERIES } from '../customers/customer-subject.queries.js';
import { PARTNER_NODE_MIGRATIONS } from '../database/migrations.js';
import { INTERACTION_SUBJECT_QUERIES } from '../interactions/interaction-subject.queries.js';
import { LEAD_SUBJECT_QUERIES } from '../leads/lead-subject.queries.js';
import { ORDER_SUBJECT_QUERIES } from '../orders/order-subject.queries.js';
import { SEGMENT_MERGE_MANIFEST_QUERIES } from '../segment-merges/merge-manifest.queries.js';
import { SEGMENT_REFERENCE_QUERIES } from '../segments/segment-references.queries.js';
import { SHARING_DISCLOSURE_QUERIES } from '../sharing/sharing-disclosure.queries.js';
import { ERASURE_RECORD_QUERIES } from './erasure-records.queries.js';

const BOOKS: QueryBook[] = [
  AGREEMENT_RECORD_QUERIES,
  CAMPAIGN_AUDIENCE_ERASURE_QUERIES,
  CAMPAIGN_AUDIENCE_QUERIES,
  CARE_CASE_SUBJECT_QUERIES,
  COMPANY_LINK_SUBJECT_QUERIES,
  COMPANY_MEMBER_QUERIES,
  CONSENT_DISCLOSURE_QUERIES,
  CUSTOMER_SUBJECT_QUERIES,
  ERASURE_RECORD_QUERIES,
  INTERACTION_SUBJECT_QUERIES,
  LEAD_SUBJECT_QUERIES,
  ORDER_SUBJECT_QUERIES,
  SEGMENT_MERGE_MANIFEST_QUERIES,
  SEGMENT_REFERENCE_QUERIES,
  SHARING_DISCLOSURE_QUERIES,
];

const STATEMENTS = BOOKS.flatMap((book) =>
  Object.entries(book.statements).map(([name, sql]) => [`${book.owner}.${name}`, sql] as const),
);

describe("the owners' statements (real PostgreSQL, migrated schema)", () => {
  let db: TestDatabase;
  let ds: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase('owner_queries');
    ds = new DataSource(
      dataSourceOptions({ url: db.url, embeddedDataDir: 'unused', poolSize: 2 }, [], PARTNER_NODE_MIGRATIONS),
    );
    await ds.initialize();
    await ds.runMigrations({ transaction: 'each' });
  });

  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it.each(STATEMENTS)('%s prepares against the schema', async (name, sql) => {
    const prepared = `owner_${name.replace(/[^a-z0-9]/gi, '_')}`;
    await ds.query(`PREPARE ${prepared} AS ${sql}`);
    await ds.query(`DEALLOCATE ${prepared}`);
  });

  it("the ledger's read by field refuses a field that is not a name, and reads by one", async () => {
    await expect(entriesNaming(ds, ['consent.given'], "consentId' OR true --", ['x'])).rejects.toThrow(
      /not a field name/,
    );
    await expect(entriesNaming(ds, ['consent.given'], 'consentId', ['x'])).resolves.toEqual([]);
  });
});
