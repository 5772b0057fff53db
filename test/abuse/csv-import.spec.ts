import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { CustomerImportService } from '../../apps/partner-node/src/import-export/customer-import.service.js';
import type { ImportReport } from '../../apps/partner-node/src/import-export/import-report.js';
import { OrderImportService } from '../../apps/partner-node/src/import-export/order-import.service.js';
import { startTestNode, type TestNode } from '../../apps/partner-node/src/testing/test-node.js';
import { runCase, TableCounts, type AbuseCase, type Answer } from './abuse-case.js';

/**
 * The abuse corpus against CSV import (the operator CLI's `import customers|orders`, here through
 * its service): bad rows, spreadsheet formulas, huge lines, wrong encodings. An import with a bad
 * row writes nothing (all or nothing); its report names the line and the rule, never the value.
 */
let node: TestNode;
let counts: TableCounts;

const HEADER = 'external_id,first_name,last_name,email,address_city';
const ORDER_HEADER =
  'order_external_id,customer_external_id,ordered_at,status,channel,currency,sku,product_name,quantity,unit_price';

/** An import's report as an answer: ROW_REFUSED / FILE_REFUSED, and the reasons as the body. */
function answerOf(report: ImportReport): Answer {
  const codes = [];
  if (report.badRows > 0) codes.push('ROW_REFUSED');
  if (report.fileProblems.length > 0) codes.push('FILE_REFUSED');
  if (report.written) codes.push('WRITTEN');
  return {
    status: report.written ? 200 : 400,
    codes,
    body: [...report.fileProblems, ...report.problems.map((p) => `line ${p.line}: ${p.reason}`)],
  };
}

const customers = (file: string | Buffer) => async () =>
  answerOf(
    await node.app.get(CustomerImportService).import([typeof file === 'string' ? Buffer.from(file) : file]),
  );
const orders = (file: string) => async () =>
  answerOf(await node.app.get(OrderImportService).import([Buffer.from(file)]));
/** A good row first, then the bad one: all or nothing, so the good row is not written either. */
const rows = (...lines: string[]) =>
  [HEADER, 'good-1,Ada,Lovelace,ada@example.com,London', ...lines].join('\n');
const says = (text: string) => (answer: Answer) => {
  expect(JSON.stringify(answer.body)).toContain(text);
  return Promise.resolve();
};

