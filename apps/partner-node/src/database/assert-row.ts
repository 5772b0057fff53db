import type { EntityManager } from 'typeorm';
import { ValidationError } from '#platform/errors/app-errors';
import { isUuid } from '#platform/validation/ids';

// An existence check inside the caller's transaction, for the ids a CRM record points to (its
// customer, its agent, its care case): it reads the owners' tables directly, one primary-key probe
// each, so that the check and the write see the same snapshot.
/** Throws a ValidationError naming `field` unless `id` is a row of `table` (live rows only where soft-deleted). */
export async function assertRow(
  manager: EntityManager,
  table: 'app_user' | 'customer' | 'care_case',
  id: string,
  field: string,
): Promise<void> {
  const what = { app_user: 'user', customer: 'customer', care_case: 'care case' }[table];
  const live = table === 'customer' ? ' AND deleted_at IS NULL' : '';
  const found = isUuid(id)
    ? await manager.query<unknown[]>(`SELECT 1 FROM ${table} WHERE id = $1${live}`, [id])
    : [];
  if (found.length === 0) throw new ValidationError(field, `no ${what} has the id ${id}`);
}
