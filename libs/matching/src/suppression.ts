import type { OverlapCounts } from './overlap.js';

/** A published count: the number, or null when it is suppressed (below the minimum cohort size). */
export type SuppressedCounts = { [K in keyof OverlapCounts]: number | null };

const PARTITION = ['intersection', 'aOnly', 'bOnly'] as const;
const MEASURES = ['a', 'b', 'intersection', 'union', 'aOnly', 'bOnly'] as const;

/**
 * Suppression of small cells (invariant 6), with complementary suppression against differencing:
 *
 * - every count below `minCohortSize` is suppressed (zero included: "none of yours is in ours" is
 *   information about individuals too);
 * - ∩, A \ B and B \ A partition A ∪ B, and |A| = ∩ + A \ B, |B| = ∩ + B \ A: with one of them
 *   suppressed, publishing the others, or ∪, gives it back by subtraction. So when any of the
 *   three is suppressed, all three and ∪ are. |A| and |B| stay (each when ≥ k): knowing both
 *   bounds the intersection but does not determine it.
 */
export function suppressOverlap(counts: OverlapCounts, minCohortSize: number): SuppressedCounts {
  const out = Object.fromEntries(
    MEASURES.map((m) => [m, counts[m] < minCohortSize ? null : counts[m]]),
  ) as SuppressedCounts;
  return partitionRule(out);
}

function partitionRule(cells: SuppressedCounts): SuppressedCounts {
  if (PARTITION.some((m) => cells[m] === null)) {
    for (const m of PARTITION) cells[m] = null;
    cells.union = null;
  }
  return cells;
}

/**
 * The same, for a breakdown by bucket (e.g. country) under published totals: each bucket is
 * suppressed as above, then, column by column, a column with exactly one suppressed cell under a
 * published total would give that cell back (total − the others), so the smallest other cell of
 * the column is suppressed too; and again until nothing changes.
 */
export function suppressBreakdown(
  buckets: Readonly<Record<string, OverlapCounts>>,
  totals: SuppressedCounts,
  minCohortSize: number,
): Record<string, SuppressedCounts> {
  const out: Record<string, SuppressedCounts> = {};
  for (const [bucket, counts] of Object.entries(buckets))
    out[bucket] = suppressOverlap(counts, minCohortSize);
  const names = Object.keys(out);
  for (let changed = true; changed;) {
    changed = false;
    for (const m of MEASURES) {
      if (totals[m] === null) continue;
      const hidden = names.filter((n) => out[n]![m] === null);
      if (hidden.length !== 1) continue;
      const shown = names.filter((n) => out[n]![m] !== null);
      if (shown.length === 0) continue;
      const smallest = shown.reduce((x, y) => (out[y]![m]! < out[x]![m]! ? y : x));
      out[smallest]![m] = null;
      partitionRule(out[smallest]!);
      changed = true;
    }
  }
  return out;
}
