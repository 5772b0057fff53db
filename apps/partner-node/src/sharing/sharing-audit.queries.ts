/**
 * The sharing module's facts for the compliance officer's violations report (issue 18), each a
 * relation the report's set-based statements join (plain subqueries: the planner flattens them, so
 * the plans are the ones over the tables).
 */

/**
 * Every record ref of every delivered envelope (`share_delivery.records`), with the time it was
 * checked and sealed: envelope_id, recipient, agreement_id, at, consent_id, category, kind, id.
 * Ids stay text, as the refs carry them (a uuid cast would need a guard per row, which costs more).
 */
export const SENT_RECORD_REFS = `(
  SELECT d.id::text AS envelope_id, d.recipient, d.agreement_id, COALESCE(d.sealed_at, d.delivered_at, d.created_at) AS at,
         e->>'consentId' AS consent_id, e->>'category' AS category, e->>'kind' AS kind, e->>'id' AS id
    FROM share_delivery d CROSS JOIN LATERAL jsonb_array_elements(d.records) e
   WHERE d.status = 'delivered')`;

/** The copies of partners' records held here (`shared_record`). */
export const HELD_COPIES = `(
  SELECT envelope_id, consent_id, agreement_id, origin_partner_id, origin_record_id, category, received_at,
         retention_ends_at, signature_status
    FROM shared_record)`;

/** The partners' withdrawals received here (`shared_consent_withdrawn`). */
export const WITHDRAWALS_RECEIVED = `(SELECT origin_partner_id, consent_id, withdrawn_at FROM shared_consent_withdrawn)`;

/** Who here read partners' data, when, under which consents (`shared_access`). */
export const SHARED_ACCESSES = `(SELECT id, accessed_at, consent_ids, origin_partner_ids FROM shared_access)`;

/** The purges this node asked of its recipients (`share_purge`). */
export const PURGES_REQUESTED = `(
  SELECT consent_id, recipient, status, requested_at, last_error FROM share_purge)`;
