import { defineQueries } from '#platform/database/named-queries';

/**
 * Care satisfaction as the statistics dashboard shows it: the care-cases module's aggregates of its
 * own table. Periods are on `opened_at`; `satisfaction` is 1–5 or null (not rated).
 */
export const CARE_SATISFACTION_QUERIES = defineQueries('care-cases', {
  /** Cases opened in [$1, $2) (either bound null: open), per category: counts, average, distribution. */
  byCategory: `
    SELECT category, count(*)::int AS cases, count(satisfaction)::int AS rated, avg(satisfaction)::text AS average,
           count(*) FILTER (WHERE satisfaction = 1)::int AS d1, count(*) FILTER (WHERE satisfaction = 2)::int AS d2,
           count(*) FILTER (WHERE satisfaction = 3)::int AS d3, count(*) FILTER (WHERE satisfaction = 4)::int AS d4,
           count(*) FILTER (WHERE satisfaction = 5)::int AS d5
      FROM care_case
     WHERE ($1::timestamptz IS NULL OR opened_at >= $1) AND ($2::timestamptz IS NULL OR opened_at < $2)
     GROUP BY category ORDER BY count(*) DESC, category`,
  /** Cases opened in [$1, $2) per calendar month (UTC, 'YYYY-MM'); months without cases are absent. */
  byMonth: `
    SELECT to_char(date_trunc('month', opened_at AT TIME ZONE 'UTC'), 'YYYY-MM') AS month,
           count(*)::int AS cases, count(satisfaction)::int AS rated, avg(satisfaction)::text AS average
      FROM care_case WHERE opened_at >= $1 AND opened_at < $2
     GROUP BY 1`,
});
