/**
 * Segment-merge suppression benchmark (prints figures, asserts nothing; pure computation, no
 * database):
 *
 * 1. The demo's merge table (`npm run demo`, k = 10) as the old suppression published it and as
 *    the new one does, each suppressed cell with its feasible interval: what anyone can prove
 *    about it from the published cells and every identity of the table (auditMerge).
 * 2. Over --tables generated tables (default 1,000; seeded; 1–12 countries a side, many small and
 *    empty cells, k = 5–10): suppressed cells the auditor pins to one value or proves under the
 *    minimum cohort, old (the baseline) against new (goal 0); cells suppressed beyond the small
 *    ones (the price of protection); and the time to suppress one table.
 *
 *   npm run build && npm run bench:suppression [-- --tables N] [--seed S]
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import {
  DEMO_BUCKETS,
  DEMO_MERGE,
  randomMergeTable,
  SeededRandom,
  type MergeTable,
} from '../libs/fixtures/src/index.js';
import { auditMerge, suppressMerge, type PublishedMerge } from '../libs/matching/src/index.js';
import { suppressMergeBaseline } from './suppression-baseline.js';

const { values } = parseArgs({
  options: { tables: { type: 'string', default: '1000' }, seed: { type: 'string', default: '20261204' } },
  strict: true,
});
const TABLES = Number(values.tables);
const SEED = Number(values.seed);
if (!Number.isInteger(TABLES) || TABLES < 1)
  throw new Error(`--tables: not a positive whole number: ${values.tables}`);
if (!Number.isInteger(SEED)) throw new Error(`--seed: not a whole number: ${values.seed}`);

type Suppressor = (table: MergeTable) => PublishedMerge;
const SUPPRESSORS: [name: string, suppress: Suppressor][] = [
  [
    'old (one sum at a time)',
    (t) => ({
      consented: { persons: t.consentedPersons },
      ...suppressMergeBaseline(t.counts, t.breakdown, t.minCohortSize),
    }),
  ],
  [
    'new (every identity)',
    (t) => ({
      minCohortSize: t.minCohortSize,
      consented: { persons: t.consentedPersons },
      ...suppressMerge(t.counts, t.breakdown, t.minCohortSize, t.consentedPersons),
    }),
  ],
];

/** A published cell, or a suppressed one with its feasible interval, and a mark when it leaks. */
function showTable(published: PublishedMerge): string[] {
  const audit = auditMerge(published);
  const byName = new Map(audit.suppressed.map((c) => [c.name, c]));
  const k = published.minCohortSize;
  const cell = (name: string, value: number | null) => {
    if (value !== null) return String(value);
    const { lo, hi } = byName.get(name)!;
    const leak = lo >= hi ? ' pinned' : hi < k ? ' < k' : '';
    return `[${lo}–${hi === Infinity ? '∞' : hi}]${leak}`;
  };
  const c = published.counts;
  const pad = (cells: string[], widths: number[]) => cells.map((s, i) => s.padEnd(widths[i]!)).join('  ');
  const top = ['|A|', '|B|', '|A ∩ B|', '|A ∪ B|', '|A \\ B|', '|B \\ A|'];
  const topCells = (['a', 'b', 'intersection', 'union', 'aOnly', 'bOnly'] as const).map((m) =>
    cell(`counts.${m}`, c[m]),
  );
  const topWidths = top.map((h, i) => Math.max(h.length, topCells[i]!.length));
  const rows: string[][] = [];
  for (const side of ['a', 'b'] as const) {
    published.breakdown?.[side].forEach((row, i) => {
      const name = (m: string) => `breakdown.${side}[${i}].${m}`;
      rows.push([
        side === 'a' ? 'A (retailer)' : 'B (telecom)',
        DEMO_BUCKETS[side][i]!,
        cell(name('count'), row.count),
        cell(name('intersection'), row.intersection),
        cell(name('only'), row.only),
      ]);
    });
  }
  const head = ['side', 'country', 'people', 'in both', 'only this side'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return [
    pad(top, topWidths),
    pad(topCells, topWidths),
    '',
    pad(head, widths),
    ...rows.map((r) => pad(r, widths)),
    `${audit.suppressed.length} suppressed, ${audit.pinned.length} pinned, ${audit.provenSmall.length} proven under k = ${k}`,
  ];
}

console.log(
  `Segment-merge suppression: the demo's merge table (k = ${DEMO_MERGE.minCohortSize}), suppressed cells as [lo–hi] = what the published cells prove`,
);
for (const [name, suppress] of SUPPRESSORS) {
  console.log(`\n${name}:`);
  for (const line of showTable(suppress(DEMO_MERGE))) console.log(`  ${line}`);
}

interface Tally {
  cells: number;
  small: number;
  suppressed: number;
  pinned: number;
  provenSmall: number;
  /** Cells pinned or proven small (each once). */
  leaking: number;
  /** Cells pinned or under k by |A|, |B| and the consented count alone (not the suppression's doing). */
  unavoidable: number;
  leakyTables: number;
  ms: number[];
}
const random = new SeededRandom(SEED);
const tables = Array.from({ length: TABLES }, () => randomMergeTable(random));
const tallies = SUPPRESSORS.map(([name, suppress]) => {
  const tally: Tally = {
    cells: 0,
    small: 0,
    suppressed: 0,
    pinned: 0,
    provenSmall: 0,
    leaking: 0,
    unavoidable: 0,
    leakyTables: 0,
    ms: [],
  };
  for (const table of tables) {
    const started = performance.now();
    const published = suppress(table);
    tally.ms.push(performance.now() - started);
    const audit = auditMerge(published);
    const values = [
      ...Object.values(table.counts),
      ...[...(table.breakdown?.a ?? []), ...(table.breakdown?.b ?? [])].flatMap((r) => [
        r.count,
        r.intersection,
        r.only,
      ]),
    ];
    tally.cells += values.length;
    tally.small += values.filter((v) => v < table.minCohortSize).length;
    tally.suppressed += audit.suppressed.length;
    tally.pinned += audit.pinned.length;
    tally.provenSmall += audit.provenSmall.length;
    const leaking = new Set([...audit.pinned, ...audit.provenSmall].map((c) => c.name)).size;
    tally.leaking += leaking;
    tally.unavoidable += audit.unavoidable.length;
    if (leaking > 0) tally.leakyTables += 1;
  }
  return { name, tally };
});

const percentile = (ms: number[], p: number) =>
  [...ms].sort((x, y) => x - y)[Math.floor((ms.length - 1) * p)]!;
const mean = (ms: number[]) => ms.reduce((s, x) => s + x, 0) / ms.length;
console.log(
  `\n${TABLES} generated tables (seed ${SEED}): ${tallies[0]!.tally.cells} cells, ${tallies[0]!.tally.small} under the minimum cohort (all suppressed by both)`,
);
const head = [
  'algorithm',
  'suppressed',
  'beyond the small',
  'pinned',
  'proven < k',
  'leaking',
  'tables leaking',
  'ms/table (mean, p50, p99)',
];
const rows = tallies.map(({ name, tally: t }) => [
  name,
  String(t.suppressed),
  String(t.suppressed - t.small),
  String(t.pinned),
  String(t.provenSmall),
  String(t.leaking),
  `${t.leakyTables} of ${TABLES}`,
  `${mean(t.ms).toFixed(2)}, ${percentile(t.ms, 0.5).toFixed(2)}, ${percentile(t.ms, 0.99).toFixed(2)}`,
]);
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
for (const r of [head, ...rows]) console.log(`  ${r.map((s, i) => s.padEnd(widths[i]!)).join('  ')}`);
const [old, now] = [tallies[0]!.tally, tallies[1]!.tally];
console.log(
  `\nCells that |A|, |B| and the consented count alone pin or prove under k (no suppression can hide them): ` +
    `${tallies.map(({ name, tally }) => `${name.split(' ')[0]} ${tally.unavoidable}`).join(', ')}.`,
);
console.log(
  `Baseline = old. Ratio new/old: suppressed cells ×${(now.suppressed / old.suppressed).toFixed(2)}, ` +
    `cells beyond the small ×${((now.suppressed - now.small) / Math.max(1, old.suppressed - old.small)).toFixed(2)}, ` +
    `leaking cells ${now.leaking} vs ${old.leaking}, ` +
    `time per table ×${(mean(now.ms) / mean(old.ms)).toFixed(0)}.`,
);

// The largest breakdowns a merge allows (127 buckets a side): one table each, timed.
const large = [20, 60, 127].map((countries) => {
  const table = randomMergeTable(new SeededRandom(SEED + countries), countries);
  const started = performance.now();
  const published = SUPPRESSORS[1]![1](table);
  const ms = performance.now() - started;
  const audit = auditMerge(published);
  return `${countries} countries a side: ${(ms / 1000).toFixed(2)} s, ${audit.suppressed.length} suppressed, ${audit.pinned.length + audit.provenSmall.length} leaking`;
});
console.log(`Large breakdowns (new): ${large.join('; ')}.`);
