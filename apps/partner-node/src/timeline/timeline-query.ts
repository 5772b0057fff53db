import { decodeCursor, encodeCursor } from '#platform/graphql/connection';
import { ValidationError } from '#platform/errors/app-errors';
import { isUuid } from '#platform/validation/ids';
import { TimelineKind } from './timeline.types.js';

/**
 * The SQL of one page of a customer's timeline: a UNION ALL over interactions, care cases and
 * orders, newest first, ordered by (occurred_at, kind rank, id) with keyset pagination.
 *
 * Each branch filters by the customer, applies the cursor in an index-friendly form and stops at
 * the page size (`LIMIT`), reading its (customer_id, time, id) index backwards; the outer query
 * merges at most 3 × (page size + 1) rows. Nothing else is loaded, whatever the history's size.
 * Shared partner history can join as one more branch with its own kind rank.
 */
interface Branch {
  kind: TimelineKind;
  /** Breaks ties between kinds at the same instant (constant per branch, so the cursor stays index-friendly). */
  rank: number;
  table: string;
  time: string;
}

export const BRANCHES: readonly Branch[] = [
  { kind: TimelineKind.INTERACTION, rank: 1, table: 'interaction', time: 'occurred_at' },
  { kind: TimelineKind.CARE_CASE, rank: 2, table: 'care_case', time: 'opened_at' },
  { kind: TimelineKind.ORDER, rank: 3, table: 'customer_order', time: 'ordered_at' },
];

/**
 * Partners' shared records (sharing module), only with `includeShared`: kind from the row, rank 4,
 * copies past their retention left out.
 */
export const SHARED_BRANCH = { rank: 4, table: 'shared_record', time: 'occurred_at' } as const;

export interface TimelineCursor {
  at: string;
  rank: number;
  id: string;
}

export function timelineCursor(at: Date, kind: TimelineKind, id: string, shared = false): string {
  const rank = shared ? SHARED_BRANCH.rank : BRANCHES.find((b) => b.kind === kind)!.rank;
  return encodeCursor([at.toISOString(), rank, id]);
}

export function decodeTimelineCursor(after: string): TimelineCursor {
  const [at, rank, id] = decodeCursor(after, 3);
  if (
    typeof at !== 'string' ||
    Number.isNaN(Date.parse(at)) ||
    !(BRANCHES.some((b) => b.rank === rank) || rank === SHARED_BRANCH.rank) ||
    typeof id !== 'string' ||
    !isUuid(id)
  ) {
    throw new ValidationError('after', 'is not a cursor returned by this list');
  }
  return { at, rank: rank as number, id };
}

/**
 * Builds the statement. Parameters: $1 customer id, $2 limit (page size + 1), then $3 time and
 * $4 id of the cursor when there is one.
 */
export function timelineStatement(
  customerId: string,
  limit: number,
  kinds: readonly TimelineKind[] | undefined,
  cursor: TimelineCursor | undefined,
  includeShared = false,
): { sql: string; params: unknown[] } {
  const params: unknown[] = [customerId, limit];
  if (cursor) params.push(cursor.at, cursor.id);
  const branches = BRANCHES.filter((b) => !kinds?.length || kinds.includes(b.kind)).map((b) => {
    let keyset = '';
    if (cursor) {
      // Rows after (t, k, id) in descending (time, rank, id) order.
      if (b.rank < cursor.rank) keyset = `AND ${b.time} <= $3::timestamptz`;
      else if (b.rank > cursor.rank) keyset = `AND ${b.time} < $3::timestamptz`;
      else keyset = `AND (${b.time}, id) < ($3::timestamptz, $4::uuid)`;
    }
    return `(SELECT ${b.rank} AS kind_rank, id, ${b.time} AS occurred_at FROM ${b.table}
      WHERE customer_id = $1 ${keyset}
      ORDER BY ${b.time} DESC, id DESC LIMIT $2)`;
  });
  if (includeShared) {
    const b = SHARED_BRANCH;
    let keyset = '';
    if (cursor)
      keyset =
        b.rank > cursor.rank
          ? `AND ${b.time} < $3::timestamptz`
          : `AND (${b.time}, id) < ($3::timestamptz, $4::uuid)`;
    params.push(kinds?.length ? kinds : null);
    const kindsParam = `$${params.length}::text[]`;
    branches.push(`(SELECT ${b.rank} AS kind_rank, id, ${b.time} AS occurred_at FROM ${b.table}
      WHERE customer_id = $1 AND retention_ends_at > now() AND (${kindsParam} IS NULL OR kind = ANY (${kindsParam})) ${keyset}
      ORDER BY ${b.time} DESC, id DESC LIMIT $2)`);
  }
  const sql = `SELECT kind_rank, id, occurred_at FROM (${branches.join(' UNION ALL ')}) AS t
    ORDER BY occurred_at DESC, kind_rank DESC, id DESC LIMIT $2`;
  return { sql, params };
}

export function kindOfRank(rank: number): TimelineKind {
  return BRANCHES.find((b) => b.rank === rank)!.kind;
}
