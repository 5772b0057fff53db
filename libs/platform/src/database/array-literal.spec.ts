import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { dataSourceOptions } from './data-source-options.js';
import { arrayLiteral } from './array-literal.js';

/** Arrays that must reach the database exactly as node-postgres would have sent them. */
const TEXT_CASES: (string | null)[][] = [
  [],
  [''],
  [null],
  ['a', null, 'b'],
  ['NULL', 'null', 'Null', 'nullable'],
  ['{}', '{a}', 'a,b', '"quoted"', 'back\\slash', "it's", ' padded ', 'tab\there', 'line\nbreak'],
  ['è € 😀 中文', 'ABC-def_1.2:3+4/5@6=7'],
  ['2026-12-06T23:32:34.123Z', 'bench-shop', 'kZ3-_x9QeQ1nX0', '0b6a3f5e-8a41-4c4e-9d1f-6c2b7a9e1d20'],
  Array.from({ length: 2_000 }, (_, i) => (i % 11 === 0 ? null : `v-${i}`)),
];

describe('array literals', () => {
  let database: TestDatabase;
  let postgres: DataSource;
  let embedded: DataSource;
  beforeAll(async () => {
    database = await createTestDatabase('array_literal');
    postgres = new DataSource(dataSourceOptions({ url: database.url, embeddedDataDir: '' }, [], []));
    embedded = new DataSource(dataSourceOptions({ embeddedDataDir: 'memory://array-literal-spec' }, [], []));
    await Promise.all([postgres.initialize(), embedded.initialize()]);
  });
  afterAll(async () => {
    await Promise.all([postgres?.destroy(), embedded?.destroy()]);
    await database?.drop();
  });

  /** The array the database reads from `parameter`, element by element, with its length. */
  const read = async (db: DataSource, sqlType: string, parameter: unknown): Promise<unknown[]> => {
    const [row] = (await db.query(`SELECT $1::${sqlType} AS a, cardinality($1::${sqlType}) AS n`, [
      parameter,
    ])) as { a: unknown[]; n: number }[];
    expect(row!.a.length).toBe(Number(row!.n));
    return row!.a;
  };

  it.each(
    TEXT_CASES.map((values): [string, (string | null)[]] => [JSON.stringify(values).slice(0, 60), values]),
  )(
    'text[]: the database reads what node-postgres would have sent, in PostgreSQL and the embedded database: %s',
    async (_label, values) => {
      for (const db of [postgres, embedded]) {
        expect(await read(db, 'text[]', arrayLiteral(values))).toEqual(values);
        expect(await read(db, 'text[]', arrayLiteral(values))).toEqual(await read(db, 'text[]', values));
      }
    },
  );

  it('uuid[], bigint[], timestamptz[] and bytea[] read the same as node-postgres sends them', async () => {
    const uuids = ['0b6a3f5e-8a41-4c4e-9d1f-6c2b7a9e1d20', null, 'A0B6A3F5-8A41-4C4E-9D1F-6C2B7A9E1D20'];
    const numbers = [0, 1_796_598_658, -5, null];
    const times = ['2026-12-06T23:32:34.123Z', '2026-01-01T00:00:00.000Z'];
    const bytes = [Buffer.from('00ff10', 'hex'), new Uint8Array(32).fill(7), null, Buffer.alloc(0)];
    for (const db of [postgres, embedded]) {
      expect(await read(db, 'uuid[]', arrayLiteral(uuids))).toEqual(await read(db, 'uuid[]', uuids));
      expect(await read(db, 'bigint[]', arrayLiteral(numbers))).toEqual(await read(db, 'bigint[]', numbers));
      expect(await read(db, 'timestamptz[]', arrayLiteral(times))).toEqual(
        await read(db, 'timestamptz[]', times),
      );
      expect(await read(db, 'bytea[]', arrayLiteral(bytes))).toEqual(await read(db, 'bytea[]', bytes));
    }
  });

  it('keeps the order unnest reads, and an element that breaks its type is refused by the database', async () => {
    const values = Array.from({ length: 500 }, (_, i) => `id-${i}`);
    const rows = (await postgres.query(
      `SELECT v FROM unnest($1::text[]) WITH ORDINALITY AS u(v, n) ORDER BY n`,
      [arrayLiteral(values)],
    )) as { v: string }[];
    expect(rows.map((r) => r.v)).toEqual(values);
    await expect(postgres.query(`SELECT $1::uuid[]`, [arrayLiteral(['not-a-uuid'])])).rejects.toThrow(/uuid/);
  });
});
