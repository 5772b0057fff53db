import { describe, expect, it } from '@jest/globals';
import { feasibleIntervals, type LinearTable } from './intervals.js';
import { isProtected, protectTable } from './protect.js';
import { Polytope } from './simplex.js';

describe('simplex', () => {
  it('minimises over {x ≥ 0 : A·x = b}, reports unbounded objectives and empty regions', () => {
    // x + y + s = 4, x − y + t = 1 (x + y ≤ 4, x − y ≤ 1): max x = 2.5.
    const region = Polytope.of(
      [
        [1, 1, 1, 0],
        [1, -1, 0, 1],
      ],
      [4, 1],
      4,
    )!;
    const best = region.minimize([-1, 0, 0, 0]);
    expect(best.status).toBe('optimal');
    expect(best.status === 'optimal' && -best.value).toBeCloseTo(2.5, 9);
    // x − y = 1 alone leaves x unbounded above, and bounded below by 1.
    const line = Polytope.of([[1, -1]], [1], 2)!;
    expect(line.minimize([-1, 0]).status).toBe('unbounded');
    const low = line.minimize([1, 0]);
    expect(low.status === 'optimal' && low.value).toBeCloseTo(1, 9);
    // x + y = −1 has no non-negative solution.
    expect(Polytope.of([[1, 1]], [-1], 2)).toBeUndefined();
  });

  it('survives redundant and degenerate rows (the identities of a table repeat each other)', () => {
    const region = Polytope.of(
      [
        [1, 1, 0],
        [2, 2, 0],
        [0, 1, 1],
      ],
      [3, 6, 3],
      3,
    )!;
    const high = region.minimize([0, -1, 0]);
    expect(high.status === 'optimal' && -high.value).toBeCloseTo(3, 9);
  });
});

/** A 2 × 2 table with row, column and grand totals: cells 0–3 inner, 4–5 rows, 6–7 columns, 8 total. */
function twoByTwo(inner: [number, number, number, number]): LinearTable {
  const [p, q, r, s] = inner;
  return {
    values: [p, q, r, s, p + q, r + s, p + r, q + s, p + q + r + s],
    identities: [
      [
        [4, 1],
        [0, -1],
        [1, -1],
      ],
      [
        [5, 1],
        [2, -1],
        [3, -1],
      ],
      [
        [6, 1],
        [0, -1],
        [2, -1],
      ],
      [
        [7, 1],
        [1, -1],
        [3, -1],
      ],
      [
        [8, 1],
        [4, -1],
        [5, -1],
      ],
    ],
  };
}

describe('feasible intervals', () => {
  it('pins a lone suppressed cell under published totals, and frees the four corners of a rectangle', () => {
    const table = twoByTwo([3, 40, 50, 60]);
    const lone = [true, false, false, false, false, false, false, false, false];
    expect(feasibleIntervals(table, lone)[0]).toEqual({ lo: 3, hi: 3 });
    const corners = [true, true, true, true, false, false, false, false, false];
    // p can rise by min(q, r) = 40 and fall by min(p, s) = 3.
    expect(feasibleIntervals(table, corners).slice(0, 4)).toEqual([
      { lo: 0, hi: 43 },
      { lo: 0, hi: 43 },
      { lo: 10, hi: 53 },
      { lo: 57, hi: 100 },
    ]);
  });

  it('gives ∞ to a cell nothing published bounds', () => {
    const table = twoByTwo([3, 40, 50, 60]);
    expect(
      feasibleIntervals(
        table,
        table.values.map(() => true),
      )[0],
    ).toEqual({ lo: 0, hi: Infinity });
  });
});

describe('complementary suppression', () => {
  it('protects a small cell with the cheapest rectangle, the same way every time', () => {
    const table = twoByTwo([3, 40, 50, 60]);
    const input = { ...table, minCohort: 10, costs: table.values.map((v, i) => (i >= 4 ? Infinity : v + 1)) };
    const first = protectTable(input);
    expect(first.suppressed).toEqual([true, true, true, true, false, false, false, false, false]);
    expect(first.sensitive).toBe(1);
    expect(first.complementary).toBe(3);
    for (const [cell, hidden] of first.suppressed.entries()) {
      if (hidden) expect(isProtected(first.intervals[cell]!, 10)).toBe(true);
    }
    expect(protectTable(input)).toEqual(first);
  });

  it('suppresses a total when the inner cells cannot protect a small one (a small row)', () => {
    // Row 0 = 3 + 2 = 5 < 10: the row total itself is small, so it must be able to reach 10.
    const table = twoByTwo([3, 2, 50, 60]);
    const input = {
      ...table,
      minCohort: 10,
      costs: table.values.map((v, i) => (i === 8 ? Infinity : v + 1)),
    };
    const out = protectTable(input);
    expect(out.suppressed[4]).toBe(true);
    expect(out.intervals[4]!.hi).toBeGreaterThanOrEqual(10);
    for (const [cell, hidden] of out.suppressed.entries()) {
      if (hidden) expect(isProtected(out.intervals[cell]!, 10)).toBe(true);
    }
  });

  it('asks no more than the cells that always stay published allow', () => {
    // Everything but the small cell is published whatever it costs: they pin it, and no
    // suppression can change that, so its requirement is capped (and nothing else is hidden).
    const table = twoByTwo([3, 40, 50, 60]);
    const input = { ...table, minCohort: 10, costs: table.values.map(() => Infinity) };
    const out = protectTable(input);
    expect(out.suppressed.filter(Boolean)).toHaveLength(1);
    expect(out.intervals[0]).toEqual({ lo: 3, hi: 3 });
    expect(isProtected(out.intervals[0]!, 10)).toBe(false);
    expect(isProtected(out.intervals[0]!, 10, { lo: 3, hi: 3 })).toBe(true);
  });
});
