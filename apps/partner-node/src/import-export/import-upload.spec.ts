import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { startTestNode, type TestNode } from '../testing/test-node.js';
import { Role } from '../users/role.js';
import type { ImportReport } from './import-report.js';

const CUSTOMERS = [
  'external_id,first_name,last_name,email',
  'U1,Ada,Lovelace,ada@example.com',
  'U2,Alan,Turing,alan@example.com',
  'U3,Grace,Hopper,grace@example.com',
].join('\n');
const ORDER_HEADER =
  'order_external_id,customer_external_id,ordered_at,channel,currency,sku,product_name,quantity,unit_price';

describe('the console’s CSV upload (POST /imports/:kind) and its progress (real PostgreSQL)', () => {
  let node: TestNode;
  let admin: { id: string; token: string };
  let db: DataSource;
  const count = async (table: string) =>
    Number(((await db.query(`SELECT count(*)::int AS n FROM ${table}`)) as { n: number }[])[0].n);

  const upload = (
    kind: string,
    csv: string,
    query: Record<string, string>,
    token = admin.token,
    type = 'text/csv',
  ) =>
    fetch(`${node.url}/imports/${kind}?${new URLSearchParams(query).toString()}`, {
      method: 'POST',
      headers: { 'content-type': type, authorization: `Bearer ${token}` },
      body: csv,
    });

  beforeAll(async () => {
    node = await startTestNode('import_upload');
    admin = await node.userFor(Role.ADMIN);
    db = node.app.get(DataSource);
  });
  afterAll(async () => {
    await node?.close();
  });

  it('checks without writing (dryRun), then imports; the progress is the caller’s and ends at the file size', async () => {
    const check = await upload('customers', CUSTOMERS, { jobId: 'job-check-0001', dryRun: 'true' });
    expect(check.status).toBe(200);
    const checked = (await check.json()) as ImportReport;
    expect(checked).toMatchObject({ dryRun: true, written: false, rows: 3, badRows: 0 });
    expect(await count('customer')).toBe(0);

    const run = await upload('customers', CUSTOMERS, { jobId: 'job-run-00001' });
    expect(((await run.json()) as ImportReport).inserted).toBe(3);
    expect(await count('customer')).toBe(3);

    const progress = await node.gql<{ importProgress: Record<string, unknown> }>(
      `query { importProgress(jobId: "job-run-00001") { phase bytesRead totalBytes rows badRows dryRun } }`,
      {},
      admin.token,
    );
    expect(progress.data?.importProgress).toEqual({
      phase: 'done',
      bytesRead: Buffer.byteLength(CUSTOMERS),
      totalBytes: Buffer.byteLength(CUSTOMERS),
      rows: 3,
      badRows: 0,
      dryRun: false,
    });
    // Another admin does not see it; a job id is used once.
    const other = await node.tokenFor(Role.ADMIN);
    const hidden = await node.gql(`query { importProgress(jobId: "job-run-00001") { phase } }`, {}, other);
    expect(hidden.errors?.[0]?.extensions?.['code']).toBe('NOT_FOUND');
    const again = await upload('customers', CUSTOMERS, { jobId: 'job-run-00001' });
    expect(again.status).toBe(409);
  });

  it('says before the import which orders statistics will not count (no status column: all pending)', async () => {
    const csv = [
      ORDER_HEADER,
      'O1,U1,2026-01-05T10:00:00Z,web,EUR,S1,Cable,1,9.90',
      'O2,U2,2026-01-06T10:00:00Z,web,EUR,S2,Plug,2,4.50',
    ].join('\n');
    const report = (await (
      await upload('orders', csv, { jobId: 'job-orders-01', dryRun: 'true' })
    ).json()) as ImportReport;
    expect(report.notCounted).toEqual({
      orders: 2,
      ofOrders: 2,
      byStatus: { pending: 2 },
      statusColumnMissing: true,
      countedStatuses: ['paid', 'shipped', 'delivered'],
    });
    const withStatus = [
      `${ORDER_HEADER},status`,
      'O1,U1,2026-01-05T10:00:00Z,web,EUR,S1,Cable,1,9.90,delivered',
      'O2,U2,2026-01-06T10:00:00Z,web,EUR,S2,Plug,2,4.50,cancelled',
    ].join('\n');
    const second = (await (
      await upload('orders', withStatus, { jobId: 'job-orders-02' })
    ).json()) as ImportReport;
    expect(second.written).toBe(true);
    expect(second.notCounted).toMatchObject({
      orders: 1,
      ofOrders: 2,
      byStatus: { cancelled: 1 },
      statusColumnMissing: false,
    });
  });

  it('refuses what is not an admin, not CSV, an unknown kind or a bad job id, naming the field', async () => {
    const agent = await node.tokenFor(Role.AGENT);
    expect((await upload('customers', CUSTOMERS, { jobId: 'job-agent-001' }, agent)).status).toBe(403);
    expect(
      (await upload('customers', CUSTOMERS, { jobId: 'job-json-0001' }, admin.token, 'text/plain')).status,
    ).toBe(415);
    const kind = await upload('leads', CUSTOMERS, { jobId: 'job-kind-0001' });
    expect(kind.status).toBe(400);
    expect(await kind.json()).toMatchObject({ error: { code: 'BAD_USER_INPUT', field: 'kind' } });
    const job = await upload('customers', CUSTOMERS, { jobId: 'x' });
    expect(await job.json()).toMatchObject({ error: { code: 'BAD_USER_INPUT', field: 'jobId' } });
    const flag = await upload('customers', CUSTOMERS, { jobId: 'job-flag-0001', dryRun: 'yes' });
    expect(await flag.json()).toMatchObject({ error: { code: 'BAD_USER_INPUT', field: 'dryRun' } });
  });

  it('an admin cannot deactivate themselves or drop their own admin role', async () => {
    const self = await node.gql(
      `mutation($id: ID!) { updateUser(id: $id, input: { active: false }) { id } }`,
      { id: admin.id },
      admin.token,
    );
    expect(self.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.active' });
    const demote = await node.gql(
      `mutation($id: ID!) { updateUser(id: $id, input: { roles: [AGENT] }) { id } }`,
      { id: admin.id },
      admin.token,
    );
    expect(demote.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.roles' });
  });
});
