import { defineQueries } from '#platform/database/named-queries';

/**
 * What the consents module tells the compliance officer about `consent` (its table): a customer's
 * consents for the access report (GDPR Art. 15) and the erasure (Art. 17), the recipients of the
 * erased consents, and the counts per purpose of the records of processing (Art. 30).
 */
export const CONSENT_DISCLOSURE_QUERIES = defineQueries('consents', {
  /** The consents of customer $1, oldest first: id and whether it is still not withdrawn. */
  idsOfCustomer: `
    SELECT id::text AS id, withdrawn_at IS NULL AS live FROM consent WHERE customer_id = $1 ORDER BY created_at, id`,
  /** Every consent of customer $1 as the access report shows it (signed receipts included), oldest first. */
  ofCustomer: `
    SELECT id, purposes, categories, recipients, agreement_ids AS "agreementIds", given_at AS "givenAt",
           valid_from AS "validFrom", valid_until AS "validUntil", collection_method AS "collectionMethod",
           notice_version AS "noticeVersion", language, jurisdiction, registration_status AS "registrationStatus",
           withdrawn_at AS "withdrawnAt", withdrawal_reason AS "withdrawalReason", receipt_jws AS "receiptJws",
           withdrawal_jws AS "withdrawalJws"
      FROM consent WHERE customer_id = $1 ORDER BY created_at, id`,
  /**
   * One row per consent among $1 and recipient it names, in the consents' order; `not_needed` when
   * the federation never took the consent (refused) or its withdrawal had nothing to tell.
   */
  recipientsOf: `
    SELECT c.id::text AS consent_id, r.recipient,
           c.registration_status = 'refused' OR c.withdrawal_registration_status = 'not_needed' AS not_needed
      FROM consent c CROSS JOIN LATERAL unnest(c.recipients) AS r(recipient)
     WHERE c.id = ANY ($1::uuid[]) ORDER BY c.created_at, c.id, r.recipient`,
  /** Per purpose, how many consents are live, withdrawn, expired (GDPR Art. 30). */
  countsByPurpose: `
    SELECT p AS purpose,
           count(*) FILTER (WHERE withdrawn_at IS NULL AND valid_until > now())::int AS live,
           count(*) FILTER (WHERE withdrawn_at IS NOT NULL)::int AS withdrawn,
           count(*) FILTER (WHERE withdrawn_at IS NULL AND valid_until <= now())::int AS expired
      FROM consent, unnest(purposes) AS p GROUP BY p`,
});
