import { defineQueries } from '#platform/database/named-queries';

/** What the records of processing (GDPR Art. 30) read of `sharing_agreement` (the agreements module's table). */
export const AGREEMENT_RECORD_QUERIES = defineQueries('agreements', {
  /** Every agreement this node holds, whatever its state, by partner. */
  forRecordsOfProcessing: `
    SELECT agreement_id, partner_id, direction, party_a, state, purposes, categories, retention_days, valid_from, valid_until
      FROM sharing_agreement ORDER BY partner_id, agreement_id`,
});
