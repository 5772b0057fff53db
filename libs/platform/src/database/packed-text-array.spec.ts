import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { dataSourceOptions } from './data-source-options.js';
import { fromPackedTextArray, packedTextArray } from './packed-text-array.js';

/** Arrays that must come back from the database exactly as they were sent. */
const CASES: (string | null)[][] = [
  [],
  [''],
  ['', ''],
  [null],
  [null, null],
  ['a', null, 'b'],
  ['', null, ''],
  ['{"a":"b,c","d":[1,2]}', '"quoted"', "it's", 'back\\slash', '{}', 'NULL', ',', ' padded '],
  ['è € 😀 中文', 'line\nbreak\ttab', JSON.stringify({ c: '\u0001\u001e' })],
  ['eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ4In0.c2ln', 'x'.repeat(100_000)],
];

/** `fromPackedTextArray` read back by the database: each element, and whether it is NULL. */
async function roundTrip(db: DataSource, values: (string | null)[]): Promise<(string | null)[]> {
  const [row] = (await db.query(
    `SELECT ${fromPackedTextArray('$1')} AS a, cardinality(${fromPackedTextArray('$1')}) AS n`,
    [packedTextArray(values)],
  )) as { a: (string | null)[]; n: number }[];
  expect(Number(row!.n)).toBe(values.length);
  return row!.a;
}

describe('packed text arrays', () => {
  let database: TestDatabase;
  let postgres: DataSource;
  let embedded: DataSource;
  beforeAll(async () => {
    database = await createTestDatabase('packed_text');
    postgres = new DataSource(dataSourceOptions({ url: database.url, embeddedDataDir: '' }, [], []));
    embedded = new DataSource(dataSourceOptions({ embeddedDataDir: 'memory://packed-text-spec' }, [], []));
    await Promise.all([postgres.initialize(), embedded.initialize()]);
  });
  afterAll(async () => {
    await Promise.all([postgres?.destroy(), embedded?.destroy()]);
    await database?.drop();
  });

  it.each(CASES.map((values): [string, (string | null)[]] => [JSON.stringify(values).slice(0, 60), values]))(
    'come back as sent from PostgreSQL and the embedded database: %s',
    async (_label, values) => {
      expect(await roundTrip(postgres, values)).toEqual(values);
      expect(await roundTrip(embedded, values)).toEqual(values);
    },
  );

  it('keep their order through unnest, as the statements read them', async () => {
    const values = Array.from({ length: 1_000 }, (_, i) => (i % 7 === 0 ? null : `v${i}`));
    const rows = (await postgres.query(
      `SELECT v, n FROM unnest(${fromPackedTextArray('$1')}) WITH ORDINALITY AS u(v, n) ORDER BY n`,
      [packedTextArray(values)],
    )) as { v: string | null }[];
    expect(rows.map((r) => r.v)).toEqual(values);
  });

  it('refuse an element that holds a separator, before anything is sent', () => {
    expect(() => packedTextArray(['ok', 'a\u001eb'])).toThrow(/element 1 holds U\+001E or U\+001F/);
    expect(() => packedTextArray(['\u001f'])).toThrow(/element 0/);
  });
});
