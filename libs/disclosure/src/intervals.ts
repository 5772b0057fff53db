import { INTEGER_TOLERANCE, Polytope } from './simplex.js';

/**
 * A table of non-negative counts and the linear identities its cells satisfy, each identity
 * Σ coefficient · cell = 0 (e.g. a row total minus its cells). Non-negativity is implied.
 */
export interface LinearTable {
  values: readonly number[];
  identities: readonly Identity[];
}

export type Identity = readonly (readonly [cell: number, coefficient: number])[];

/** What a reader of the published cells can prove about a cell: lo ≤ value ≤ hi. */
export interface Interval {
  lo: number;
  hi: number;
}

/**
 * The feasible interval of every cell, given the published ones (`suppressed[i]` false) and every
 * identity: a published cell's is its value; a suppressed cell's is the minimum and maximum of
 * that cell over all non-negative tables that agree with the published cells (∞ when nothing
 * bounds it). These are exactly what an attacker with the published table can derive by any
 * combination of sums and differences, not only by one subtraction.
 */
export function feasibleIntervals(table: LinearTable, suppressed: readonly boolean[]): Interval[] {
  const region = suppressedRegion(table, suppressed);
  return table.values.map((_, cell) => region.interval(cell));
}

/** The interval of one suppressed cell (two linear programs). */
export function feasibleInterval(table: LinearTable, suppressed: readonly boolean[], cell: number): Interval {
  return suppressedRegion(table, suppressed).interval(cell);
}

/**
 * The region of the tables that agree with the published cells. Suppressed cells that share an
 * identity are bounded together; the others apart, each group its own smaller program (two
 * sides joined only by a published total are two groups), solved for feasibility when first
 * needed. `interval(cell)` then costs two programs, so that a caller can stop at the first cell
 * that fails a check.
 */
export function suppressedRegion(table: LinearTable, suppressed: readonly boolean[]) {
  const group = table.values.map((_, cell) => cell);
  const find = (cell: number): number => {
    while (group[cell] !== cell) cell = group[cell] = group[group[cell]!]!;
    return cell;
  };
  for (const identity of table.identities) {
    const hidden = identity.filter(([cell]) => suppressed[cell]).map(([cell]) => find(cell));
    for (const root of hidden.slice(1)) group[find(root)] = find(hidden[0]!);
  }
  const regions = new Map<number, ReturnType<typeof regionOf>>();
  return {
    interval(cell: number): Interval {
      if (!suppressed[cell]) return { lo: table.values[cell]!, hi: table.values[cell]! };
      const root = find(cell);
      let region = regions.get(root);
      if (!region)
        regions.set(root, (region = regionOf(table, (j) => suppressed[j] === true && find(j) === root)));
      return boundsOf(region.region, region.variables.size, region.variables.get(cell)!);
    },
  };
}

/**
 * The polytope of a group of suppressed cells: each identity with the published cells moved to
 * the right-hand side. Always non-empty (the true table is in it).
 */
function regionOf(table: LinearTable, isVariable: (cell: number) => boolean) {
  const variables = new Map<number, number>();
  table.values.forEach((_, cell) => {
    if (isVariable(cell)) variables.set(cell, variables.size);
  });
  const rows: number[][] = [];
  const rhs: number[] = [];
  for (const identity of table.identities) {
    const row = new Array<number>(variables.size).fill(0);
    let constant = 0;
    let hidden = false;
    for (const [cell, coefficient] of identity) {
      const at = variables.get(cell);
      if (at === undefined) constant -= coefficient * table.values[cell]!;
      else {
        row[at]! += coefficient;
        hidden = true;
      }
    }
    if (!hidden) continue;
    rows.push(row);
    rhs.push(constant);
  }
  const region = Polytope.of(rows, rhs, variables.size);
  if (!region) throw new Error('the table does not satisfy its own identities');
  return { region, variables };
}

function boundsOf(region: Polytope, n: number, at: number): Interval {
  const objective = new Float64Array(n);
  objective[at] = 1;
  const low = region.minimize(objective);
  objective[at] = -1;
  const high = region.minimize(objective);
  // Counts are integers and the vertices of these tables are integral: round inwards.
  const lo = low.status === 'optimal' ? Math.max(0, Math.ceil(low.value - INTEGER_TOLERANCE)) : 0;
  const hi = high.status === 'optimal' ? Math.floor(-high.value + INTEGER_TOLERANCE) : Infinity;
  return { lo, hi };
}
