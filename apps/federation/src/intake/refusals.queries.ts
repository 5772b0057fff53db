import { defineQueries } from '#platform/database/named-queries';

/** Statements on `refusal` (the intake module's table): what the operator reads of refused messages. */
export const REFUSAL_QUERIES = defineQueries('intake', {
  /** One refusal: kind $1, reason $2, issuer $3, kid $4, jti $5, route $6, message $7 (never the payload). */
  recordRefusal: `INSERT INTO refusal (kind, reason, issuer, kid, jti, route, message) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
  /**
   * An anonymous refusal (anyone can send these by the thousand): one row per kind $1, reason $2,
   * route $3 and minute, counted; the last message $4 kept.
   */
  recordAnonymousRefusal: `
    INSERT INTO refusal (kind, reason, issuer, kid, jti, route, message, refused_at, window_start)
    VALUES ($1, $2, NULL, NULL, NULL, $3, $4, now(), date_trunc('minute', now()))
    ON CONFLICT (kind, reason, route, window_start) WHERE window_start IS NOT NULL
    DO UPDATE SET count = refusal.count + 1, refused_at = now()`,
});
