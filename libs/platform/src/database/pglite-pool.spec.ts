import { afterAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options.js';
import { prepareEmbeddedCluster } from './pglite-pool.js';

/**
 * The in-memory databases of one process start from one fresh cluster (the first made by initdb,
 * the next ones from its tarball): each must still be a database of its own, empty at the start.
 */
describe('embedded databases in memory', () => {
  const opened: DataSource[] = [];
  const open = async (name: string) => {
    const db = new DataSource(dataSourceOptions({ embeddedDataDir: `memory://${name}` }, [], []));
    await db.initialize();
    opened.push(db);
    return db;
  };
  const tables = async (db: DataSource) =>
    (
      (await db.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public'`)) as {
        tablename: string;
      }[]
    )
      .map((t) => t.tablename)
      .sort();
  afterAll(async () => {
    for (const db of opened) await db.destroy();
  });

  it('start from the same fresh cluster and stay apart', async () => {
    prepareEmbeddedCluster();
    const first = await open('pool-spec-first');
    await first.query(`CREATE TABLE only_in_first (id int PRIMARY KEY)`);
    await first.query(`INSERT INTO only_in_first VALUES (1)`);
    const [second, third] = await Promise.all([open('pool-spec-second'), open('pool-spec-third')]);
    await second.query(`CREATE TABLE only_in_second (id int PRIMARY KEY)`);
    expect(await tables(first)).toEqual(['only_in_first']);
    expect(await tables(second)).toEqual(['only_in_second']);
    expect(await tables(third)).toEqual([]);
    // Each is a working cluster, extensions included (the search's trigram index needs pg_trgm).
    await third.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    const [{ similar }] = (await third.query(`SELECT similarity('martin', 'martyn') > 0.3 AS similar`)) as {
      similar: boolean;
    }[];
    expect(similar).toBe(true);
  }, 120_000);
});
