import { Polytope, INTEGER_TOLERANCE } from '../../disclosure/src/simplex.js';

/** A merge table as published in a signed result: null = suppressed. */
export interface PublishedMerge {
  minCohortSize: number;
  counts: {
    a: number | null;
    b: number | null;
    intersection: number | null;
    union: number | null;
    aOnly: number | null;
    bOnly: number | null;
  };
  breakdown?: {
    a: { count: number | null; intersection: number | null; only: number | null }[];
    b: { count: number | null; intersection: number | null; only: number | null }[];
  };
}

export interface AuditedCell {
  /** e.g. `counts.intersection`, `breakdown.a[2].only`. */
  name: string;
  lo: number;
  hi: number;
}

export interface Audit {
  /** Every suppressed cell with what the published cells prove about it. */
  suppressed: AuditedCell[];
  /** Suppressed cells pinned to one value (lo = hi). */
  pinned: AuditedCell[];
  /** Suppressed cells proven under the minimum cohort (hi < k). */
  provenSmall: AuditedCell[];
  /** Published cells under the minimum cohort (zero included). */
  publishedSmall: string[];
}

/**
 * An auditor of published merge tables, written apart from the suppressor: it reads only what a
 * party receives (the published numbers and the minimum cohort), writes down the identities any
 * reader knows — |A| = ∩ + A\B, |B| = ∩ + B\A, ∪ = ∩ + A\B + B\A, each row's people = in both +
 * only, each side's columns add up to |A| (|B|), ∩, A\B (B\A), every count ≥ 0 — with every
 * cell a variable and each published one fixed by an equation of its own, and bounds every
 * suppressed cell by minimising and maximising it.
 */
export function auditMerge(published: PublishedMerge): Audit {
  const names: string[] = [];
  const known: (number | null)[] = [];
  const cell = (name: string, value: number | null) => {
    names.push(name);
    known.push(value);
    return names.length - 1;
  };
  const c = published.counts;
  const A = cell('counts.a', c.a);
  const B = cell('counts.b', c.b);
  const I = cell('counts.intersection', c.intersection);
  const U = cell('counts.union', c.union);
  const AO = cell('counts.aOnly', c.aOnly);
  const BO = cell('counts.bOnly', c.bOnly);
  // Equations as (cell, coefficient) lists, each = 0.
  const equations: [number, number][][] = [
    [
      [A, 1],
      [I, -1],
      [AO, -1],
    ],
    [
      [B, 1],
      [I, -1],
      [BO, -1],
    ],
    [
      [U, 1],
      [I, -1],
      [AO, -1],
      [BO, -1],
    ],
  ];
  for (const [side, total, only] of [
    ['a', A, AO],
    ['b', B, BO],
  ] as const) {
    const rows = published.breakdown?.[side];
    if (!rows) continue;
    const people: [number, number][] = [[total, -1]];
    const both: [number, number][] = [[I, -1]];
    const alone: [number, number][] = [[only, -1]];
    rows.forEach((row, i) => {
      const p = cell(`breakdown.${side}[${i}].count`, row.count);
      const x = cell(`breakdown.${side}[${i}].intersection`, row.intersection);
      const o = cell(`breakdown.${side}[${i}].only`, row.only);
      equations.push([
        [p, 1],
        [x, -1],
        [o, -1],
      ]);
      people.push([p, 1]);
      both.push([x, 1]);
      alone.push([o, 1]);
    });
    equations.push(people, both, alone);
  }
  const n = names.length;
  const rows: number[][] = [];
  const rhs: number[] = [];
  for (const equation of equations) {
    const row = new Array<number>(n).fill(0);
    for (const [at, coefficient] of equation) row[at]! += coefficient;
    rows.push(row);
    rhs.push(0);
  }
  known.forEach((value, at) => {
    if (value === null) return;
    const row = new Array<number>(n).fill(0);
    row[at] = 1;
    rows.push(row);
    rhs.push(value);
  });
  const region = Polytope.of(rows, rhs, n);
  if (!region) throw new Error('the published table contradicts its own identities');
  const k = published.minCohortSize;
  const audit: Audit = { suppressed: [], pinned: [], provenSmall: [], publishedSmall: [] };
  known.forEach((value, at) => {
    if (value !== null) {
      if (value < k) audit.publishedSmall.push(names[at]!);
      return;
    }
    const objective = new Array<number>(n).fill(0);
    objective[at] = 1;
    const low = region.minimize(objective);
    objective[at] = -1;
    const high = region.minimize(objective);
    const lo = low.status === 'optimal' ? Math.round(low.value) : 0;
    const hi = high.status === 'optimal' ? Math.round(-high.value) : Infinity;
    if (low.status === 'optimal' && Math.abs(low.value - lo) > INTEGER_TOLERANCE) {
      throw new Error(`${names[at]}: fractional bound ${low.value}`);
    }
    const audited = { name: names[at]!, lo, hi };
    audit.suppressed.push(audited);
    if (lo >= hi) audit.pinned.push(audited);
    if (hi < k) audit.provenSmall.push(audited);
  });
  return audit;
}
