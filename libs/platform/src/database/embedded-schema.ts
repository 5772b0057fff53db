import { readdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { DataSource, type MixedList } from 'typeorm';
import { dataSourceOptions } from './data-source-options.js';
import { migrationsKey } from './migrations-key.js';
import { dumpEmbeddedDatabase, embeddedClusterFile, pgliteDriver, storeClusterFile } from './pglite-pool.js';

/**
 * Part of `npm run build`, after the fresh cluster (storeEmbeddedCluster): for each service's
 * migrations, the cluster with them applied, stored beside it under their key (migrationsKey). A
 * new in-memory database of that service (the demo's, a test's) then starts from it instead of
 * running its migrations one by one: the partner node's 48 cost about 1.4 s of CPU in WebAssembly,
 * for each of the demo's three nodes. Migrated clusters of other keys (older migrations) are
 * removed.
 */
export async function storeEmbeddedSchemas(
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's migration list
  services: readonly MixedList<Function>[],
): Promise<{ file: string; bytes: number }[]> {
  const stored: { file: string; bytes: number }[] = [];
  for (const migrations of services) stored.push(await storeEmbeddedSchema(migrations));
  const kept = new Set(stored.map((s) => basename(s.file)));
  const prefix = `${basename(embeddedClusterFile()).replace(/\.tar$/, '')}-schema-`;
  const dir = dirname(embeddedClusterFile());
  for (const name of readdirSync(dir)) {
    if (name.startsWith(prefix) && name.endsWith('.tar') && !kept.has(name)) rmSync(join(dir, name));
  }
  return stored;
}

async function storeEmbeddedSchema(
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's migration list
  migrations: MixedList<Function>,
): Promise<{ file: string; bytes: number }> {
  const key = migrationsKey(migrations);
  if (!key) throw new Error('only a list of migration classes can be stored migrated');
  const dataDir = `memory://migrated-${key}-${process.pid}`;
  // From the fresh cluster (no schema key): the migrations run here, as on any new database.
  const db = new DataSource({
    ...dataSourceOptions({ embeddedDataDir: dataDir }, [], migrations),
    driver: pgliteDriver(dataDir),
  });
  await db.initialize();
  try {
    await db.runMigrations({ transaction: 'each' });
    // Everything in the data files, so that the copy starts without replaying the log.
    await db.query('CHECKPOINT');
    return await storeClusterFile(embeddedClusterFile(key), await dumpEmbeddedDatabase(dataDir));
  } finally {
    await db.destroy();
  }
}
