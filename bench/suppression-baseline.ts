/**
 * The BASELINE of bench/suppression-audit.bench.ts: the segment-merge suppression as it was
 * before issue 16 (one sum at a time), kept here only to be measured against. Not used by the
 * product.
 */
import type { OverlapCounts, SideCell } from '../libs/matching/src/overlap.js';

/** A published count: the number, or null when it is suppressed (below the minimum cohort size). */
type SuppressedCounts = { [K in keyof OverlapCounts]: number | null };

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
function suppressOverlap(counts: OverlapCounts, minCohortSize: number): SuppressedCounts {
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

/** A published cell of one side's breakdown; null = suppressed. */
type SuppressedSideCell = { count: number | null; intersection: number | null; only: number | null };

/**
 * One side's breakdown by bucket (people of that side per bucket: all, also in the other
 * segment, not in it). Each cell below k is suppressed; count = intersection + only, so when
 * either of those is suppressed both are; and a column with exactly one suppressed cell under a
 * published total (the side's |A|, |A ∩ B|, |A \ B|) gets its smallest other cell suppressed too,
 * until nothing changes. When the side's |A ∩ B| or |A \ B| is itself suppressed, the whole
 * intersection and difference columns are (they would add up to it); only sizes per bucket stay.
 * A heuristic, as cell suppression goes: no suppressed cell is given back by one subtraction.
 */
function suppressSideBreakdown(
  cells: readonly { count: number; intersection: number; only: number }[],
  totals: { count: number | null; intersection: number | null; only: number | null },
  minCohortSize: number,
): SuppressedSideCell[] {
  const out: SuppressedSideCell[] = cells.map((c) => {
    const cell: SuppressedSideCell = {
      count: c.count < minCohortSize ? null : c.count,
      intersection: c.intersection < minCohortSize ? null : c.intersection,
      only: c.only < minCohortSize ? null : c.only,
    };
    // With the side's intersection or difference suppressed, these columns would add up to it.
    if (totals.intersection === null || totals.only === null) {
      cell.intersection = null;
      cell.only = null;
    }
    return sidePartition(cell);
  });
  for (let changed = true; changed;) {
    changed = false;
    for (const m of ['count', 'intersection', 'only'] as const) {
      if (totals[m] === null) continue;
      const hidden = out.filter((c) => c[m] === null).length;
      const shown = out.filter((c) => c[m] !== null);
      if (hidden !== 1 || shown.length === 0) continue;
      const smallest = shown.reduce((x, y) => (y[m]! < x[m]! ? y : x));
      smallest[m] = null;
      sidePartition(smallest);
      changed = true;
    }
  }
  return out;
}

function sidePartition(cell: SuppressedSideCell): SuppressedSideCell {
  if (cell.intersection === null || cell.only === null) {
    cell.intersection = null;
    cell.only = null;
  }
  return cell;
}

/** The whole merge table as the baseline published it (counts, then each side's breakdown). */
export function suppressMergeBaseline(
  counts: OverlapCounts,
  breakdown: { a: readonly SideCell[]; b: readonly SideCell[] } | undefined,
  minCohortSize: number,
) {
  const published = suppressOverlap(counts, minCohortSize);
  const totals = (side: 'a' | 'b') => ({
    count: published[side],
    intersection: published.intersection,
    only: published[side === 'a' ? 'aOnly' : 'bOnly'],
  });
  return {
    minCohortSize,
    counts: published,
    ...(breakdown
      ? {
          breakdown: {
            a: suppressSideBreakdown(breakdown.a, totals('a'), minCohortSize),
            b: suppressSideBreakdown(breakdown.b, totals('b'), minCohortSize),
          },
        }
      : {}),
  };
}
