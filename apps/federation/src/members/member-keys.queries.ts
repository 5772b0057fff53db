import { defineQueries } from '#platform/database/named-queries';

/**
 * A member in good standing: active and within its membership term. `m` is the alias (or table
 * name) of `member` in the statement that uses it.
 */
export const memberInGoodStanding = (m: string): string =>
  `${m}.status = 'active' AND ${m}.valid_until > now()`;

/**
 * Partner `partner` (an SQL expression) is a member in good standing: the condition another module's
 * statement embeds when it must stay one statement (the consent registry's live-consent reads).
 */
export const isMemberInGoodStanding = (partner: string): string =>
  `EXISTS (SELECT 1 FROM member gm WHERE gm.partner_id = ${partner} AND ${memberInGoodStanding('gm')})`;

/**
 * The reads other modules make of `member` and `member_key` (the members module's tables): the
 * key that verifies a member's signature, the member a message is relayed to, every key ever
 * registered (the ledger's export), members in good standing (the consent registry).
 */
export const MEMBER_KEY_QUERIES = defineQueries('members', {
  /**
   * The key `kid` ($1) among the keys of member $2 (never another member's), with what the
   * directory rule needs: its retirement, its revocation, the member's status and term (epoch seconds).
   */
  signingKey: `
    SELECT k.jwk, extract(epoch FROM k.retires_at)::bigint AS retires_at, k.revoked_at IS NOT NULL AS revoked,
           m.status, extract(epoch FROM m.valid_until)::bigint AS valid_until
      FROM member_key k JOIN member m ON m.partner_id = k.partner_id
     WHERE k.kid = $1 AND k.partner_id = $2`,
  /** A member's endpoint, status and term, by partner id ($1). */
  endpoint: `SELECT partner_id, endpoint, status, valid_until FROM member WHERE partner_id = $1`,
  /** Every member key ever registered (revoked and retired ones included), in a stable order. */
  everyKeyJwk: `SELECT jwk FROM member_key ORDER BY partner_id, added_at, kid`,
});
