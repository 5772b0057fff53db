/**
 * The sales trend: an ordinary least-squares line y = intercept + slope × x through the last N
 * monthly values, x = 0 for the oldest of them and N − 1 for the latest:
 *
 *     slope     = (N Σxy − Σx Σy) / (N Σx² − (Σx)²)
 *     intercept = (Σy − slope Σx) / N
 *
 * The projection of the k-th coming month is intercept + slope × (N − 1 + k), floored at 0 (sales
 * are never negative). With one point the line is flat; with none it is zero.
 */
export interface LinearFit {
  slope: number;
  intercept: number;
  /** How many values the line was fitted on. */
  points: number;
}

export function linearFit(values: readonly number[]): LinearFit {
  const n = values.length;
  if (n === 0) return { slope: 0, intercept: 0, points: 0 };
  if (n === 1) return { slope: 0, intercept: values[0], points: 1 };
  let sx = 0;
  let sy = 0;
  let sxy = 0;
  let sxx = 0;
  values.forEach((y, x) => {
    sx += x;
    sy += y;
    sxy += x * y;
    sxx += x * x;
  });
  const slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
  const intercept = (sy - slope * sx) / n;
  return { slope, intercept, points: n };
}

/** The values of the `count` months after the fitted ones. */
export function projectFit(fit: LinearFit, count: number): number[] {
  return Array.from({ length: count }, (_, i) =>
    Math.max(0, fit.intercept + fit.slope * (fit.points - 1 + i + 1)),
  );
}

/** "2025-03" for a month start; months are calendar months in UTC. */
export function monthKey(date: Date): string {
  return date.toISOString().slice(0, 7);
}

/** The first instant of the month `offset` months after the month of `date` (UTC). */
export function addMonths(date: Date, offset: number): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + offset, 1));
}
