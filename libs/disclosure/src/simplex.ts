/**
 * A small dense simplex for the linear programs of cell suppression: tens of variables, rows of
 * small integer coefficients. Standard form: minimise c·x subject to A·x = b, x ≥ 0.
 *
 * Two phases (artificial variables, then the objective). Entering column by Dantzig's rule,
 * falling back to Bland's (smallest entering index) after a run of degenerate pivots, so it
 * never cycles; ties broken by the smallest index, so the same input always takes the same
 * pivots: what it decides ends up in a signed result. Floats with a
 * tolerance: the tables it solves are network matrices with integer data, whose vertices are
 * integers, so callers round results to the nearest integer within {@link INTEGER_TOLERANCE}.
 */

/** Below this, a tableau entry or reduced cost counts as zero. */
const EPS = 1e-9;
/** Degenerate pivots in a row after which the entering rule turns to Bland's. */
const BLAND_AFTER = 50;
/** Results of these programs are integers up to this much floating error. */
export const INTEGER_TOLERANCE = 1e-6;

export type LpOutcome = { status: 'optimal'; value: number; x: Float64Array } | { status: 'unbounded' };

/**
 * The feasible region {x ≥ 0 : A·x = b}, with a feasible basis found once (phase 1) so that
 * many objectives can be optimised over it, each from a copy of that basis.
 */
export class Polytope {
  private constructor(
    /** Rows of width `width`: n original columns, m artificial ones, then the right-hand side. */
    private readonly tableau: Float64Array,
    private readonly basis: Int32Array,
    private readonly m: number,
    private readonly n: number,
  ) {}

  /** The region, or undefined when it is empty. `a` is m rows of n coefficients. */
  static of(a: readonly (readonly number[])[], b: readonly number[], n: number): Polytope | undefined {
    const m = a.length;
    const width = n + m + 1;
    const t = new Float64Array(m * width);
    const basis = new Int32Array(m);
    for (let i = 0; i < m; i += 1) {
      const sign = b[i]! < 0 ? -1 : 1;
      const row = a[i]!;
      for (let j = 0; j < n; j += 1) t[i * width + j] = sign * (row[j] ?? 0);
      t[i * width + n + i] = 1;
      t[i * width + width - 1] = sign * b[i]!;
      basis[i] = n + i;
    }
    // Phase 1: minimise the sum of the artificial variables.
    const cost = new Float64Array(n + m);
    for (let j = n; j < n + m; j += 1) cost[j] = 1;
    const phase1 = new Polytope(t, basis, m, n);
    const outcome = phase1.run(cost, n + m);
    if (outcome.status !== 'optimal' || outcome.value > INTEGER_TOLERANCE * Math.max(1, maxAbs(b))) {
      return undefined;
    }
    phase1.driveOutArtificials();
    return phase1;
  }

  /** Minimises c·x (c over the n original variables) from a copy of the feasible basis. */
  minimize(c: ArrayLike<number>): LpOutcome {
    const copy = new Polytope(this.tableau.slice(), this.basis.slice(), this.m, this.n);
    const cost = new Float64Array(this.n + this.m);
    for (let j = 0; j < this.n; j += 1) cost[j] = c[j] ?? 0;
    return copy.run(cost, this.n);
  }

  /**
   * The simplex on this tableau with `cost`, entering columns limited to the first `columns`
   * (phase 2 never lets an artificial variable back in).
   */
  private run(cost: Float64Array, columns: number): LpOutcome {
    const { m, n, tableau: t, basis } = this;
    const width = n + m + 1;
    // Reduced costs: cost_j − Σ_i cost_{basis(i)} · t[i][j], kept up to date through pivots.
    const reduced = new Float64Array(width);
    for (let j = 0; j < width; j += 1) reduced[j] = j < n + m ? cost[j]! : 0;
    for (let i = 0; i < m; i += 1) {
      const cb = cost[basis[i]!]!;
      if (cb === 0) continue;
      for (let j = 0; j < width; j += 1) reduced[j]! -= cb * t[i * width + j]!;
    }
    let degenerate = 0;
    for (;;) {
      // Dantzig's rule (most negative reduced cost) while pivots make progress; Bland's rule
      // (first negative) after a run of degenerate pivots, which cannot cycle.
      const bland = degenerate >= BLAND_AFTER;
      let enter = -1;
      for (let j = 0; j < columns; j += 1) {
        if (reduced[j]! < -EPS && (enter < 0 || (!bland && reduced[j]! < reduced[enter]!))) {
          enter = j;
          if (bland) break;
        }
      }
      if (enter < 0) break;
      let leave = -1;
      let best = Infinity;
      for (let i = 0; i < m; i += 1) {
        const coefficient = t[i * width + enter]!;
        if (coefficient <= EPS) continue;
        const ratio = t[i * width + width - 1]! / coefficient;
        if (ratio < best - EPS || (ratio <= best + EPS && leave >= 0 && basis[i]! < basis[leave]!)) {
          best = ratio;
          leave = i;
        }
      }
      if (leave < 0) return { status: 'unbounded' };
      degenerate = best <= EPS ? degenerate + 1 : 0;
      this.pivot(leave, enter, reduced);
    }
    const x = new Float64Array(n);
    let value = 0;
    for (let i = 0; i < m; i += 1) {
      const v = t[i * width + width - 1]!;
      if (basis[i]! < n) x[basis[i]!] = v;
      value += cost[basis[i]!]! * v;
    }
    return { status: 'optimal', value, x };
  }

  private pivot(row: number, column: number, reduced: Float64Array): void {
    const { m, n, tableau: t } = this;
    const width = n + m + 1;
    const base = row * width;
    const p = t[base + column]!;
    for (let j = 0; j < width; j += 1) t[base + j]! /= p;
    t[base + column] = 1;
    for (let i = 0; i < m; i += 1) {
      if (i === row) continue;
      const f = t[i * width + column]!;
      if (f === 0) continue;
      for (let j = 0; j < width; j += 1) t[i * width + j]! -= f * t[base + j]!;
      t[i * width + column] = 0;
    }
    const f = reduced[column]!;
    if (f !== 0) {
      for (let j = 0; j < width; j += 1) reduced[j]! -= f * t[base + j]!;
      reduced[column] = 0;
    }
    this.basis[row] = column;
  }

  /**
   * After phase 1, artificial variables still basic (at zero) are swapped for original columns
   * where the row has one; a row without is redundant and stays as it is, all zeros.
   */
  private driveOutArtificials(): void {
    const { m, n, tableau: t, basis } = this;
    const width = n + m + 1;
    const unused = new Float64Array(width);
    for (let i = 0; i < m; i += 1) {
      if (basis[i]! < n) continue;
      for (let j = 0; j < n; j += 1) {
        if (Math.abs(t[i * width + j]!) > EPS) {
          this.pivot(i, j, unused);
          break;
        }
      }
    }
  }
}

function maxAbs(values: readonly number[]): number {
  let max = 0;
  for (const v of values) max = Math.max(max, Math.abs(v));
  return max;
}
