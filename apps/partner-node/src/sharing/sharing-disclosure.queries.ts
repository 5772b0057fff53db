import { defineQueries } from '#platform/database/named-queries';

/**
 * What the sharing module tells the compliance officer about one customer, on its tables
 * (`share_delivery`, `share_purge`, `shared_access`, `shared_record`, `shared_subject`): the
 * envelopes that carried their records and the purges (GDPR Art. 15), who here saw partners' data
 * about them, the copies of partners' records held about them, and what an erasure (Art. 17) deletes.
 */
export const SHARING_DISCLOSURE_QUERIES = defineQueries('sharing', {
  /**
   * The delivered envelopes whose refs name consent $2 (GIN index on the refs: $1 is
   * `[{"consentId": $2}]`), one row each with the categories and count of its records under that
   * consent, and the purge of consent $3 (the same id, as uuid) at the envelope's recipient.
   */
  deliveriesOfConsent: `
    SELECT d.id AS envelope_id, d.recipient, d.agreement_id, $2::text AS consent_id, d.channel,
           COALESCE(d.sealed_at, d.delivered_at, d.created_at) AS sent_at,
           array_agg(DISTINCT e->>'category' ORDER BY e->>'category') AS categories, count(*)::int AS records,
           p.status AS purge_status, p.requested_at AS purge_requested_at, p.confirmed_at AS purge_confirmed_at
      FROM share_delivery d
      CROSS JOIN LATERAL jsonb_array_elements(d.records) e
      LEFT JOIN share_purge p ON p.consent_id = $3::uuid AND p.recipient = d.recipient
     WHERE d.records @> $1::jsonb AND d.status = 'delivered' AND e->>'consentId' = $2::text
     GROUP BY d.id, p.id`,
  /** The purges of the consents $1, per recipient. */
  purgesOf: `
    SELECT p.consent_id::text AS consent_id, p.recipient, p.status, p.records_purged, p.receipt_jws,
           p.confirmed_at, p.last_error
      FROM share_purge p WHERE p.consent_id = ANY ($1::uuid[])`,
  /** Every access of an agent here to partners' data about customer $1, oldest first. */
  accessesOfCustomer: `
    SELECT a.id, a.user_id, a.accessed_at, a.origin_partner_ids, a.origin_record_ids, a.consent_ids
      FROM shared_access a WHERE a.customer_id = $1 ORDER BY a.accessed_at, a.id`,
  /** How many copies of partners' records about customer $1 are held here. */
  receivedCountOfCustomer: `SELECT count(*)::int AS n FROM shared_record WHERE customer_id = $1`,
  /** The copies of partners' records about customer $1 (column names are the access report's keys). */
  receivedOfCustomer: `
    SELECT origin_partner_id AS "originPartnerId", origin_record_id AS "originRecordId", kind, category,
           consent_id AS "consentId", agreement_id AS "agreementId", title, summary, data,
           occurred_at AS "occurredAt", received_at AS "receivedAt", retention_ends_at AS "retentionEndsAt"
      FROM shared_record WHERE customer_id = $1 ORDER BY occurred_at, id`,
  /** Erasure: deletes the copies of partners' records about customer $1; how many. */
  eraseReceivedOfCustomer: `
    WITH gone AS (DELETE FROM shared_record WHERE customer_id = $1 RETURNING 1) SELECT count(*)::int AS n FROM gone`,
  /** Erasure: deletes the subject tokens of customer $1; how many. */
  eraseSubjectTokensOfCustomer: `
    WITH gone AS (DELETE FROM shared_subject WHERE customer_id = $1 RETURNING 1) SELECT count(*)::int AS n FROM gone`,
});
