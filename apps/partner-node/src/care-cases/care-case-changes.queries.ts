import { defineQueries } from '#platform/database/named-queries';

/**
 * The care-cases module's writes of a batch of status changes or feedback in one statement, one
 * array parameter per column (so any number of cases, one row each): CareCasesService checks the
 * rules on the locked rows first and passes each case's resulting values.
 */
export const CARE_CASE_CHANGE_QUERIES = defineQueries('care-cases', {
  /** $1 ids; $2 statuses; $3 resolutions; $4 resolved times; $5 closed times (ISO text, null: none). */
  applyStatuses: `
    UPDATE care_case c
       SET status = v.status, resolution = v.resolution, resolved_at = v.resolved_at, closed_at = v.closed_at,
           updated_at = now()
      FROM unnest($1::uuid[], $2::text[], $3::text[], $4::timestamptz[], $5::timestamptz[])
           AS v(id, status, resolution, resolved_at, closed_at)
     WHERE c.id = v.id`,
  /** $1 ids; $2 satisfactions; $3 comments (null: none); $4 the feedback time. */
  applyFeedback: `
    UPDATE care_case c
       SET satisfaction = v.satisfaction, feedback_comment = v.comment, feedback_at = $4, updated_at = now()
      FROM unnest($1::uuid[], $2::smallint[], $3::text[]) AS v(id, satisfaction, comment)
     WHERE c.id = v.id`,
});
