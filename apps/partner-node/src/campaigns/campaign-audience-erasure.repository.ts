import { Injectable } from '@nestjs/common';
import { runCount, type Queryable } from '#platform/database/named-queries';
import { CAMPAIGN_AUDIENCE_ERASURE_QUERIES } from './campaign-audience-erasure.queries.js';

/** The campaigns module's part of an erasure (GDPR Art. 17): campaign-audience-erasure.queries.ts. */
@Injectable()
export class CampaignAudienceErasureRepository {
  /** Deletes the places in campaigns' audiences of the customer, in the caller's transaction; how many. */
  async eraseOfCustomer(runner: Queryable, customerId: string): Promise<number> {
    return runCount(runner, CAMPAIGN_AUDIENCE_ERASURE_QUERIES, 'eraseOfCustomer', [customerId]);
  }
}
