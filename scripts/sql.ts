/**
 * Writes every module's named queries (the `defineQueries` books of its `*.queries.ts` files) to
 * `<module>/queries/<module>.sql` (`npm run sql`), or checks that the committed files are current
 * (`npm run sql:check`, run by CI after the build). So a reviewer reads the SQL a module runs on its
 * tables in one file, and a change to a statement shows in the diff as SQL.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isQueryBook, renderQueryBooks, type QueryBook } from '#platform/database/named-queries';

/** dist/scripts/sql.js → the repository root (sources) and dist/ (compiled). */
const DIST = fileURLToPath(new URL('..', import.meta.url));
const ROOT = join(DIST, '..');

function queryFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return queryFiles(path);
    return name.endsWith('.queries.ts') ? [path] : [];
  });
}

const check = process.argv.includes('--check');
const byModule = new Map<string, QueryBook[]>();
// The console's *.queries.ts are GraphQL operations, not SQL: only the servers and the libraries.
for (const source of ['apps/partner-node', 'apps/federation', 'libs'].flatMap((top) =>
  queryFiles(join(ROOT, top)),
)) {
  const compiled = join(DIST, relative(ROOT, source)).replace(/\.ts$/, '.js');
  const exports = (await import(pathToFileURL(compiled).href)) as Record<string, unknown>;
  const books = Object.values(exports).filter(isQueryBook);
  const moduleDir = dirname(source);
  byModule.set(moduleDir, [...(byModule.get(moduleDir) ?? []), ...books]);
}

const stale: string[] = [];
for (const [moduleDir, books] of [...byModule].sort(([a], [b]) => a.localeCompare(b))) {
  // A queries file may export only predicates (fragments), no statements: nothing to write.
  if (books.length === 0) continue;
  const file = join(moduleDir, 'queries', `${basename(moduleDir)}.sql`);
  const text = renderQueryBooks(books);
  const current = existsSync(file) ? readFileSync(file, 'utf8') : null;
  if (current === text) continue;
  if (check) {
    stale.push(relative(ROOT, file));
  } else {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    console.log(`wrote ${relative(ROOT, file)}`);
  }
}
if (stale.length > 0) {
  console.error(`stale (run \`npm run sql\` and commit): ${stale.join(', ')}`);
  process.exit(1);
}
