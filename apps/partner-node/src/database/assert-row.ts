import type { EntityManager } from 'typeorm';
import { ValidationError } from '#platform/errors/app-errors';
import { isUuid } from '#platform/validation/ids';

// Existence checks inside the caller's transaction, for the ids a CRM record points to (its
// customer, its agent, its care case): they read the owners' tables directly, by primary key, so
// that the checks and the write see the same snapshot. All the probes of a call go in one statement,
// one `= ANY` lookup per table however many records and ids they come from (a batch of a thousand
// interactions is checked in one round trip): each round trip costs more than its probes (most on
// the embedded database).

export type ProbedTable = 'app_user' | 'customer' | 'care_case';

/** One id to check: `field` is named in the error when no row of `table` has it. */
export interface RowProbe {
  table: ProbedTable;
  id: string;
  field: string;
}

const WHAT: Record<ProbedTable, string> = { app_user: 'user', customer: 'customer', care_case: 'care case' };

// What each table's rows answer when they are there: a care case its customer (callers check that
// a record and its case belong to the same customer), the others an empty mark; and which rows
// count (not soft-deleted customers).
const ANSWER: Record<ProbedTable, string> = {
  app_user: "''",
  customer: "''",
  care_case: 'customer_id::text',
};
const LIVE: Record<ProbedTable, string> = {
  app_user: '',
  customer: ' AND deleted_at IS NULL',
  care_case: '',
};

/** The rows of `table` among the ids of parameter `p`, each with its answer. */
const lookup = (table: ProbedTable, p: string): string =>
  `SELECT '${table}' AS t, id::text AS id, ${ANSWER[table]} AS answer FROM ${table} WHERE id = ANY(${p}::uuid[])${LIVE[table]}`;

/**
 * Each probe's answer in one statement, or null when its id is no row of its table (or no UUID): a
 * care case's customer id, '' for the others. For callers that check more than existence per record
 * (an interaction's case must be of its customer) before they name the first wrong field.
 */
export async function probeRows(
  manager: EntityManager,
  probes: readonly RowProbe[],
): Promise<(string | null)[]> {
  const idsOf = new Map<ProbedTable, Set<string>>();
  for (const probe of probes) {
    if (!isUuid(probe.id)) continue;
    const ids = idsOf.get(probe.table) ?? new Set<string>();
    ids.add(probe.id.toLowerCase());
    idsOf.set(probe.table, ids);
  }
  const found = new Map<string, string>();
  if (idsOf.size > 0) {
    const tables = [...idsOf.keys()];
    const rows = await manager.query<{ t: ProbedTable; id: string; answer: string }[]>(
      tables.map((table, i) => lookup(table, `$${i + 1}`)).join(' UNION ALL '),
      tables.map((table) => [...idsOf.get(table)!]),
    );
    for (const row of rows) found.set(`${row.t}:${row.id}`, row.answer);
  }
  return probes.map((probe) =>
    isUuid(probe.id) ? (found.get(`${probe.table}:${probe.id.toLowerCase()}`) ?? null) : null,
  );
}

/** The error for a probe whose id is no row of its table. */
export function missingRow(probe: RowProbe): ValidationError {
  return new ValidationError(probe.field, `no ${WHAT[probe.table]} has the id ${probe.id}`);
}

/**
 * Throws a ValidationError naming the field of the first probe (in the order given) whose id is no
 * row of its table (live rows only where soft-deleted); otherwise returns each probe's answer: a care
 * case's customer id, '' for the others.
 */
export async function assertRows(manager: EntityManager, probes: readonly RowProbe[]): Promise<string[]> {
  const answers = await probeRows(manager, probes);
  return probes.map((probe, i) => {
    const answer = answers[i];
    if (answer === null || answer === undefined) throw missingRow(probe);
    return answer;
  });
}

/** Throws a ValidationError naming `field` unless `id` is a row of `table` (live rows only where soft-deleted). */
export async function assertRow(
  manager: EntityManager,
  table: ProbedTable,
  id: string,
  field: string,
): Promise<void> {
  await assertRows(manager, [{ table, id, field }]);
}
