import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { NodeLedgerService } from '../ledger/node-ledger.service.js';
import { startTestNode, type TestNode } from '../testing/test-node.js';
import { Role } from '../users/role.js';

/**
 * Compliance audits on one node without a federation (real PostgreSQL): errors name what is
 * wrong and change nothing; a customer who never consented is erased at once (nothing to purge).
 * The network flows (consent proofs, shares, purges, injected violations) are in test/compliance.spec.ts.
 */
describe('compliance audits on a node of its own (real PostgreSQL)', () => {
  let node: TestNode;
  let officer: string;
  let customerId: string;
  const db = () => node.app.get(DataSource);
  const count = async (sql: string, params: unknown[] = []) =>
    Number(((await db().query(sql, params)) as { n: string }[])[0]!.n);

  beforeAll(async () => {
    node = await startTestNode('compliance_node');
    officer = await node.tokenFor(Role.COMPLIANCE);
    const [row]: { id: string }[] = await db().query(
      `INSERT INTO customer (first_name, last_name, address_city, external_id, tags)
       VALUES ('Grace', 'Hopper', 'Arlington', 'crm-42', '{vip}') RETURNING id`,
    );
    customerId = row!.id;
    await db().query(
      `INSERT INTO customer_email (customer_id, address, is_primary) VALUES ($1, 'grace@example.org', true)`,
      [customerId],
    );
    await db().query(`INSERT INTO customer_phone (customer_id, number) VALUES ($1, '+33123456789')`, [
      customerId,
    ]);
    const [careCase]: { id: string }[] = await db().query(
      `INSERT INTO care_case (customer_id, subject) VALUES ($1, 'Broken compiler') RETURNING id`,
      [customerId],
    );
    await db().query(
      `INSERT INTO interaction (customer_id, channel, direction, subject, care_case_id)
       VALUES ($1, 'phone', 'inbound', 'Call about the bug', $2)`,
      [customerId, careCase!.id],
    );
  });
  afterAll(async () => node?.close());

  const ERASE = `mutation($id: ID!, $reason: String!) { eraseCustomer(customerId: $id, reason: $reason) {
    id customerId reason erased withdrawnConsentIds complete recipients { recipient status } } }`;

  it('refuses a bad erasure with a typed error naming the field, and changes nothing', async () => {
    const empty = await node.gql(ERASE, { id: customerId, reason: '' }, officer);
    expect(empty.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });
    const unknown = await node.gql(
      ERASE,
      { id: '00000000-0000-4000-8000-000000000000', reason: 'x' },
      officer,
    );
    expect(unknown.errors![0]!.extensions!.code).toBe('NOT_FOUND');
    const report = await node.gql(
      `query($id: ID!) { customerAccessReport(customerId: $id) { html } }`,
      { id: '00000000-0000-4000-8000-000000000000' },
      officer,
    );
    expect(report.errors![0]!.extensions!.code).toBe('NOT_FOUND');
    expect(await count(`SELECT count(*) AS n FROM customer_email WHERE customer_id = $1`, [customerId])).toBe(
      1,
    );
    expect(await count(`SELECT count(*) AS n FROM erasure_request`)).toBe(0);
  });

  it('a fresh node has no violations and records of processing with no activity', async () => {
    const result = await node.gql<{
      complianceViolations: { total: number; checks: { count: number }[] };
      recordsOfProcessing: { controller: string; activities: unknown[]; securityMeasures: string[] };
    }>(
      `{ complianceViolations { total checks { count } } recordsOfProcessing { controller activities { purpose } securityMeasures } }`,
      {},
      officer,
    );
    expect(result.data!.complianceViolations.total).toBe(0);
    expect(result.data!.complianceViolations.checks.every((c) => c.count === 0)).toBe(true);
    expect(result.data!.recordsOfProcessing).toMatchObject({
      controller: node.config.partnerId,
      activities: [],
    });
  });

  it('erases a customer who never consented: personal data gone, a tombstone left, a ledger entry, complete at once', async () => {
    const result = await node.gql<{
      eraseCustomer: {
        id: string;
        erased: Record<string, number>;
        withdrawnConsentIds: string[];
        complete: boolean;
        recipients: unknown[];
      };
    }>(ERASE, { id: customerId, reason: 'customer request' }, officer);
    const erasure = result.data!.eraseCustomer;
    expect(erasure).toMatchObject({ withdrawnConsentIds: [], complete: true, recipients: [] });
    expect(erasure.erased).toMatchObject({ emails: 1, phones: 1, interactions: 1, careCases: 1, orders: 0 });
    const [tombstone]: Record<string, unknown>[] = await db().query(
      `SELECT first_name, last_name, address_city, external_id, tags, deleted_at FROM customer WHERE id = $1`,
      [customerId],
    );
    expect(tombstone).toMatchObject({
      first_name: 'erased',
      last_name: 'erased',
      address_city: null,
      external_id: null,
      tags: [],
    });
    expect(tombstone!.deleted_at).not.toBeNull();
    for (const table of ['customer_email', 'customer_phone', 'interaction', 'care_case']) {
      expect(await count(`SELECT count(*) AS n FROM ${table} WHERE customer_id = $1`, [customerId])).toBe(0);
    }
    // The ledger entry names ids and counts only (queued with the erasure, sequenced after it).
    await node.app.get(NodeLedgerService).sequenceNow();
    const [entry]: { entry: string }[] = await db().query(
      `SELECT entry FROM ledger_entry WHERE kind = 'customer.erased'`,
    );
    expect(entry!.entry).toContain(erasure.id);
    expect(entry!.entry).not.toMatch(/Grace|Hopper|grace@example/);
    const history = await node.gql<{ customerConsentHistory: { consents: unknown[] } }>(
      `query($id: ID!) { customerConsentHistory(customerId: $id) { consents { noticeVersion } } }`,
      { id: customerId },
      officer,
    );
    expect(history.data!.customerConsentHistory.consents).toEqual([]);
  });
});
