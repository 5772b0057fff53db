import { defineQueries } from '#platform/database/named-queries';

/** Statements on `received_message` (the intake module's table): the ids of the messages taken, against replays. */
export const RECEIVED_MESSAGE_QUERIES = defineQueries('intake', {
  /**
   * Of the (issuer $1[i], jti $2[i]) pairs asked, those already received: one primary-key probe
   * per pair (the LIMIT keeps the planner from a hash join over the whole table, whose cost grows
   * with every message ever received).
   */
  receivedAmong: `
    SELECT q.issuer, q.jti FROM unnest($1::text[], $2::text[]) AS q(issuer, jti)
     CROSS JOIN LATERAL (SELECT 1 FROM received_message r WHERE r.issuer = q.issuer AND r.jti = q.jti LIMIT 1) AS r`,
  /** Whether message $2 of issuer $1 was received. */
  received: `SELECT 1 FROM received_message WHERE issuer = $1 AND jti = $2`,
  /** Stores one message's id (issuer $1, jti $2, kind $3, exp $4); no row back when it was already there. */
  remember: `
    INSERT INTO received_message (issuer, jti, kind, expires_at) VALUES ($1, $2, $3, to_timestamp($4))
    ON CONFLICT DO NOTHING RETURNING 1`,
  /**
   * Stores a batch's ids (issuers $1, jtis $2, kind $3, exps $4), each row with its own time;
   * returns those stored now (the others were there already).
   */
  rememberMany: `
    INSERT INTO received_message (issuer, jti, kind, expires_at, received_at)
    SELECT i, j, $3, to_timestamp(e), clock_timestamp() FROM unnest($1::text[], $2::text[], $4::bigint[]) AS u(i, j, e)
    ON CONFLICT DO NOTHING RETURNING issuer, jti`,
});
