/**
 * How the hot reads grow with their data: the same benches run one after another at each size
 * (default 100,000, 1,000,000 and 5,000,000), each printing its own figures and its own baseline
 * in the same run, so that the README's growth table is a copy of this output:
 *
 * - search and read by id (`customer-search`, `graphql-vs-pg`): `--rows` customers;
 * - the shared timeline in the desk (`console-desk`): `--rows` more customers on the desk's node;
 * - the violations report (`compliance`): `--rows` shared record refs (its customers are a tenth).
 *
 *   npm run build && npm run bench:growth -- [--sizes 100000,1000000,5000000] [--only search,graphql,desk,compliance]
 *
 * Each bench creates and drops its own databases; they run one at a time (they would measure each
 * other otherwise). Every bench is bounded by its own seconds or runs.
 */
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';

const BENCHES = {
  search: (rows: number) => [
    'dist/bench/customer-search.bench.js',
    '--rows',
    String(rows),
    '--seconds',
    '10',
  ],
  graphql: (rows: number) => ['dist/bench/graphql-vs-pg.bench.js', '--rows', String(rows), '--seconds', '10'],
  desk: (rows: number) => ['dist/bench/console-desk.bench.js', '--rows', String(rows), '--runs', '50'],
  compliance: (rows: number) => ['dist/bench/compliance.bench.js', '--rows', String(rows), '--seconds', '5'],
} as const;
type BenchName = keyof typeof BENCHES;

function options(): { sizes: number[]; only: BenchName[] } {
  const { values } = parseArgs({
    options: { sizes: { type: 'string' }, only: { type: 'string' } },
    strict: true,
  });
  const sizes = (values.sizes ?? '100000,1000000,5000000').split(',').map((text) => {
    const n = Number(text.replace(/_/g, ''));
    if (!Number.isInteger(n) || n < 1) throw new Error(`--sizes: not a positive whole number: ${text}`);
    return n;
  });
  const only = (values.only ?? Object.keys(BENCHES).join(',')).split(',').map((name) => {
    if (!(name in BENCHES))
      throw new Error(`--only: no bench called ${name} (${Object.keys(BENCHES).join(', ')})`);
    return name as BenchName;
  });
  return { sizes, only };
}

const { sizes, only } = options();
let failed = 0;
for (const name of only) {
  for (const rows of sizes) {
    console.log(`\n===== ${name} at ${rows.toLocaleString('en')} =====`);
    const started = Date.now();
    const run = spawnSync(process.execPath, BENCHES[name](rows), { stdio: 'inherit' });
    console.log(
      `===== ${name} at ${rows.toLocaleString('en')}: exit ${run.status}, ${((Date.now() - started) / 1000).toFixed(0)} s =====`,
    );
    if (run.status !== 0) failed += 1;
  }
}
process.exitCode = failed ? 1 : 0;
