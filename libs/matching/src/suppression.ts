import { type Identity, type Interval, protectTable } from '#disclosure';
import type { OverlapCounts, SideCell } from './overlap.js';

/** A published count: the number, or null when it is suppressed (under the minimum cohort, or protecting one). */
export type SuppressedCounts = { [K in keyof OverlapCounts]: number | null };

const MEASURES = ['a', 'b', 'intersection', 'union', 'aOnly', 'bOnly'] as const;
const SIDE_MEASURES = ['count', 'intersection', 'only'] as const;

/** A published cell of one side's breakdown; null = suppressed. */
export type SuppressedSideCell = { count: number | null; intersection: number | null; only: number | null };

/** What anyone can prove from the published cells about each cell (a published cell: its value). */
export interface MergeIntervals {
  counts: { [K in keyof OverlapCounts]: Interval };
  breakdown?: { a: { [K in keyof SideCell]: Interval }[]; b: { [K in keyof SideCell]: Interval }[] };
}

export interface SuppressedMerge {
  counts: SuppressedCounts;
  breakdown?: { a: SuppressedSideCell[]; b: SuppressedSideCell[] };
  intervals: MergeIntervals;
  /** Cells under the minimum cohort, and cells suppressed only to protect them. */
  sensitive: number;
  complementary: number;
}

/**
 * The published merge table (invariant 6): every count below `minCohortSize` suppressed (zero
 * included: "none of yours is in ours" is information about individuals too), and complementary
 * cells chosen with every identity of the table in view, so that no suppressed cell can be
 * pinned to one value or proven under the minimum cohort by any combination of published cells,
 * short of what |A|, |B| and the consented count prove alone (see {@link protectTable}). The identities: |A| = ∩ + A \ B, |B| = ∩ + B \ A,
 * ∪ = ∩ + A \ B + B \ A; and per side, each row's people = its "in both" + its "only", and each
 * column adds up to |A| (|B|), ∩ and A \ B (B \ A); all counts ≥ 0.
 *
 * What is published when it can be: |A| and |B| are never suppressed unless under the cohort
 * (each party knows its own, and they are the point of a merge, as is ∩); breakdown cells go
 * first, cheaper the smaller they are; then ∪, A \ B and B \ A; then ∩.
 */
export function suppressMerge(
  counts: OverlapCounts,
  breakdown: { a: readonly SideCell[]; b: readonly SideCell[] } | undefined,
  minCohortSize: number,
  consentedPersons = 0,
): SuppressedMerge {
  const table = mergeTable(counts, breakdown, consentedPersons);
  const protection = protectTable({ ...table, minCohort: minCohortSize });
  const shown = (cell: number) => (protection.suppressed[cell] ? null : table.values[cell]!);
  const interval = (cell: number) => protection.intervals[cell]!;
  const sideOf = <T>(at: (cell: number) => T, rows: readonly SideCell[], offset: number) =>
    rows.map((_, i) => ({
      count: at(offset + 3 * i),
      intersection: at(offset + 3 * i + 1),
      only: at(offset + 3 * i + 2),
    }));
  const countsOf = <T>(at: (cell: number) => T) =>
    Object.fromEntries(MEASURES.map((m, i) => [m, at(i)])) as { [K in keyof OverlapCounts]: T };
  const bOffset = MEASURES.length + 3 * (breakdown?.a.length ?? 0);
  return {
    counts: countsOf(shown),
    ...(breakdown
      ? {
          breakdown: {
            a: sideOf(shown, breakdown.a, MEASURES.length),
            b: sideOf(shown, breakdown.b, bOffset),
          },
        }
      : {}),
    intervals: {
      counts: countsOf(interval),
      ...(breakdown
        ? {
            breakdown: {
              a: sideOf(interval, breakdown.a, MEASURES.length),
              b: sideOf(interval, breakdown.b, bOffset),
            },
          }
        : {}),
    },
    sensitive: protection.sensitive,
    complementary: protection.complementary,
  };
}

/** Cost classes of suppression, per unit of deviation (× 1 + log2(1 + value)). */
const COST = { breakdown: 1, derived: 100, intersection: 1000 } as const;

/**
 * The merge as a linear table: cells 0–5 the counts (in {@link MEASURES} order), then side A's
 * rows (count, intersection, only) and side B's, then the consented people (published whatever
 * their number: they are not a cohort to protect, each of them consented to be named) and ∩
 * minus them (never published).
 */
function mergeTable(
  counts: OverlapCounts,
  breakdown: { a: readonly SideCell[]; b: readonly SideCell[] } | undefined,
  consentedPersons: number,
) {
  const values: number[] = MEASURES.map((m) => counts[m]);
  const costs: number[] = MEASURES.map((m) =>
    m === 'a' || m === 'b'
      ? Infinity
      : weight(m === 'intersection' ? COST.intersection : COST.derived, counts[m]),
  );
  const [a, b, both, union, aOnly, bOnly] = [0, 1, 2, 3, 4, 5];
  const identities: Identity[] = [
    [
      [a, 1],
      [both, -1],
      [aOnly, -1],
    ],
    [
      [b, 1],
      [both, -1],
      [bOnly, -1],
    ],
    [
      [union, 1],
      [both, -1],
      [aOnly, -1],
      [bOnly, -1],
    ],
  ];
  const side = (rows: readonly SideCell[], total: number, only: number) => {
    const first = values.length;
    for (const row of rows) {
      const at = values.length;
      for (const m of SIDE_MEASURES) {
        values.push(row[m]);
        costs.push(weight(COST.breakdown, row[m]));
      }
      identities.push([
        [at, 1],
        [at + 1, -1],
        [at + 2, -1],
      ]);
    }
    const column = (k: number, totalCell: number): Identity => [
      [totalCell, -1],
      ...rows.map((_, i) => [first + 3 * i + k, 1] as const),
    ];
    identities.push(column(0, total), column(1, both), column(2, only));
  };
  if (breakdown) {
    side(breakdown.a, a, aOnly);
    side(breakdown.b, b, bOnly);
  }
  // ∩ = consented people + the others: the count is published, the others never are.
  const consented = values.length;
  values.push(consentedPersons, counts.intersection - consentedPersons);
  costs.push(Infinity, Infinity);
  identities.push([
    [both, 1],
    [consented, -1],
    [consented + 1, -1],
  ]);
  const hidden = values.map((_, cell) => cell === consented + 1);
  const known = values.map((_, cell) => cell === consented);
  return { values, costs, identities, hidden, known };
}

const weight = (base: number, value: number) => base * (1 + Math.log2(1 + value));
