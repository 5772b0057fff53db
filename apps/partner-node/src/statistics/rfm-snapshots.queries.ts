import { defineQueries } from '#platform/database/named-queries';

/** One key of the RFM snapshots: `$1` window in days, `$2` currency or null (all); `t` the table's alias. */
const keyIs = (t: string): string =>
  `${t}.window_days = $1 AND coalesce(${t}.currency, '') = coalesce($2::text, '')`;

/**
 * Statements on `rfm_distribution_key` and `rfm_distribution_snapshot` (migration 1700000009600),
 * the statistics module's stored RFM distributions.
 */
export const RFM_SNAPSHOT_QUERIES = defineQueries('statistics', {
  /** The page's read: the key (if ever asked for), when it was last read, and its latest snapshot. */
  latest: `
    SELECT k.last_read_at, s.as_of, s.result, s.computed_at, s.duration_ms
      FROM rfm_distribution_key k
      LEFT JOIN LATERAL (
             SELECT s.as_of, s.result, s.computed_at, s.duration_ms
               FROM rfm_distribution_snapshot s
              WHERE ${keyIs('s')}
              ORDER BY s.as_of DESC LIMIT 1) s ON true
     WHERE ${keyIs('k')}`,
  /** Records that the key was asked for (now): the scheduled refresh keeps it fresh. */
  touchKey: `
    INSERT INTO rfm_distribution_key AS k (window_days, currency) VALUES ($1, $2)
    ON CONFLICT (window_days, (coalesce(currency, ''))) DO UPDATE SET last_read_at = now()`,
  /** One refresh of a key at a time, across processes (held until the transaction ends). */
  lockKey: `SELECT pg_advisory_xact_lock(hashtext('rfm_distribution:' || $1 || ':' || coalesce($2::text, '')))`,
  /** When the key's latest snapshot was computed (in the refresh's transaction, after the lock). */
  latestComputedAt: `
    SELECT s.id, s.computed_at FROM rfm_distribution_snapshot s
     WHERE ${keyIs('s')} ORDER BY s.as_of DESC LIMIT 1`,
  /** One snapshot by id. */
  byId: `SELECT as_of, result, computed_at, duration_ms FROM rfm_distribution_snapshot WHERE id = $1`,
  /** A snapshot: `$3` as of, `$4` the result (JSON), `$5` duration (ms). */
  insert: `
    INSERT INTO rfm_distribution_snapshot (window_days, currency, as_of, result, duration_ms)
    VALUES ($1, $2, $3, $4, $5)
    RETURNING as_of, result, computed_at, duration_ms`,
  /** Keeps the key's latest `$3` snapshots (a short history). */
  prune: `
    DELETE FROM rfm_distribution_snapshot s
     WHERE ${keyIs('s')}
       AND s.id NOT IN (SELECT p.id FROM rfm_distribution_snapshot p WHERE ${keyIs('p')}
                         ORDER BY p.as_of DESC LIMIT $3)`,
  /**
   * The keys read in the last `$1` days whose latest snapshot is older than `$2` seconds (or that
   * have none): what the schedule refreshes.
   */
  dueKeys: `
    SELECT k.window_days, k.currency
      FROM rfm_distribution_key k
     WHERE k.last_read_at > now() - make_interval(days => $1)
       AND NOT EXISTS (SELECT 1 FROM rfm_distribution_snapshot s
                        WHERE s.window_days = k.window_days AND coalesce(s.currency, '') = coalesce(k.currency, '')
                          AND s.as_of > now() - make_interval(secs => $2))
     ORDER BY k.window_days, k.currency`,
});

export type RfmSnapshotQuery = keyof typeof RFM_SNAPSHOT_QUERIES.statements;
