import { defineQueries } from '#platform/database/named-queries';

/** Statements on `relay_log` (the relay module's table): what was carried, metadata only. */
export const RELAY_LOG_QUERIES = defineQueries('relay', {
  /**
   * One relayed message: kind $1, request $2, from $3, to $4, message id $5, status $6, reason $7,
   * duration $8 (ms).
   */
  logRelayed: `
    INSERT INTO relay_log (kind, request_id, from_partner, to_partner, message_id, status, reason, duration_ms)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
  /** Per ordered pair of members, from $1 (inclusive) to $2 (exclusive): counts by kind, those not carried (status not in $3), the latest. */
  trafficPerPair: `
    SELECT from_partner, to_partner,
           count(*) FILTER (WHERE kind = 'history')::int AS history,
           count(*) FILTER (WHERE kind = 'envelope')::int AS envelope,
           count(*) FILTER (WHERE kind = 'withdrawal')::int AS withdrawal,
           count(*) FILTER (WHERE status <> ALL($3))::int AS failed,
           max(relayed_at) AS last_at
      FROM relay_log
     WHERE relayed_at >= $1 AND relayed_at < $2
     GROUP BY from_partner, to_partner
     ORDER BY from_partner, to_partner`,
});
