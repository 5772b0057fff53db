import { defineQueries } from '#platform/database/named-queries';

/**
 * The members of segment `segment` (an SQL expression: a parameter or a column), as a statement
 * with one `customer_id` column: for the statements of other modules that work on a whole
 * membership at once (a campaign's audience snapshot, a merge's manifest), where sending the ids
 * back and forth would cost more than the statement.
 */
export const membersOfSegment = (segment: string): string =>
  `SELECT sm.customer_id FROM segment_member sm WHERE sm.segment_id = ${segment}`;

/**
 * What other modules ask of `segment` and `segment_member` (the segments module's tables): whether
 * a segment exists, its lock while a campaign snapshots it or a merge refreshes it, the MERGED
 * segments a merge creates, and what an erasure (GDPR Art. 17) deletes.
 */
export const SEGMENT_REFERENCE_QUERIES = defineQueries('segments', {
  exists: `SELECT 1 FROM segment WHERE id = $1`,
  lockForShare: `SELECT 1 FROM segment WHERE id = $1 FOR SHARE`,
  lockForUpdate: `SELECT 1 FROM segment WHERE id = $1 FOR UPDATE`,
  /** A MERGED segment named $1 (description $2, created by $3). */
  insertMerged: `INSERT INTO segment (name, description, kind, created_by) VALUES ($1, $2, 'merged', $3) RETURNING id`,
  mergedIds: `SELECT id FROM segment WHERE kind = 'merged'`,
  /** Erasure: deletes the memberships of customer $1; how many. */
  eraseMembershipsOfCustomer: `
    WITH gone AS (DELETE FROM segment_member WHERE customer_id = $1 RETURNING 1) SELECT count(*)::int AS n FROM gone`,
});
