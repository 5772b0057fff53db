import { defineQueries } from '#platform/database/named-queries';

/**
 * An interaction as the reason an agent reads a customer's shared history (the sharing module's
 * pull reason). Run by InteractionReasonsRepository.
 */
export const INTERACTION_REASON_QUERIES = defineQueries('interactions', {
  /**
   * The interaction $1 with the customer $2: when it was recorded, and whether it is still a reason
   * (it occurred, or was recorded, within $3 days).
   */
  readingReason: `
    SELECT r.created_at AS started_at,
           greatest(r.occurred_at, r.created_at) > now() - make_interval(days => $3) AS recent
      FROM interaction r
     WHERE r.id = $1 AND r.customer_id = $2`,
});
