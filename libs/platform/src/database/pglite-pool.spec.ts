import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
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

/**
 * The fresh cluster stored by the build (storeEmbeddedCluster): a process's databases start from
 * it instead of running initdb; a damaged one is replaced by initdb. Each process is a fresh copy
 * of the module (isolateModulesAsync); initdb draws a random system identifier, so a database that
 * shares the stored cluster's identifier was loaded from it.
 */
describe('the stored cluster', () => {
  const dir = mkdtempSync(join(tmpdir(), 'concordia-cluster-'));
  const file = join(dir, 'cluster.tar');
  beforeAll(() => {
    process.env.EMBEDDED_CLUSTER_FILE = file;
  });
  afterAll(() => {
    delete process.env.EMBEDDED_CLUSTER_FILE;
    rmSync(dir, { recursive: true, force: true });
  });

  /** A database of a new process's module: its cluster's system identifier. */
  const systemIdentifierInNewProcess = async (name: string): Promise<string> => {
    let id = '';
    await jest.isolateModulesAsync(async () => {
      const { dataSourceOptions: options } = await import('./data-source-options.js');
      const db = new DataSource(options({ embeddedDataDir: `memory://${name}` }, [], []));
      await db.initialize();
      try {
        const [row] = (await db.query(`SELECT system_identifier::text AS id FROM pg_control_system()`)) as {
          id: string;
        }[];
        id = row!.id;
      } finally {
        await db.destroy();
      }
    });
    return id;
  };

  it('is what a new process starts from; a damaged one is replaced by initdb', async () => {
    await jest.isolateModulesAsync(async () => {
      const { storeEmbeddedCluster } = await import('./pglite-pool.js');
      const stored = await storeEmbeddedCluster();
      expect(stored.file).toBe(file);
      expect(statSync(file).size).toBe(stored.bytes);
    });
    const first = await systemIdentifierInNewProcess('stored-first');
    expect(await systemIdentifierInNewProcess('stored-second')).toBe(first);

    writeFileSync(file, 'not a tarball');
    const rebuilt = await systemIdentifierInNewProcess('stored-damaged');
    expect(rebuilt).toMatch(/^\d+$/);
    expect(rebuilt).not.toBe(first);
  }, 120_000);
});
