import type { EntityManager } from 'typeorm';
import { ValidationError } from '#platform/errors/app-errors';
import { isUuid } from '#platform/validation/ids';

// Existence checks inside the caller's transaction, for the ids a CRM record points to (its
// customer, its agent, its care case): they read the owners' tables directly, one primary-key probe
// each, so that the checks and the write see the same snapshot. A record's probes go in one
// statement: each round trip costs more than its probe (most on the embedded database).

export type ProbedTable = 'app_user' | 'customer' | 'care_case';

/** One id to check: `field` is named in the error when no row of `table` has it. */
export interface RowProbe {
  table: ProbedTable;
  id: string;
  field: string;
}

const WHAT: Record<ProbedTable, string> = { app_user: 'user', customer: 'customer', care_case: 'care case' };

// What each probe answers when the row is there: a care case's customer (callers check that a
// record and its case belong to the same customer), an empty mark otherwise; NULL when it is not.
const PROBE: Record<ProbedTable, (param: string) => string> = {
  app_user: (p) => `SELECT '' FROM app_user WHERE id = ${p}`,
  customer: (p) => `SELECT '' FROM customer WHERE id = ${p} AND deleted_at IS NULL`,
  care_case: (p) => `SELECT customer_id::text FROM care_case WHERE id = ${p}`,
};

/**
 * Throws a ValidationError naming the field of the first probe (in the order given) whose id is no
 * row of its table (live rows only where soft-deleted); otherwise returns each probe's answer: a care
 * case's customer id, '' for the others.
 */
export async function assertRows(manager: EntityManager, probes: readonly RowProbe[]): Promise<string[]> {
  const asked = probes.filter((probe) => isUuid(probe.id));
  let answers: (string | null)[] = [];
  if (asked.length > 0) {
    const columns = asked.map((probe, i) => `(${PROBE[probe.table](`$${i + 1}`)}) AS p${i}`);
    const [row] = await manager.query<Record<string, string | null>[]>(
      `SELECT ${columns.join(', ')}`,
      asked.map((probe) => probe.id),
    );
    answers = asked.map((_, i) => row?.[`p${i}`] ?? null);
  }
  let next = 0;
  return probes.map((probe) => {
    const answer = isUuid(probe.id) ? answers[next++] : null;
    if (answer === null || answer === undefined) {
      throw new ValidationError(probe.field, `no ${WHAT[probe.table]} has the id ${probe.id}`);
    }
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
