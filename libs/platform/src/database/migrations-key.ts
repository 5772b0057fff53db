import { createHash } from 'node:crypto';
import type { MixedList } from 'typeorm';

/**
 * Names a service's migrations by what they are: their class names and source text, in order. A
 * stored embedded cluster with those migrations applied carries this name (embeddedClusterFile),
 * so a migration added or edited gives another name and an old cluster is never loaded in its
 * place. Undefined when the list is not plain classes (globs, names): such a database migrates.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's migration list
export function migrationsKey(migrations: MixedList<Function>): string | undefined {
  if (!Array.isArray(migrations) || migrations.length === 0) return undefined;
  const hash = createHash('sha256');
  for (const migration of migrations) {
    if (typeof migration !== 'function') return undefined;
    hash.update(`${migration.name}\0${migration.toString()}\0`);
  }
  return hash.digest('hex').slice(0, 16);
}
