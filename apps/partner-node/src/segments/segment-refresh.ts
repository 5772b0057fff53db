import { parseRule, ruleToSql } from '#segments';

/** Runs one SQL statement with positional parameters; TypeORM's `manager.query` or pg's `client.query`. */
export type RunSql = (sql: string, params: unknown[]) => Promise<Record<string, unknown>[]>;

export interface RefreshOutcome {
  size: number;
  added: number;
  removed: number;
  asOf: Date;
}

/**
 * Recomputes the membership of a RULE segment, inside the caller's transaction, so that readers
 * see either the old membership or the new one, never a mix:
 *
 * 1. locks the segment row (concurrent refreshes of one segment run one after the other) and
 *    returns null when it is gone, static, or already refreshed at or after `requestedAt`
 *    (a refresh request is idempotent: whoever comes second finds the work done);
 * 2. evaluates the rule once (translated to parameterised SQL by libs/segments) as of now, and in
 *    the same statement deletes the members that left and inserts those that joined (the others
 *    keep their `added_at`);
 * 3. stores the size and refresh time, and appends a point to segment_size_history.
 */
export async function refreshSegmentInTransaction(
  run: RunSql,
  segmentId: string,
  requestedAt?: Date,
): Promise<RefreshOutcome | null> {
  const [segment] = await run(`SELECT kind, rule, refreshed_at FROM segment WHERE id = $1::uuid FOR UPDATE`, [
    segmentId,
  ]);
  if (!segment || segment.kind !== 'rule') return null;
  const refreshedAt = segment.refreshed_at as Date | null;
  if (requestedAt && refreshedAt && refreshedAt.getTime() >= requestedAt.getTime()) return null;

  // The clock is read after the lock, so a refresh that waited for another one is not shadowed by it.
  const [{ now }] = await run(`SELECT date_trunc('milliseconds', clock_timestamp()) AS now`, []);
  const asOf = now as Date;
  const rule = parseRule(segment.rule);
  return replaceMembership(run, segmentId, ruleToSql(rule, { asOf }), asOf);
}

/**
 * Makes the members of a segment exactly the `customer_id`s that `target` selects (the members
 * that stay keep their `added_at`), stores size and refresh time, and appends to the size
 * history; in the caller's transaction, with the segment row locked by the caller. Shared by rule
 * refreshes and merged segments (segment-merges).
 */
export async function replaceMembership(
  run: RunSql,
  segmentId: string,
  target: { sql: string; params: unknown[] },
  asOf: Date,
): Promise<RefreshOutcome> {
  const s = `$${target.params.length + 1}::uuid`;
  const at = `$${target.params.length + 2}::timestamptz`;
  const [counts] = await run(
    `WITH target AS MATERIALIZED (${target.sql}),
      removed AS (
        DELETE FROM segment_member m WHERE m.segment_id = ${s}
          AND NOT EXISTS (SELECT 1 FROM target t WHERE t.customer_id = m.customer_id)
        RETURNING 1),
      added AS (
        INSERT INTO segment_member (segment_id, customer_id, added_at)
        SELECT ${s}, t.customer_id, ${at} FROM target t
        WHERE NOT EXISTS (SELECT 1 FROM segment_member m WHERE m.segment_id = ${s} AND m.customer_id = t.customer_id)
        ON CONFLICT (segment_id, customer_id) DO NOTHING
        RETURNING 1)
    SELECT (SELECT count(*) FROM target)::int AS size,
           (SELECT count(*) FROM added)::int AS added,
           (SELECT count(*) FROM removed)::int AS removed`,
    [...target.params, segmentId, asOf],
  );
  const size = counts.size as number;
  await run(`UPDATE segment SET size = $2, refreshed_at = $3 WHERE id = $1::uuid`, [segmentId, size, asOf]);
  await run(`INSERT INTO segment_size_history (segment_id, size, at) VALUES ($1::uuid, $2, $3)`, [
    segmentId,
    size,
    asOf,
  ]);
  return { size, added: counts.added as number, removed: counts.removed as number, asOf };
}
