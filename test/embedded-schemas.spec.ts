import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource, type QueryRunner } from 'typeorm';
import { dataSourceOptions } from '#platform/database/data-source-options';
import { storeEmbeddedSchemas } from '#platform/database/embedded-schema';
import { migrationsKey } from '#platform/database/migrations-key';
import { embeddedClusterFile, pgliteDriver, storeEmbeddedCluster } from '#platform/database/pglite-pool';
import { schemaFingerprint } from '#platform/testing/schema-fingerprint';
import { FEDERATION_MIGRATIONS } from '../apps/federation/src/database/migrations.js';
import { PARTNER_NODE_MIGRATIONS } from '../apps/partner-node/src/database/migrations.js';

/**
 * The build stores each service's embedded cluster with its migrations applied
 * (scripts/embedded-cluster); a new in-memory database of that service starts from it instead of
 * running them. What it starts with must be exactly what the migrations make, and a changed
 * migration must never start from an old file.
 */

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's migration list
type Migrations = Function[];

class CreateThing1700000000001 {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE thing (id int PRIMARY KEY, label text NOT NULL DEFAULT 'x')`);
    await q.query(`INSERT INTO thing (id, label) VALUES (1, 'seed')`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE thing`);
  }
}

/** The same name as CreateThing1700000000001, another table: an edited migration. */
const EditedCreateThing = {
  CreateThing1700000000001: class {
    async up(q: QueryRunner): Promise<void> {
      await q.query(`CREATE TABLE thing (id bigint PRIMARY KEY)`);
    }
    async down(q: QueryRunner): Promise<void> {
      await q.query(`DROP TABLE thing`);
    }
  },
}.CreateThing1700000000001;

describe('embedded clusters stored migrated', () => {
  const dir = mkdtempSync(join(tmpdir(), 'concordia-schemas-'));
  const cluster = join(dir, 'cluster.tar');
  const opened: DataSource[] = [];
  let databases = 0;

  beforeAll(async () => {
    // The build's fresh cluster when there is one (CI builds first), else initdb here.
    const built = embeddedClusterFile();
    process.env.EMBEDDED_CLUSTER_FILE = cluster;
    if (existsSync(built)) copyFileSync(built, cluster);
    else await storeEmbeddedCluster();
    await storeEmbeddedSchemas([PARTNER_NODE_MIGRATIONS, FEDERATION_MIGRATIONS, [CreateThing1700000000001]]);
  }, 120_000);
  afterAll(async () => {
    for (const db of opened) await db.destroy();
    delete process.env.EMBEDDED_CLUSTER_FILE;
    rmSync(dir, { recursive: true, force: true });
  });

  /** A new in-memory database of a service with these migrations, as the service opens it. */
  const open = async (migrations: Migrations): Promise<DataSource> => {
    const db = new DataSource(
      dataSourceOptions({ embeddedDataDir: `memory://schemas-${++databases}` }, [], migrations),
    );
    await db.initialize();
    opened.push(db);
    return db;
  };
  const systemIdentifier = async (db: DataSource): Promise<string> => {
    const [row] = (await db.query(`SELECT system_identifier::text AS id FROM pg_control_system()`)) as {
      id: string;
    }[];
    return row!.id;
  };
  /** A new in-memory database from the fresh cluster, with the migrations run one by one. */
  const migrated = async (migrations: Migrations): Promise<DataSource> => {
    const dataDir = `memory://schemas-${++databases}`;
    const db = new DataSource({
      ...dataSourceOptions({ embeddedDataDir: dataDir }, [], migrations),
      driver: pgliteDriver(dataDir),
    });
    await db.initialize();
    opened.push(db);
    expect(await db.showMigrations()).toBe(true);
    await db.runMigrations({ transaction: 'each' });
    return db;
  };

  it.each([
    ['partner node', PARTNER_NODE_MIGRATIONS],
    ['federation', FEDERATION_MIGRATIONS],
  ])(
    'a new %s database starts with every migration applied, exactly as running them makes it',
    async (_, list) => {
      const fromStored = await open(list);
      expect(await fromStored.showMigrations()).toBe(false);
      const stored = await schemaFingerprint(fromStored);
      expect(stored.filter((line) => line.startsWith('column ')).length).toBeGreaterThan(50);
      expect(stored.filter((line) => line.startsWith('function ')).length).toBeGreaterThan(0);
      expect(stored).toEqual(await schemaFingerprint(await migrated(list)));
    },
    120_000,
  );

  it('carries seed rows, and each database is its own copy', async () => {
    const [first, second] = await Promise.all([
      open([CreateThing1700000000001]),
      open([CreateThing1700000000001]),
    ]);
    expect(await first.query(`SELECT id, label FROM thing`)).toEqual([{ id: 1, label: 'seed' }]);
    await first.query(`INSERT INTO thing (id, label) VALUES (2, 'only in the first')`);
    expect(await second.query(`SELECT id FROM thing`)).toEqual([{ id: 1 }]);
  }, 60_000);

  it('an edited migration is not started from the stored one: it runs', async () => {
    expect(migrationsKey([EditedCreateThing])).not.toBe(migrationsKey([CreateThing1700000000001]));
    const db = await open([EditedCreateThing]);
    expect(await db.showMigrations()).toBe(true);
    expect(await db.query(`SELECT 1 FROM pg_tables WHERE tablename = 'thing'`)).toEqual([]);
    await db.runMigrations({ transaction: 'each' });
    expect(
      await db.query(`SELECT data_type FROM information_schema.columns WHERE table_name = 'thing'`),
    ).toEqual([{ data_type: 'bigint' }]);
  }, 60_000);

  it('a damaged stored one is not used: the database starts from the fresh cluster and migrates', async () => {
    class CreateOther1700000000002 {
      async up(q: QueryRunner): Promise<void> {
        await q.query(`CREATE TABLE other (id int PRIMARY KEY)`);
      }
      async down(q: QueryRunner): Promise<void> {
        await q.query(`DROP TABLE other`);
      }
    }
    writeFileSync(embeddedClusterFile(migrationsKey([CreateOther1700000000002])), 'not a tarball');
    const db = await open([CreateOther1700000000002]);
    // The stored fresh cluster's identifier: initdb would have drawn a new one.
    expect(await systemIdentifier(db)).toBe(await systemIdentifier(await open([])));
    expect(await db.showMigrations()).toBe(true);
    await db.runMigrations({ transaction: 'each' });
    expect(await db.query(`SELECT count(*)::int AS n FROM other`)).toEqual([{ n: 0 }]);
  }, 60_000);

  it('a rebuild removes the clusters of migrations that are gone', async () => {
    const stale = `${cluster.replace(/\.tar$/, '')}-schema-0123456789abcdef.tar`;
    writeFileSync(stale, 'an old migrated cluster');
    const [kept] = await storeEmbeddedSchemas([[CreateThing1700000000001]]);
    expect(basename(kept!.file)).toBe(`cluster-schema-${migrationsKey([CreateThing1700000000001])}.tar`);
    expect(readdirSync(dir).sort()).toEqual(['cluster.tar', basename(kept!.file)].sort());
  }, 60_000);
});
