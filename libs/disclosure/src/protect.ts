import { feasibleIntervals, suppressedRegion, type Interval, type LinearTable } from './intervals.js';
import { INTEGER_TOLERANCE, Polytope } from './simplex.js';

/** A table to protect: its cells, identities, minimum cohort and what suppressing each cell costs. */
export interface ProtectionInput extends LinearTable {
  /** Counts below this are sensitive (zero included). */
  minCohort: number;
  /**
   * The information lost by suppressing each published cell, per unit of the deviation that
   * passes through it (cells of small value should cost less). Infinity: never suppressed
   * unless sensitive itself.
   */
  costs: readonly number[];
  /**
   * Cells never published, with no requirement of their own: the slack of an inequality the
   * published table carries (a ≥ b as a − b − slack = 0, slack ≥ 0).
   */
  hidden?: readonly boolean[];
  /**
   * Cells published whatever their value, never sensitive (facts the reader has anyway, or that
   * need no cohort); give them an infinite cost.
   */
  known?: readonly boolean[];
}

export interface Protection {
  /** Per cell (hidden cells included, as suppressed). */
  suppressed: boolean[];
  /** Each cell's feasible interval given the published cells (a published cell's is its value). */
  intervals: Interval[];
  /** Cells suppressed because they are under the minimum cohort. */
  sensitive: number;
  /** Cells suppressed only to protect others: the price of protection. */
  complementary: number;
}

/** Already-suppressed cells cost this much per unit of deviation: reuse them first. */
const REUSE_COST = 1e-3;

/**
 * The protection requirement of a suppressed cell, given its feasible interval:
 * - a sensitive cell (value < minCohort, zero included) must not be provably small: its
 *   interval must reach the minimum cohort (hi ≥ minCohort), so its width is at least
 *   minCohort − value ≥ 1;
 * - any other suppressed cell must not be pinned to one value (lo < hi).
 * A suppressed cell of value ≥ minCohort always has hi ≥ value ≥ minCohort, so the two rules
 * together read: every suppressed cell has hi ≥ minCohort and lo < hi.
 *
 * `floor`, when given, is what the cells that are always published prove about the cell by
 * themselves: no suppression hides more than that, so the requirement is capped by it
 * (hi ≥ min(minCohort, floor.hi); lo < hi unless the floor pins the cell already).
 */
export function isProtected(interval: Interval, minCohort: number, floor?: Interval): boolean {
  const reach = floor ? Math.min(minCohort, floor.hi) : minCohort;
  const pinnedAnyway = floor !== undefined && floor.lo >= floor.hi;
  return interval.hi >= reach && (interval.lo < interval.hi || pinnedAnyway);
}

/**
 * Complementary cell suppression with every identity in view. Every cell under the minimum
 * cohort is suppressed; then, for each suppressed cell whose feasible interval fails the
 * requirement ({@link isProtected}), a linear program finds the cheapest deviation y of the
 * whole table (A·y = 0 for every identity, value + y ≥ 0, y = 0 on cells that must stay
 * published) that moves that cell to the minimum cohort (or by one, for a pinned complementary
 * cell), and every cell the deviation touches is suppressed: the true table and the true table
 * plus y then both agree with everything published, which proves the requirement, for this
 * cell and for every cell y moves. Suppressing more only widens intervals, so earlier proofs
 * hold. A final audit of every interval (two more programs per suppressed cell) checks it all;
 * then complementary cells that turn out not to be needed are published again ({@link prune}).
 *
 * Deterministic: cells in index order, fixed pivoting rules in the solver.
 */
