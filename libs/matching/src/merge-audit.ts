import { Polytope, INTEGER_TOLERANCE } from '#disclosure';

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
  /** The people released to both parties, published whatever their number: ∩ ≥ them. */
  consented?: { persons: number };
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
  /**
   * Suppressed cells that are pinned or under k, but no more than |A|, |B| and the consented
   * count (always published) prove by themselves: not a fault of the suppression (not in
   * `pinned` or `provenSmall`), listed to be seen.
   */
  unavoidable: AuditedCell[];
}

/**
 * An auditor of published merge tables, written apart from the suppressor: it reads only what a
 * party receives (the published numbers and the minimum cohort), writes down the identities any
 * reader knows — |A| = ∩ + A\B, |B| = ∩ + B\A, ∪ = ∩ + A\B + B\A, each row's people = in both +
 * only, each side's columns add up to |A| (|B|), ∩, A\B (B\A), ∩ ≥ the consented people, every
 * count ≥ 0 — with every cell a variable and each published one fixed by an equation of its own,
 * and bounds every suppressed cell by minimising and maximising it. Any party can run it on a
 * result it received; the tests run it on every result they make.
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
  // ∩ ≥ the consented people: ∩ − slack = persons, the slack never published.
  const persons = published.consented?.persons ?? 0;
  const slack = cell('slack', null);
  const n = names.length;
  const rows: number[][] = [];
  const rhs: number[] = [];
  for (const equation of equations) {
    const row = new Array<number>(n).fill(0);
    for (const [at, coefficient] of equation) row[at]! += coefficient;
    rows.push(row);
    rhs.push(0);
  }
  const floorRow = new Array<number>(n).fill(0);
  floorRow[I] = 1;
  floorRow[slack] = -1;
  rows.push(floorRow);
  rhs.push(persons);
  const fixed = (cells: number[]) => {
    const fixing = cells.map((at) => {
      const row = new Array<number>(n).fill(0);
      row[at] = 1;
      return row;
    });
    return Polytope.of([...rows, ...fixing], [...rhs, ...cells.map((at) => known[at]!)], n);
  };
  const region = fixed(known.flatMap((value, at) => (value === null ? [] : [at])));
  if (!region) throw new Error('the published table contradicts its own identities');
  // What |A|, |B| (published unless under k) and the consented count alone prove: the floor no
  // suppression of the other cells can go below.
  const floorRegion = fixed([A, B].filter((at) => known[at] !== null))!;
  const k = published.minCohortSize;
  const audit: Audit = { suppressed: [], pinned: [], provenSmall: [], publishedSmall: [], unavoidable: [] };
  known.forEach((value, at) => {
    if (at === slack) return;
    if (value !== null) {
      if (value < k) audit.publishedSmall.push(names[at]!);
      return;
    }
    const { lo, hi } = boundsOf(region, n, at, names[at]!);
    const audited = { name: names[at]!, lo, hi };
    audit.suppressed.push(audited);
    if (hi >= k && lo < hi) return;
    // The requirement, capped by the floor: hi ≥ min(k, floor.hi); lo < hi unless the floor pins it.
    const floor = boundsOf(floorRegion, n, at, names[at]!);
    const pinned = lo >= hi && floor.lo < floor.hi;
    const provenSmall = hi < Math.min(k, floor.hi);
    if (pinned) audit.pinned.push(audited);
    if (provenSmall) audit.provenSmall.push(audited);
    if (!pinned && !provenSmall) audit.unavoidable.push(audited);
  });
  return audit;
}

/** The least and greatest value of variable `at` over the region, checked to be integers. */
function boundsOf(region: Polytope, n: number, at: number, name: string): { lo: number; hi: number } {
  const objective = new Array<number>(n).fill(0);
  objective[at] = 1;
  const low = region.minimize(objective);
  objective[at] = -1;
  const high = region.minimize(objective);
  const lo = low.status === 'optimal' ? Math.round(low.value) : 0;
  const hi = high.status === 'optimal' ? Math.round(-high.value) : Infinity;
  for (const [bound, exact] of [
    [lo, low.status === 'optimal' ? low.value : 0],
    [hi, high.status === 'optimal' ? -high.value : Infinity],
  ] as const) {
    if (Number.isFinite(bound) && Math.abs(exact - bound) > INTEGER_TOLERANCE) {
      throw new Error(`${name}: fractional bound ${exact}`);
    }
  }
  return { lo, hi };
}
