/**
 * The house's figures, repeatable (`npm run house:figures`, after `npm run build`): how far the code is
 * from "each table with one owner, each module with one job".
 *
 * - cross-module SQL references: a table is owned by the module whose migration creates it; every
 *   `FROM`/`JOIN`/`INTO`/`UPDATE` naming it in another module's production file is one reference;
 * - raw `.query(` calls outside repositories (`*.repository.ts`) in the apps' production code;
 * - production files over 400 lines (apps and libs, the console excepted).
 *
 * Production code: no specs, no migrations, no `testing/` folders. The scan reads upper-case SQL
 * keywords only, so that English prose ("from the owner") is not counted. `--list` prints each pair.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const APPS = ['partner-node', 'federation'];
const CREATE = /CREATE\s+(?:UNLOGGED\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?"?([a-z_][a-z0-9_]*)/g;
const REFERENCE = /\b(?:FROM|JOIN|INTO|UPDATE)\s+"?([a-z_][a-z0-9_]*)/g;
const LONG_FILE = 400;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : files(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

const isProduction = (path: string): boolean =>
  !/\.spec\.ts$|\.e2e\.ts$/.test(path) &&
  !path.split(sep).some((part) => part === 'migrations' || part === 'testing');

/** `apps/<app>/src/<module>/…` → module; a file directly under src/ belongs to "(root)". */
function moduleOf(app: string, path: string): string {
  const parts = relative(join(ROOT, 'apps', app, 'src'), path).split(sep);
  return parts.length > 1 ? parts[0] : '(root)';
}

function owners(app: string): Map<string, string> {
  const owner = new Map<string, string>();
  const ledger = files(join(ROOT, 'libs', 'ledger', 'src', 'migrations'));
  for (const path of ledger)
    for (const m of readFileSync(path, 'utf8').matchAll(CREATE)) owner.set(m[1], '#ledger');
  for (const path of files(join(ROOT, 'apps', app, 'src')).filter((p) =>
    p.split(sep).includes('migrations'),
  )) {
    for (const m of readFileSync(path, 'utf8').matchAll(CREATE)) owner.set(m[1], moduleOf(app, path));
  }
  return owner;
}

const list = process.argv.includes('--list');
let references = 0;
const pairs = new Map<string, number>();
let rawQueries = 0;
for (const app of APPS) {
  const owner = owners(app);
  for (const path of files(join(ROOT, 'apps', app, 'src')).filter(isProduction)) {
    const module = moduleOf(app, path);
    const text = readFileSync(path, 'utf8');
    if (!path.endsWith('.repository.ts')) rawQueries += text.match(/\.query\(/g)?.length ?? 0;
    for (const m of text.matchAll(REFERENCE)) {
      const tableOwner = owner.get(m[1]);
      if (tableOwner === undefined || tableOwner === module) continue;
      references += 1;
      const key = `${app} ${module} → ${m[1]} (${tableOwner})`;
      pairs.set(key, (pairs.get(key) ?? 0) + 1);
    }
  }
}
const long = [...files(join(ROOT, 'apps')), ...files(join(ROOT, 'libs'))]
  .filter((path) => isProduction(path) && !path.includes(`${sep}console${sep}`))
  .map((path) => ({ path: relative(ROOT, path), lines: readFileSync(path, 'utf8').split('\n').length - 1 }))
  .filter((file) => file.lines > LONG_FILE)
  .sort((a, b) => b.lines - a.lines);

if (list) {
  for (const [key, count] of [...pairs].sort((a, b) => b[1] - a[1]))
    console.log(`${String(count).padStart(4)}  ${key}`);
  for (const file of long) console.log(`${String(file.lines).padStart(5)} lines  ${file.path}`);
}
console.log(`cross-module SQL references: ${references} in ${pairs.size} (module, table) pairs`);
console.log(`raw .query( calls outside repositories: ${rawQueries}`);
console.log(`production files over ${LONG_FILE} lines: ${long.length}`);
