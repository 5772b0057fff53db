import type { DataSourceOptions, MixedList } from 'typeorm';
import { migrationsKey } from './migrations-key.js';
import { pgliteDriver } from './pglite-pool.js';
import { SnakeNamingStrategy } from './snake-naming.strategy.js';

export interface DatabaseSettings {
  /** postgres://… of a real server; when absent the embedded PGlite database is used. */
  url?: string;
  /** Where the embedded database keeps its files; `memory://` keeps it in memory only. */
  embeddedDataDir: string;
  poolSize?: number;
}

// Entity and migration classes, as TypeORM takes them.
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
type ClassList = MixedList<Function>;

/**
 * The one place that turns settings into TypeORM options. The schema only ever changes through
 * migrations: `synchronize` is always off.
 */
export function dataSourceOptions(
  settings: DatabaseSettings,
  entities: ClassList,
  migrations: ClassList,
): DataSourceOptions {
  const common = {
    type: 'postgres' as const,
    entities,
    migrations,
    synchronize: false,
    migrationsTransactionMode: 'each' as const,
    // Extensions are created by migrations, not at connect time.
    installExtensions: false,
    namingStrategy: new SnakeNamingStrategy(),
  };
  if (settings.url) {
    const max = settings.poolSize ?? 10;
    // Two connections stay open through a quiet spell (the pool's default closes every idle one
    // after 10 s, and a care desk's first consent of a while then waited for new ones: about
    // 20 ms); the others still close when idle. Idle, they keep no process alive (a CLI ends).
    const extra = { max, min: Math.min(2, max), allowExitOnIdle: true };
    return { ...common, url: settings.url, extra };
  }
  // A new in-memory database starts with its migrations applied when the build stored them so.
  const driver = pgliteDriver(settings.embeddedDataDir, { schemaKey: migrationsKey(migrations) });
  return { ...common, database: 'postgres', driver };
}
