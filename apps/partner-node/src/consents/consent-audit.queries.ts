/**
 * The consents module's facts for the compliance officer's violations report (issue 18): the columns
 * of `consent` its checks read, as a relation the report's one set-based statement joins (a plain
 * subquery: the planner flattens it into the join, so the plan is the one over the table).
 */
export const CONSENT_AUDIT_FACTS = `(
  SELECT id, customer_id, withdrawn_at, registered_at, valid_from, valid_until, recipients, agreement_ids,
         purposes, categories, withdrawal_registration_status
    FROM consent)`;
