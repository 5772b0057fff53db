import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { runCli, type CliIo } from '../cli/commands.js';
import { startTestNode, type TestNode } from '../testing/test-node.js';
import { Role } from '../users/role.js';
import { CustomerImportService } from './customer-import.service.js';
import type { ImportReport } from './import-report.js';
import { OrderImportService } from './order-import.service.js';

const source = (lines: string[]) => [Buffer.from(`${lines.join('\n')}\n`)];

const CUSTOMER_HEADER =
  'external_id,first_name,last_name,email,phone,address_city,address_country,language,lifecycle_stage,tags,attributes';
const GOOD_CUSTOMERS = [
  'C1,Ada,Lovelace,Ada@Example.com,+44 20 7946 0001,London,GB,en-GB,customer,vip|newsletter,"{""tier"":""gold""}"',
  'C2,Alan,Turing,alan@example.com,,Wilmslow,GB,en,,,',
  'C3,"Hopper, Grace",Hopper,grace@example.com,+1 202 555 0143,Arlington,US,en-US,prospect,navy,',
];
const ORDER_HEADER =
  'order_external_id,customer_external_id,order_number,ordered_at,status,channel,currency,discount,shipping,tax,sku,product_name,product_category,quantity,unit_price';

describe('CSV import and customer export (real PostgreSQL)', () => {
  let node: TestNode;
  let customers: CustomerImportService;
  let orders: OrderImportService;
  let db: DataSource;
  let dir: string;

  const count = async (table: string) =>
    Number(((await db.query(`SELECT count(*)::int AS n FROM ${table}`)) as { n: number }[])[0].n);

  beforeAll(async () => {
    node = await startTestNode('import_export');
    customers = node.app.get(CustomerImportService);
    orders = node.app.get(OrderImportService);
    db = node.app.get(DataSource);
    dir = mkdtempSync(join(tmpdir(), 'concordia-import-'));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await node?.close();
  });

  it('refuses a file with bad rows: every bad row reported with its line, nothing written', async () => {
    const report = await customers.import(
      source([
        CUSTOMER_HEADER,
        GOOD_CUSTOMERS[0],
        'C4,Bad,Email,not-an-email,,,,,,,', // line 3
        GOOD_CUSTOMERS[1],
        'C5,Bad,Phone,,12,,,,,,', // line 5
        '"C6","multi\nline name",Ok,,,,,,,,', // lines 6-7: fine
        'C7,Bad,Enum,,,,,,wizard,,', // line 8
        `C8,${'x'.repeat(201)},Long,,,,,,,,`, // line 9
        'C9,Bad,Country,,,,XX,,,,', // line 10
        'C10,Missing,Columns', // line 11
        ',No,Id,,,,,,,,', // line 12
        'C1,Dup,Licate,,,,,,,,', // line 13: C1 again
      ]),
    );
    expect(report.written).toBe(false);
    expect(report.rows).toBe(11);
    expect(report.problems).toEqual([
      { line: 3, reason: 'email: is not a valid e-mail address' },
      { line: 5, reason: 'phone: is not a phone number in international form, e.g. +33 1 23 45 67 89' },
      { line: 8, reason: 'lifecycle_stage: must be one of lead, prospect, customer, churned' },
      { line: 9, reason: 'first_name: is longer than 200 characters' },
      { line: 10, reason: 'address_country: is not an ISO 3166-1 alpha-2 country code such as FR' },
      { line: 11, reason: 'has 3 fields, the header has 11' },
      { line: 12, reason: 'external_id: is required' },
      { line: 13, reason: 'external_id: appears again in the file (first on line 2)' },
    ]);
    expect(report.badRows).toBe(8);
    for (const table of ['customer', 'customer_email', 'customer_phone']) expect(await count(table)).toBe(0);
  });

  it('refuses a header with an unknown or missing column before reading any row', async () => {
    const report = await customers.import(source(['external_id,first_name,emial', 'C1,Ada,a@b.co']));
    expect(report.written).toBe(false);
    expect(report.fileProblems).toEqual([
      expect.stringMatching(/^unknown column "emial"/),
      'required column "last_name" is missing',
    ]);
    expect(await count('customer')).toBe(0);
  });

  it('gives up on a malformed file mid-COPY (a quote never closed) and rolls back cleanly', async () => {
    const chunks = [
      Buffer.from(`${CUSTOMER_HEADER}\n${GOOD_CUSTOMERS.join('\n')}\nC9,"Never closed,`),
      ...Array.from({ length: 3 }, () => Buffer.alloc(512 * 1024, 'x')),
    ];
    const report = await customers.import(chunks);
    expect(report.written).toBe(false);
    expect(report.fileProblems).toEqual([expect.stringMatching(/^line 5: record longer than/)]);
    expect(await count('customer')).toBe(0);
  });

  it('with skipInvalid imports the good rows and reports the bad ones', async () => {
    const report = await customers.import(
      source([CUSTOMER_HEADER, ...GOOD_CUSTOMERS, 'C4,Bad,Email,nope,,,,,,,']),
      {
        skipInvalid: true,
      },
    );
    expect(report).toMatchObject({
      written: true,
      rows: 4,
      badRows: 1,
      inserted: 3,
      updated: 0,
      unchanged: 0,
      details: { emails: 3, phones: 2 },
    });
    expect(report.problems).toEqual([{ line: 5, reason: 'email: is not a valid e-mail address' }]);
    const [ada] = (await db.query(
      `SELECT c.*, e.address, p.number FROM customer c
         JOIN customer_email e ON e.customer_id = c.id AND e.is_primary
         JOIN customer_phone p ON p.customer_id = c.id AND p.is_primary
        WHERE c.external_id = 'C1'`,
    )) as Record<string, unknown>[];
    expect(ada).toMatchObject({
      first_name: 'Ada',
      address: 'ada@example.com',
      number: '+442079460001',
      address_country: 'GB',
      language: 'en-GB',
      lifecycle_stage: 'customer',
      tags: ['vip', 'newsletter'],
      attributes: { tier: 'gold' },
    });
    const [alan] = (await db.query(
      `SELECT lifecycle_stage, tags FROM customer WHERE external_id = 'C2'`,
    )) as {
      lifecycle_stage: string;
      tags: string[];
    }[];
    expect(alan).toEqual({ lifecycle_stage: 'lead', tags: [] });
  });

  it('is idempotent: the same file changes nothing, a changed row updates only that customer', async () => {
    const before = (await db.query(`SELECT id, updated_at FROM customer ORDER BY external_id`)) as unknown[];
    const again = await customers.import(source([CUSTOMER_HEADER, ...GOOD_CUSTOMERS]));
    expect(again).toMatchObject({
      written: true,
      inserted: 0,
      updated: 0,
      unchanged: 3,
      details: { emails: 0, phones: 0 },
    });
    expect(await db.query(`SELECT id, updated_at FROM customer ORDER BY external_id`)).toEqual(before);
    expect([await count('customer'), await count('customer_email'), await count('customer_phone')]).toEqual([
      3, 3, 2,
    ]);

    const changed = await customers.import(
      source([
        CUSTOMER_HEADER,
        'C1,Ada,King,ada.king@example.com,+44 20 7946 0001,London,GB,en-GB,,vip,"{""tier"":""platinum""}"',
        ...GOOD_CUSTOMERS.slice(1),
      ]),
    );
    expect(changed).toMatchObject({
      inserted: 0,
      updated: 1,
      unchanged: 2,
      details: { emails: 1, phones: 0 },
    });
    const [ada] = (await db.query(
      `SELECT last_name, lifecycle_stage, tags, attributes FROM customer WHERE external_id = 'C1'`,
    )) as Record<string, unknown>[];
    // An empty lifecycle_stage keeps the current stage.
    expect(ada).toEqual({
      last_name: 'King',
      lifecycle_stage: 'customer',
      tags: ['vip'],
      attributes: { tier: 'platinum' },
    });
    const emails = (await db.query(
      `SELECT e.address, e.is_primary FROM customer_email e JOIN customer c ON c.id = e.customer_id
        WHERE c.external_id = 'C1' ORDER BY e.address`,
    )) as unknown[];
    // The new e-mail is primary; the old one is kept as secondary.
    expect(emails).toEqual([
      { address: 'ada.king@example.com', is_primary: true },
      { address: 'ada@example.com', is_primary: false },
    ]);
    // A file without some columns leaves those fields alone.
    const partial = await customers.import(source(['external_id,first_name,last_name', 'C1,Ada,King']));
    expect(partial).toMatchObject({ inserted: 0, updated: 0, unchanged: 1 });
  });

  it('imports orders with their lines, computes the totals, and is idempotent', async () => {
    const lines = [
      ORDER_HEADER,
      'O1,C1,,2025-01-15T10:00:00Z,paid,web,EUR,5,4.90,,SKU-1,Notebook,paper,3,2.50',
      'O1,C1,,2025-01-15T10:00:00Z,paid,web,EUR,5,4.90,,SKU-2,Pen,,10,1.99',
      'O2,C2,WEB-2,2025-02-01,,store,JPY,,,,SKU-9,Tea,,2,1500',
    ];
    const first = await orders.import(source(lines));
    expect(first).toMatchObject({
      written: true,
      rows: 3,
      badRows: 0,
      inserted: 2,
      updated: 0,
      details: { lines: 3 },
    });
    const rows = (await db.query(
      `SELECT o.external_id, o.number, o.status, o.currency, o.subtotal, o.discount, o.shipping, o.total,
              o.ordered_at, c.external_id AS customer
         FROM customer_order o JOIN customer c ON c.id = o.customer_id ORDER BY o.external_id`,
    )) as Record<string, unknown>[];
    expect(rows).toEqual([
      expect.objectContaining({
        external_id: 'O1',
        number: expect.stringMatching(/^ORD-\d{8}$/),
        status: 'paid',
        subtotal: '27.40',
        discount: '5.00',
        shipping: '4.90',
        total: '27.30',
        ordered_at: new Date('2025-01-15T10:00:00Z'),
        customer: 'C1',
      }),
      expect.objectContaining({
        external_id: 'O2',
        number: 'WEB-2',
        status: 'pending',
        currency: 'JPY',
        subtotal: '3000.00',
        total: '3000.00',
      }),
    ]);
    const orderLines = (await db.query(
      `SELECT ol.position, ol.sku, ol.quantity, ol.unit_price, ol.line_total FROM order_line ol
         JOIN customer_order o ON o.id = ol.order_id WHERE o.external_id = 'O1' ORDER BY ol.position`,
    )) as unknown[];
    expect(orderLines).toEqual([
      { position: 0, sku: 'SKU-1', quantity: 3, unit_price: '2.50', line_total: '7.50' },
      { position: 1, sku: 'SKU-2', quantity: 10, unit_price: '1.99', line_total: '19.90' },
    ]);

    const numberBefore = rows[0].number;
    const again = await orders.import(source(lines));
    expect(again).toMatchObject({
      written: true,
      inserted: 0,
      updated: 0,
      unchanged: 2,
      details: { lines: 0 },
    });
    expect(await count('order_line')).toBe(3);

    const changed = await orders.import(
      source([lines[0], lines[1], lines[2].replace(',10,1.99', ',20,1.99'), lines[3]]),
    );
    expect(changed).toMatchObject({ inserted: 0, updated: 1, unchanged: 1, details: { lines: 2 } });
    const [o1] = (await db.query(
      `SELECT number, subtotal, total FROM customer_order WHERE external_id = 'O1'`,
    )) as {
      number: string;
    }[];
    expect(o1).toEqual({ number: numberBefore, subtotal: '47.30', total: '47.20' });
    expect(await count('order_line')).toBe(3);
  });

  it('refuses orders of unknown customers and bad lines; with skipInvalid, a bad line refuses its whole order', async () => {
    const ordersBefore = await db.query(`SELECT id, updated_at, total FROM customer_order ORDER BY id`);
    const lines = [
      ORDER_HEADER,
      'O3,NOBODY,,2025-03-01T09:00:00Z,paid,web,EUR,,,,SKU-1,Notebook,,1,2.50', // 2
      'O4,C3,,2025-03-01T09:00:00Z,paid,web,EUR,,,,SKU-1,Notebook,,1,2.50', // 3
      'O4,C3,,2025-03-01T09:00:00Z,paid,web,EUR,,,,SKU-2,Pen,,-1,1.00', // 4: negative quantity
      'O5,C3,,2025-03-02T09:00:00Z,paid,web,EURO,,,,SKU-1,Notebook,,1,2.50', // 5: currency
      'O6,C3,,2025-03-02T09:00:00Z,paid,fax,JPY,,,,SKU-1,Tea,,1,2.50', // 6: channel, JPY decimals
      'O7,C3,,2025-03-03T09:00:00Z,paid,web,EUR,,,,SKU-1,Notebook,,1,2.50', // 7: fine
      'O7,C2,,2025-03-03T09:00:00Z,paid,web,EUR,,,,SKU-3,Ink,,1,2.50', // 8: other customer
      'O8,C3,,2099-01-01T00:00:00Z,paid,web,EUR,50,,,SKU-1,Notebook,,1,2.50', // 9: future, discount
      'O9,C3,,2025-03-04T09:00:00Z,paid,web,EUR,,,,SKU-1,Notebook,,1,2.50', // 10: good
    ];
    const refused = await orders.import(source(lines));
    expect(refused.written).toBe(false);
    expect(refused.problems).toEqual([
      { line: 2, reason: 'customer_external_id: no customer has this external id' },
      { line: 4, reason: 'quantity: must be at least 1' },
      { line: 5, reason: 'currency: is not an ISO 4217 currency code such as EUR or USD' },
      { line: 6, reason: 'channel: must be one of web, store, phone, marketplace, partner' },
      {
        line: 8,
        reason: expect.stringMatching(
          /^order-level columns \(customer_external_id, .*\) differ from the first row of order O7 \(line 7\)$/,
        ),
      },
      { line: 9, reason: 'ordered_at: must not be in the future' },
    ]);
    expect(await db.query(`SELECT id, updated_at, total FROM customer_order ORDER BY id`)).toEqual(
      ordersBefore,
    );

    const skipped = await orders.import(source(lines), { skipInvalid: true });
    expect(skipped).toMatchObject({ written: true, inserted: 1, rows: 9 });
    expect(skipped.problems).toEqual(
      expect.arrayContaining([
        { line: 3, reason: 'order O4 is not imported: its line 4 is refused' },
        { line: 7, reason: 'order O7 is not imported: its line 8 is refused' },
      ]),
    );
    expect(skipped.badRows).toBe(8);
    const imported = (await db.query(
      `SELECT external_id FROM customer_order ORDER BY external_id`,
    )) as unknown[];
    expect(imported).toEqual([{ external_id: 'O1' }, { external_id: 'O2' }, { external_id: 'O9' }]);

    const jpy = await orders.import(
      source([ORDER_HEADER, 'O10,C3,,2025-03-02T09:00:00Z,paid,web,JPY,,,,SKU-1,Tea,,1,2.50']),
    );
    expect(jpy.problems).toEqual([{ line: 2, reason: 'unit_price: JPY amounts have at most 0 decimals' }]);
    const discount = await orders.import(
      source([ORDER_HEADER, 'O11,C3,,2025-03-02T09:00:00Z,paid,web,EUR,50,,,SKU-1,Tea,,1,2.50']),
    );
    expect(discount.problems).toEqual([
      { line: 2, reason: "discount: must not exceed the order's subtotal (the sum of its lines)" },
    ]);
  });

  it('exports everything held about one customer, and nothing about others', async () => {
    const [a, b] = (await db.query(
      `SELECT id FROM customer WHERE external_id IN ('C1', 'C2') ORDER BY external_id`,
    )) as { id: string }[];
    const [company] = (await db.query(
      `INSERT INTO company (name, domain) VALUES ('Analytical Engines Ltd', 'engines.example') RETURNING id`,
    )) as { id: string }[];
    await db.query(
      `INSERT INTO customer_company (customer_id, company_id, role) VALUES ($1, $2, 'founder')`,
      [a.id, company.id],
    );
    const [careCase] = (await db.query(
      `INSERT INTO care_case (customer_id, subject, status, resolution, satisfaction, feedback_comment, feedback_at, resolved_at)
       VALUES ($1, 'Engine jammed', 'resolved', 'Oiled the gears', 5, 'Very helpful', now(), now()) RETURNING id`,
      [a.id],
    )) as { id: string }[];
    await db.query(
      `INSERT INTO interaction (customer_id, channel, direction, subject, care_case_id) VALUES ($1, 'phone', 'inbound', 'Called about the engine', $2)`,
      [a.id, careCase.id],
    );
    await db.query(
      `INSERT INTO interaction (customer_id, channel, direction, subject) VALUES ($1, 'email', 'outbound', 'Secret of B')`,
      [b.id],
    );
    await db.query(
      `INSERT INTO lead (first_name, last_name, email, source, status, customer_id, converted_at)
       VALUES ('Ada', 'Lovelace', 'ada@example.com', 'event', 'converted', $1, now())`,
      [a.id],
    );

    const query = `query($id: ID!) { exportCustomer(id: $id) }`;
    const compliance = await node.tokenFor(Role.COMPLIANCE);
    const response = await node.gql<{ exportCustomer: { customer: Record<string, unknown> } }>(
      query,
      { id: a.id },
      compliance,
    );
    expect(response.errors).toBeUndefined();
    const doc = response.data!.exportCustomer;
    expect(doc).toMatchObject({
      format: 'concordia.customer-export/1',
      partnerId: node.config.partnerId,
      customer: { id: a.id, externalId: 'C1', firstName: 'Ada', lastName: 'King', tags: ['vip'] },
      emails: [
        { address: 'ada.king@example.com', isPrimary: true },
        { address: 'ada@example.com', isPrimary: false },
      ],
      phones: [{ number: '+442079460001', isPrimary: true }],
      companies: [{ role: 'founder', company: { id: company.id, name: 'Analytical Engines Ltd' } }],
      interactions: [{ channel: 'phone', subject: 'Called about the engine', careCaseId: careCase.id }],
      careCases: [
        { id: careCase.id, satisfaction: 5, feedbackComment: 'Very helpful', resolution: 'Oiled the gears' },
      ],
      orders: [
        {
          externalId: 'O1',
          total: '47.20',
          lines: [
            { position: 0, sku: 'SKU-1', lineTotal: '7.50' },
            { position: 1, sku: 'SKU-2', quantity: 20 },
          ],
        },
      ],
      leads: [{ status: 'converted', source: 'event', email: 'ada@example.com' }],
    });
    expect(doc.customer.searchText).toBeUndefined();
    const text = JSON.stringify(doc);
    expect(text).not.toContain(b.id);
    expect(text).not.toContain('Secret of B');
    expect(text).not.toContain('alan@example.com');
    expect(text).not.toContain('WEB-2');

    const agent = await node.tokenFor(Role.AGENT);
    expect((await node.gql(query, { id: a.id }, agent)).errors![0].extensions!.code).toBe('FORBIDDEN');
    const admin = await node.tokenFor(Role.ADMIN);
    const unknown = await node.gql(query, { id: '00000000-0000-4000-8000-000000000000' }, admin);
    expect(unknown.errors![0].extensions!.code).toBe('NOT_FOUND');
  });

  describe('command line', () => {
    const run = async (...argv: string[]) => {
      const out: string[] = [];
      const err: string[] = [];
      const io: CliIo = {
        out: (t) => out.push(t),
        err: (t) => err.push(t),
        env: { NODE_ENV: 'test', DATABASE_URL: node.db.url, CONCORDIA_PASSWORD: 'a long enough password' },
      };
      const code = await runCli(argv, io);
      return { code, out: out.join('\n'), err: err.join('\n') };
    };

    it('prints the usage, refuses unknown commands with exit code 2', async () => {
      expect((await run('help')).out).toMatch(/^Concordia — the operator's command-line tool/);
      expect((await run('help', 'csv')).out).toMatch(/\| order_external_id \| yes \|/);
      const wrong = await run('frobnicate');
      expect(wrong.code).toBe(2);
      expect(wrong.err).toMatch(/unknown command "frobnicate"/);
      expect((await run('import-customers')).code).toBe(2);
    });

    it('migrates, creates a user, imports and exports', async () => {
      expect(await run('migrate')).toMatchObject({ code: 0, out: expect.stringMatching(/up to date/) });

      const user = await run(
        'create-user',
        '--email',
        'first.admin@example.test',
        '--name',
        'First',
        '--roles',
        'admin,compliance',
      );
      expect(user).toMatchObject({
        code: 0,
        out: expect.stringMatching(/^Created user [0-9a-f-]{36} with role\(s\) admin, compliance\.$/),
      });
      const badRole = await run(
        'create-user',
        '--email',
        'x@example.test',
        '--name',
        'X',
        '--roles',
        'wizard',
      );
      expect(badRole.code).toBe(2);

      const file = join(dir, 'customers.csv');
      writeFileSync(
        file,
        `${CUSTOMER_HEADER}\nC20,Edsger,Dijkstra,edsger@example.com,,,,,,,\nC21,Bad,Mail,nope,,,,,,,\n`,
      );
      const refused = await run('import-customers', file);
      expect(refused.code).toBe(1);
      expect(refused.err).toMatch(/line 3: email: is not a valid e-mail address/);
      expect(refused.err).toMatch(/Nothing was written/);
      const report = join(dir, 'problems.csv');
      const skipped = await run('import-customers', file, '--skip-invalid', '--report', report);
      expect(skipped.code).toBe(0);
      expect(skipped.out).toMatch(/Imported customers: 1 created, 0 updated, 0 unchanged/);
      expect(readFileSync(report, 'utf8')).toBe('line,reason\n3,"email: is not a valid e-mail address"\n');

      const json = await run('import-customers', file, '--skip-invalid', '--json');
      expect((JSON.parse(json.out) as ImportReport).unchanged).toBe(1);

      const exported = await run('export-customer', 'C20', '--external-id');
      expect(exported.code).toBe(0);
      expect(JSON.parse(exported.out)).toMatchObject({
        customer: { firstName: 'Edsger' },
        emails: [{ address: 'edsger@example.com' }],
      });
      const missing = await run('export-customer', '00000000-0000-4000-8000-000000000000');
      expect(missing).toMatchObject({ code: 1, err: expect.stringMatching(/does not exist/) });
      expect((await run('import-orders', join(dir, 'nope.csv'))).code).toBe(1);
    });

    it('says which orders will not count in statistics: checked first (--check), then imported', async () => {
      const file = join(dir, 'orders-no-status.csv');
      writeFileSync(
        file,
        'order_external_id,customer_external_id,ordered_at,channel,currency,sku,product_name,quantity,unit_price\n' +
          'CLI-O1,C20,2026-02-01T10:00:00Z,web,EUR,S1,Cable,1,9.90\n',
      );
      const checked = await run('import-orders', file, '--check');
      expect(checked.code).toBe(0);
      expect(checked.err).toMatch(
        /Warning: 1 of 1 order\(s\) will not count in sales statistics, RFM or segment rules \(pending: 1\); only paid, shipped, delivered count\. The file has no status column/,
      );
      expect(checked.out).toMatch(/Checked only \(--check\): nothing was written/);
      const imported = await run('import-orders', file);
      expect(imported.code).toBe(0);
      expect(imported.err).toMatch(/Warning: 1 of 1 order\(s\) will not count/);
      expect(imported.out).toMatch(/Imported orders: 1 created/);
    });
  });
});