export function protectTable(input: ProtectionInput): Protection {
  const { values, minCohort } = input;
  const hidden = values.map((_, cell) => input.hidden?.[cell] ?? false);
  const sensitive = values.map((v, cell) => !hidden[cell] && !input.known?.[cell] && v < minCohort);
  const suppressed = values.map((_, cell) => sensitive[cell]! || hidden[cell]!);
  const floor = floorOf(input, sensitive);
  for (let round = 0; ; round += 1) {
    // One feasibility solve serves every cell until a deviation suppresses more.
    let region = suppressedRegion(input, suppressed);
    for (let cell = 0; cell < values.length; cell += 1) {
      if (!suppressed[cell] || hidden[cell]) continue;
      const interval = region.interval(cell);
      if (isProtected(interval, minCohort) || isProtected(interval, minCohort, floor(cell))) continue;
      for (const touched of cheapestDeviation(input, suppressed, cell, interval, floor(cell))) {
        suppressed[touched] = true;
      }
      region = suppressedRegion(input, suppressed);
    }
    if (audited(input, suppressed, floor)) {
      const kept = prune(input, suppressed, sensitive, floor);
      const primary = sensitive.filter(Boolean).length;
      return {
        suppressed: kept,
        intervals: feasibleIntervals(input, kept),
        sensitive: primary,
        complementary: kept.filter(Boolean).length - primary - hidden.filter(Boolean).length,
      };
    }
    // A deviation proves its cell, so a second round only follows rounding trouble: bounded.
    if (round > values.length) throw new Error('cell suppression did not converge');
  }
}

/**
 * The interval of each cell when only the cells that are always published are (those of
 * infinite cost that are not sensitive, and the known ones): computed when first asked for.
 */
function floorOf(input: ProtectionInput, sensitive: readonly boolean[]): (cell: number) => Interval {
  const always = input.values.map(
    (_, cell) =>
      input.known?.[cell] === true ||
      (!Number.isFinite(input.costs[cell]!) && !sensitive[cell] && !input.hidden?.[cell]),
  );
  let region: ReturnType<typeof suppressedRegion> | undefined;
  const cache = new Map<number, Interval>();
  return (cell) => {
    region ??= suppressedRegion(
      input,
      always.map((published) => !published),
    );
    let interval = cache.get(cell);
    if (!interval) cache.set(cell, (interval = region.interval(cell)));
    return interval;
  };
}

/** Every suppressed cell meets its requirement. */
function audited(
  input: ProtectionInput,
  suppressed: readonly boolean[],
  floor: (cell: number) => Interval,
  first: readonly number[] = [],
): boolean {
  const region = suppressedRegion(input, suppressed);
  // Cells likeliest to fail first (a published cell's neighbours), so a failing audit stops early.
  const order = [...new Set([...first, ...input.values.map((_, cell) => cell)])];
  return order.every((cell) => {
    if (!suppressed[cell] || input.hidden?.[cell]) return true;
    const interval = region.interval(cell);
    return isProtected(interval, input.minCohort) || isProtected(interval, input.minCohort, floor(cell));
  });
}

/**
 * Deviations are chosen one cell at a time, so together they may hide more than needed: each
 * complementary cell, the costliest first, is published again if every requirement still holds
 * without it (a full audit each time).
 */
function prune(
  input: ProtectionInput,
  suppressed: readonly boolean[],
  sensitive: readonly boolean[],
  floor: (cell: number) => Interval,
): boolean[] {
  const kept = [...suppressed];
  const complementary = kept
    .map((hidden, cell) => (hidden && !sensitive[cell] && !input.hidden?.[cell] ? cell : -1))
    .filter((cell) => cell >= 0)
    .sort((x, y) => input.costs[y]! - input.costs[x]! || x - y);
  for (const cell of complementary) {
    kept[cell] = false;
    const neighbours = input.identities.filter((identity) => identity.some(([j]) => j === cell)).flat();
    if (
      !audited(
        input,
        kept,
        floor,
        neighbours.map(([j]) => j),
      )
    )
      kept[cell] = true;
  }
  return kept;
}

/**
 * The cells a cheapest protecting deviation of `cell` touches (the cell included). Variables:
 * y = p − n per movable cell (p, n ≥ 0), with n ≤ value where the deviation could empty a
 * cell. A min-cost flow on these tables pushes no more than |δ| through a cell, so only
 * cells smaller than |δ| get that bound at first; a solution that breaks another cell's bound
 * gets it added and is solved again.
 */
