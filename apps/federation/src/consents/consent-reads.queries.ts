import { defineQueries } from '#platform/database/named-queries';
import { consentInForce } from './consents.queries.js';

/**
 * The reads the relay makes of `consent` and `consent_subject` (the consents module's tables):
 * a registration before its withdrawal is relayed, the state of the registrations an envelope or
 * a status request names, and the care categories a customer's tokens are consented for.
 */
export const CONSENT_READ_QUERIES = defineQueries('consents', {
  /** Registration $1's controller, recipients and withdrawal time. */
  registration: `SELECT controller, recipients, withdrawn_at FROM consent WHERE consent_id = $1`,
  /** The registrations $1 (those registered): parties, agreement, terms, withdrawn, in force. */
  registrationStates: `
    SELECT consent_id, controller, recipients, agreement_id, purposes, categories,
           withdrawn_at IS NOT NULL AS withdrawn,
           (${consentInForce('consent')}) AS live
      FROM consent WHERE consent_id = ANY ($1::text[])`,
  /**
   * The categories that registrations in force consent to for customer care, from controller $2
   * to recipient $3 under agreement $4, for any of the subject tokens $1.
   */
  careCategories: `
    SELECT DISTINCT cat AS category
      FROM consent_subject s JOIN consent c ON c.consent_id = s.consent_id, unnest(c.categories) AS cat
     WHERE s.token = ANY ($1::text[]) AND c.controller = $2 AND $3 = ANY (c.recipients) AND c.agreement_id = $4
       AND 'customer-care' = ANY (c.purposes) AND ${consentInForce('c')}`,
});
