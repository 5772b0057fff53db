import { defineQueries } from '#platform/database/named-queries';

/**
 * A care case as the reason an agent reads a customer's shared history (the sharing module's
 * pull reason). Run by CareCaseReasonsRepository.
 */
export const CARE_CASE_REASON_QUERIES = defineQueries('care-cases', {
  /**
   * The care case $1 of the customer $2: when it started, and whether it is still a reason (open
   * or pending, or closed/resolved within $3 days).
   */
  readingReason: `
    SELECT r.created_at AS started_at,
           (r.status IN ('open','pending')
             OR coalesce(r.closed_at, r.resolved_at, r.updated_at) > now() - make_interval(days => $3)) AS recent
      FROM care_case r
     WHERE r.id = $1 AND r.customer_id = $2`,
});
