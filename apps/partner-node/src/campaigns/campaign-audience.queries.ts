import { defineQueries } from '#platform/database/named-queries';
import { customerIsLive } from '../customers/customer-subject.queries.js';
import { membersOfSegment } from '../segments/segment-references.queries.js';
import { ORDER_SALES_FACTS } from '../orders/order-facts.queries.js';

/**
 * The campaigns' statements that read other modules' rows in bulk. The audience snapshot copies a
 * whole segment in one statement (a segment may have hundreds of thousands of members: the ids do
 * not travel to the node and back); what a member is and what a live customer is are their owners'
 * fragments (`membersOfSegment`, `customerIsLive`).
 */
export const CAMPAIGN_AUDIENCE_QUERIES = defineQueries('campaigns', {
  /** Campaign $1's audience: the live members of segment $2 now. */
  snapshotAudience: `
    INSERT INTO campaign_audience (campaign_id, customer_id)
    SELECT $1, sm.customer_id FROM (${membersOfSegment('$2')}) sm WHERE ${customerIsLive('sm.customer_id')}`,
  /**
   * The counted orders ($2: statuses) of the campaigns' ($1) audiences within each campaign's
   * period, per campaign and currency. One statement with a clear owner (campaigns: its results),
   * joining the orders module's sales facts (ORDER_SALES_FACTS) on purpose: an audience is too large
   * to send its ids to the orders module and back.
   */
  revenue: `
    SELECT k.id AS campaign_id, o.currency, count(*)::int AS orders, sum(o.total)::text AS amount
      FROM campaign k
      JOIN campaign_audience a ON a.campaign_id = k.id
      JOIN ${ORDER_SALES_FACTS} o ON o.customer_id = a.customer_id
     WHERE k.id = ANY($1::uuid[]) AND o.status = ANY($2)
       AND o.ordered_at >= k.starts_at AND o.ordered_at < k.ends_at
     GROUP BY k.id, o.currency ORDER BY o.currency`,
});