function cheapestDeviation(
  input: ProtectionInput,
  suppressed: readonly boolean[],
  cell: number,
  interval: Interval,
  floor: Interval,
): number[] {
  const value = input.values[cell]!;
  // Up to the minimum cohort, or as far as the always-published cells allow; else by one.
  const reach = Math.min(input.minCohort, floor.hi);
  const targets =
    interval.hi < reach
      ? [reach - value]
      : [...(floor.hi > value ? [1] : []), ...(floor.lo < value ? [-1] : [])];
  // The cells two identities away first (a small program, usually enough), then the whole table.
  for (const scope of [nearby(input, cell, 2), undefined]) {
    for (const delta of targets) {
      const touched = deviation(input, suppressed, cell, delta, scope);
      if (touched) return touched;
    }
  }
  throw new Error(
    `cell ${cell} cannot be protected while the cells of infinite cost stay published (minimum cohort ${input.minCohort}, ${input.values.length} cells)`,
  );
}

/** The cells within `depth` identities of `cell` (sharing an identity is one step). */
function nearby(input: ProtectionInput, cell: number, depth: number): Set<number> {
  const seen = new Set([cell]);
  let frontier = [cell];
  for (let step = 0; step < depth; step += 1) {
    const next: number[] = [];
    for (const identity of input.identities) {
      if (!identity.some(([j]) => frontier.includes(j))) continue;
      for (const [j] of identity) {
        if (seen.has(j)) continue;
        seen.add(j);
        next.push(j);
      }
    }
    frontier = next;
  }
  return seen;
}

function deviation(
  input: ProtectionInput,
  suppressed: readonly boolean[],
  cell: number,
  delta: number,
  scope: ReadonlySet<number> | undefined,
): number[] | undefined {
  const { values, costs, identities } = input;
  const movable: number[] = [];
  values.forEach((_, j) => {
    if (j === cell || (scope && !scope.has(j))) return;
    if (suppressed[j] || Number.isFinite(costs[j]!)) movable.push(j);
  });
  const column = new Map(movable.map((j, at) => [j, at]));
  const bounded = new Set(movable.filter((j) => values[j]! < Math.abs(delta)));
  for (;;) {
    const boundList = [...bounded].sort((x, y) => x - y);
    const n = 2 * movable.length + boundList.length;
    const rows: number[][] = [];
    const rhs: number[] = [];
    for (const identity of identities) {
      const row = new Array<number>(n).fill(0);
      let constant = 0;
      let touches = false;
      for (const [j, coefficient] of identity) {
        if (j === cell) {
          constant -= coefficient * delta;
          touches = true;
          continue;
        }
        const at = column.get(j);
        if (at === undefined) continue;
        row[at]! += coefficient;
        row[movable.length + at]! -= coefficient;
        touches = true;
      }
      if (!touches) continue;
      rows.push(row);
      rhs.push(constant);
    }
    boundList.forEach((j, b) => {
      const row = new Array<number>(n).fill(0);
      row[movable.length + column.get(j)!] = 1;
      row[2 * movable.length + b] = 1;
      rows.push(row);
      rhs.push(values[j]!);
    });
    const region = Polytope.of(rows, rhs, n);
    if (!region) return undefined;
    const objective = new Float64Array(n);
    movable.forEach((j, at) => {
      const unit = suppressed[j] ? REUSE_COST : costs[j]!;
      objective[at] = unit;
      objective[movable.length + at] = unit;
    });
    const outcome = region.minimize(objective);
    // Costs are positive, so the cheapest deviation is bounded.
    if (outcome.status !== 'optimal') return undefined;
    const broken = movable.filter(
      (j, at) => !bounded.has(j) && outcome.x[movable.length + at]! > values[j]! + INTEGER_TOLERANCE,
    );
    if (broken.length > 0) {
      for (const j of broken) bounded.add(j);
      continue;
    }
    const touched = movable.filter(
      (_, at) => outcome.x[at]! + outcome.x[movable.length + at]! > INTEGER_TOLERANCE,
    );
    return [cell, ...touched];
  }
}