const cases: AbuseCase[] = [
  {
    name: 'csv: a required field missing',
    send: customers(rows('bad-1,Ada,,ada2@example.com,Paris')),
    code: 'ROW_REFUSED',
    status: 400,
    check: says('last_name: is required'),
  },
  {
    name: 'csv: formula injection =cmd',
    send: customers(rows(`bad-2,"=cmd|' /C calc'!A0",Doe,,Paris`)),
    code: 'ROW_REFUSED',
    check: says('spreadsheet formula'),
  },
  {
    name: 'csv: formula injection @SUM',
    send: customers(rows('bad-3,Ada,Doe,,@SUM(1+1)*cmd')),
    code: 'ROW_REFUSED',
    check: says('spreadsheet formula'),
  },
  {
    name: 'csv: formula injection +cmd',
    send: customers(rows('bad-4,Ada,+cmd,,Paris')),
    code: 'ROW_REFUSED',
    check: says('spreadsheet formula'),
  },
  {
    name: 'csv: formula injection -2+3',
    send: customers(rows('bad-5,Ada,-2+3,,Paris')),
    code: 'ROW_REFUSED',
    check: says('spreadsheet formula'),
  },
  {
    name: 'csv: a NUL byte in a field',
    send: customers(rows('bad-6,A\u0000da,Doe,,Paris')),
    code: 'ROW_REFUSED',
    check: says('NUL'),
  },
  {
    name: 'csv: a bidi override in a name',
    send: customers(rows('bad-7,Ada\u202E,Doe,,Paris')),
    code: 'ROW_REFUSED',
    check: says('U+202E'),
  },
  {
    name: 'csv: a zero-width space in an external id',
    send: customers(rows('bad\u200B-8,Ada,Doe,,Paris')),
    code: 'ROW_REFUSED',
    check: says('U+200B'),
  },
  {
    name: 'csv: an e-mail with a Cyrillic look-alike',
    send: customers(rows('bad-9,Ada,Doe,\u0430da@example.com,Paris')),
    code: 'ROW_REFUSED',
    check: says('look-alike'),
  },
  {
    name: 'csv: an escape sequence in a city',
    send: customers(rows('bad-10,Ada,Doe,,\u001b[2JParis')),
    code: 'ROW_REFUSED',
    check: says('U+001B'),
  },
  {
    name: 'csv: Latin-1 bytes (not UTF-8)',
    send: customers(
      Buffer.concat([
        Buffer.from(`${HEADER}\nbad-11,Ren`),
        Buffer.from([0xe9]),
        Buffer.from(',Doe,,Paris\n'),
      ]),
    ),
    code: 'ROW_REFUSED',
    check: says('UTF-8'),
  },
  {
    name: 'csv: a UTF-16 file',
    send: customers(
      Buffer.concat([
        Buffer.from([0xff, 0xfe]),
        Buffer.from(`${HEADER}\nbad-12,Ada,Doe,,Paris\n`, 'utf16le'),
      ]),
    ),
    code: 'FILE_REFUSED',
  },
  {
    name: 'csv: a 2 MB line',
    send: customers(rows(`bad-13,"${'A'.repeat(2 * 1024 * 1024)}",Doe,,Paris`)),
    code: 'FILE_REFUSED',
  },
  {
    name: 'csv: a quote never closed',
    send: customers(rows('bad-14,"Ada,Doe,,Paris', 'bad-15,Bob,Doe,,Paris')),
    code: 'ROW_REFUSED',
  },
  {
    name: 'csv: a row with too many fields',
    send: customers(rows('bad-16,Ada,Doe,,Paris,extra,more')),
    code: 'ROW_REFUSED',
    check: says('has 7 fields'),
  },
  {
    name: 'csv: an unknown column',
    send: customers(`${HEADER},is_admin\nbad-17,Ada,Doe,,Paris,true\n`),
    code: 'FILE_REFUSED',
    check: says('unknown column'),
  },
  {
    name: 'csv: a column twice',
    send: customers(`${HEADER},email\nbad-18,Ada,Doe,a@example.com,Paris,b@example.com\n`),
    code: 'FILE_REFUSED',
    check: says('appears twice'),
  },
  {
    name: 'csv: binary garbage',
    send: customers(Buffer.from([0x00, 0x01, 0x02, 0xff, 0xfe, 0x0a, 0x89, 0x50, 0x4e, 0x47])),
    code: 'FILE_REFUSED',
  },
  { name: 'csv: an empty file', send: customers(''), code: 'FILE_REFUSED' },
  {
    name: 'csv: an impossible order date (2024-02-30)',
    send: orders(`${ORDER_HEADER}\no-1,good-1,2024-02-30T10:00:00Z,paid,web,EUR,SKU-1,Thing,1,9.90\n`),
    code: 'ROW_REFUSED',
    check: says('ordered_at'),
  },
  {
    name: 'csv: hour 25 in an order date',
    send: orders(`${ORDER_HEADER}\no-2,good-1,2024-02-10T25:00:00Z,paid,web,EUR,SKU-1,Thing,1,9.90\n`),
    code: 'ROW_REFUSED',
    check: says('ordered_at'),
  },
  {
    name: 'csv: a formula in a product name',
    send: orders(
      `${ORDER_HEADER}\no-3,good-1,2024-02-10T10:00:00Z,paid,web,EUR,SKU-1,"=HYPERLINK(""http://evil"")",1,9.90\n`,
    ),
    code: 'ROW_REFUSED',
    check: says('spreadsheet formula'),
  },
];

describe('abuse corpus: CSV import', () => {
  beforeAll(async () => {
    node = await startTestNode('abuse_csv');
    counts = new TableCounts(node.db.url);
  });

  afterAll(async () => {
    await counts?.close();
    await node?.close();
  });

  it.each(cases)('$name', (testCase) => runCase(testCase, counts));

  it('accepts names in any script, and stores them in NFC', async () => {
    const file = [
      HEADER,
      'ok-1,Zoë,Brontë,zoe@example.com,Orléans', // precomposed
      'ok-2,Zoe\u0308,Bronte\u0308,zoe2@example.com,Orle\u0301ans', // decomposed: normalised
      'ok-3,Иван,Петров,ivan@example.com,Москва',
      'ok-4,محمد,العلي,m@example.com,الرياض',
      'ok-5,美咲,山田,misaki@example.com,東京',
    ].join('\n');
    const report = await node.app.get(CustomerImportService).import([Buffer.from(file)]);
    expect(report).toMatchObject({ written: true, badRows: 0, inserted: 5 });
    const stored: { first_name: string }[] = await node.app
      .get(DataSource)
      .query(`SELECT first_name FROM customer WHERE external_id = 'ok-2'`);
    expect(stored[0]!.first_name).toBe('Zoë'.normalize('NFC'));
  });
});
