import { defineQueries } from '#platform/database/named-queries';

/** What an erasure (GDPR Art. 17) deletes of `campaign_audience` (the campaigns module's table): the places in campaigns' audiences of customer $1; how many. */
export const CAMPAIGN_AUDIENCE_ERASURE_QUERIES = defineQueries('campaigns', {
  eraseOfCustomer: `
    WITH gone AS (DELETE FROM campaign_audience WHERE customer_id = $1 RETURNING 1) SELECT count(*)::int AS n FROM gone`,
});
