import { defineQueries } from '#platform/database/named-queries';

/**
 * The withdrawals of a consent's registrations, one per recipient, as the sharing module relays
 * them to ask for purges. Run by RegistrationWithdrawalsRepository.
 */
export const REGISTRATION_WITHDRAWAL_QUERIES = defineQueries('consents', {
  /** The registrations of the consent $1 at the recipients $2, with their withdrawals. */
  withdrawalsAt: `
    SELECT recipient, registration_id, withdrawal_jws, withdrawal_status
      FROM consent_registration
     WHERE consent_id = $1 AND recipient = ANY ($2::text[])`,
});
