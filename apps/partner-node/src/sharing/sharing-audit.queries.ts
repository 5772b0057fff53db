/**
 * The sharing module's facts for the compliance officer's violations report (issue 18), each a
 * relation the report's set-based statements join (plain subqueries: the planner flattens them, so
 * the plans are the ones over the tables).
 */

/**
 * Every record ref of every delivered envelope (`share_sent_ref`, kept from `share_delivery.records`
 * by triggers in the transaction that delivers, see its migration), in groups that every check
 * sees alike: envelope_id, recipient, agreement_id, at (the time it was checked and sealed),
 * consent_id (uuid), category, kind, owner_customer_id (the customer the records belong to: read
 * when sent, then following a record that changes customer; NULL for a record that did not exist),
 * and ids (uuid[], the records' ids).
 */
export const SENT_RECORD_REFS = `(
  SELECT envelope_id, recipient, agreement_id, sent_at AS at, consent_id, category, kind, owner_customer_id, record_ids AS ids
    FROM share_sent_ref)`;

/**
 * The copies of partners' records held here (`shared_record`), with `retention_span` (how long the
 * copy is kept: retention end − reception, NULL if either is infinite), indexed with the agreement
 * in `shared_record_audit_retention_idx` (migration 1700000010200).
 */
export const HELD_COPIES = `(
  SELECT id, envelope_id, consent_id, agreement_id, origin_partner_id, origin_record_id, category, received_at,
         retention_ends_at, signature_status,
         shared_record_retention_span(retention_ends_at, received_at) AS retention_span
    FROM shared_record)`;

/**
 * The kinds of copies held here: each distinct (agreement_id, origin_partner_id, signature_status,
 * category), read from `shared_record_audit_kind_idx` by one index descent per kind (a loose index
 * scan: there are a few kinds, however many copies), so that a check of those four columns is
 * made once per kind. The copies of a kind, in the order of `received_at`, are in the same index.
 */
export const HELD_COPY_KINDS = `(
  WITH RECURSIVE kind AS (
    (SELECT agreement_id, origin_partner_id, signature_status, category FROM shared_record
      ORDER BY agreement_id, origin_partner_id, signature_status, category LIMIT 1)
    UNION ALL
    SELECT n.* FROM kind k CROSS JOIN LATERAL (
      SELECT r.agreement_id, r.origin_partner_id, r.signature_status, r.category FROM shared_record r
       WHERE (r.agreement_id, r.origin_partner_id, r.signature_status, r.category)
             > (k.agreement_id, k.origin_partner_id, k.signature_status, k.category)
       ORDER BY r.agreement_id, r.origin_partner_id, r.signature_status, r.category LIMIT 1) n)
  SELECT * FROM kind)`;

/** The partners' withdrawals received here (`shared_consent_withdrawn`). */
export const WITHDRAWALS_RECEIVED = `(SELECT origin_partner_id, consent_id, withdrawn_at FROM shared_consent_withdrawn)`;

/** Who here read partners' data, when, under which consents (`shared_access`). */
export const SHARED_ACCESSES = `(SELECT id, accessed_at, consent_ids, origin_partner_ids FROM shared_access)`;

/** The purges this node asked of its recipients (`share_purge`). */
export const PURGES_REQUESTED = `(
  SELECT consent_id, recipient, status, requested_at, last_error FROM share_purge)`;
