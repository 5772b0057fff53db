import { describe, expect, it } from '@jest/globals';
import { CsvRowValidator, describeColumns, type CsvColumn } from './csv-columns.js';

const COLUMNS: CsvColumn[] = [
  { name: 'id', kind: 'text', required: true, maxLength: 10, description: 'key' },
  { name: 'email', kind: 'email', description: 'e-mail' },
  { name: 'phone', kind: 'phone', description: 'phone' },
  { name: 'stage', kind: 'enum', values: ['lead', 'customer'], description: 'stage' },
  { name: 'currency', kind: 'currency', description: 'ISO 4217' },
  { name: 'country', kind: 'country', description: 'ISO 3166' },
  { name: 'language', kind: 'language', description: 'BCP 47' },
  { name: 'quantity', kind: 'integer', min: 1, max: 1000, description: 'qty' },
  { name: 'price', kind: 'decimal', min: 0, maxScale: 2, description: 'price' },
  { name: 'at', kind: 'datetime', description: 'when' },
  { name: 'day', kind: 'date', description: 'day' },
  { name: 'tags', kind: 'list', maxLength: 5, maxItems: 3, description: 'tags' },
  {
    name: 'attrs',
    kind: 'json-object',
    maxLength: 100,
    refine: (v) => (Object.keys(v as object).length > 2 ? 'has too many keys' : undefined),
    description: 'attributes',
  },
];

function validator(header: string[]): CsvRowValidator {
  const result = CsvRowValidator.fromHeader(COLUMNS, header);
  if ('problems' in result) throw new Error(result.problems.join('; '));
  return result.validator;
}

describe('CsvRowValidator', () => {
  const header = COLUMNS.map((c) => c.name.toUpperCase());
  const v = validator(header);
  const row = (values: Record<string, string>) => COLUMNS.map((c) => values[c.name] ?? '');

  it('normalises valid values and turns empty ones into null', () => {
    const result = v.check(
      row({
        id: ' C1 ',
        email: 'Ada@Example.com',
        phone: '0033 1 23 45 67 89',
        stage: 'Customer',
        currency: 'eur',
        country: 'fr',
        language: 'en-gb',
        quantity: '3',
        price: '+12.50',
        at: '2025-03-01 14:30',
        day: '2024-02-29',
        tags: 'vip| news |vip|',
        attrs: '{"a":1}',
      }),
    );
    expect(result).toEqual({
      ok: true,
      values: [
        'C1',
        'Ada@Example.com',
        '+33123456789',
        'customer',
        'EUR',
        'FR',
        'en-GB',
        '3',
        '12.50',
        '2025-03-01T14:30:00.000Z',
        '2024-02-29',
        'vip|news',
        '{"a":1}',
      ],
    });
    const empty = v.check(row({ id: 'C2' }));
    expect(empty).toEqual({ ok: true, values: ['C2', ...new Array(12).fill(null)] });
  });

  it('reports every problem of a row, naming the column, without repeating the value', () => {
    const result = v.check(
      row({
        email: 'not-an-email',
        phone: '12',
        stage: 'wizard',
        currency: 'EURO',
        country: 'EU',
        language: 'not a tag',
        quantity: '-2',
        price: '1.999',
        at: '2025-02-30T10:00:00Z',
        day: '2023-02-29',
        tags: 'a|b|c|d',
        attrs: '{"a":1,"b":2,"c":3}',
      }),
    );
    expect(result.ok).toBe(false);
    const reasons = (result as { reason: string }).reason.split('; ');
    expect(reasons).toEqual([
      'id: is required',
      'email: is not a valid e-mail address',
      'phone: is not a phone number in international form, e.g. +33 1 23 45 67 89',
      'stage: must be one of lead, customer',
      'currency: is not an ISO 4217 currency code such as EUR or USD',
      'country: is not an ISO 3166-1 alpha-2 country code such as FR',
      'language: is not a BCP 47 language tag such as fr or en-GB',
      'quantity: must be at least 1',
      'price: has more than 2 digits after the decimal point',
      'at: is not an ISO 8601 date-time such as 2025-03-01T14:30:00Z',
      'day: is not a date in the form YYYY-MM-DD',
      'tags: has more than 3 items',
      'attrs: has too many keys',
    ]);
    expect(v.check(row({ id: 'x'.repeat(11) }))).toEqual({
      ok: false,
      reason: 'id: is longer than 10 characters',
    });
    expect(v.check(row({ id: 'a', attrs: '[1]' }))).toMatchObject({ ok: false, reason: /JSON object/ });
    expect(v.check(row({ id: 'a', attrs: '{' }))).toMatchObject({
      ok: false,
      reason: 'attrs: is not valid JSON',
    });
    expect(v.check(row({ id: 'a\0' }))).toMatchObject({ ok: false, reason: 'id: contains a NUL character' });
    expect(v.check(['only one field'])).toEqual({ ok: false, reason: 'has 1 fields, the header has 13' });
  });

  it('refuses a header with unknown, repeated or missing required columns', () => {
    const result = CsvRowValidator.fromHeader(COLUMNS, ['email', 'emial', 'email', '']);
    expect(result).toEqual({
      problems: [
        expect.stringMatching(/^unknown column "emial"; the columns are id, email/),
        'column "email" appears twice in the header',
        'column 4 of the header has no name',
        'required column "id" is missing',
      ],
    });
    // Optional columns may be left out of the file.
    const partial = validator(['id', 'email']);
    expect(partial.check(['1', 'a@b.co'])).toEqual({
      ok: true,
      values: ['1', 'a@b.co', ...new Array(11).fill(null)],
    });
  });

  it('documents the columns as a table', () => {
    const table = describeColumns(COLUMNS);
    expect(table).toMatch(/^\| column \| required \| kind \| meaning \|/);
    expect(table).toMatch(/\| stage \| no \| enum \(one of lead, customer\) \| stage \|/);
  });
});
