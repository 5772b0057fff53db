import { type DataSource, type EntityManager, QueryFailedError } from 'typeorm';
import { ConflictError } from '../errors/app-errors.js';

/** Unique constraints whose violation is the caller's mistake, and the input field each names. */
export type UniqueFields = Record<string, { field: string; message: string }>;

/**
 * One transaction per write (or the caller's, when `outer` is given); a violated unique constraint
 * listed in `unique` becomes a CONFLICT naming the field instead of an internal error.
 */
export async function inTransaction<T>(
  dataSource: DataSource,
  work: (manager: EntityManager) => Promise<T>,
  unique: UniqueFields = {},
  outer?: EntityManager,
): Promise<T> {
  try {
    return await (outer ? work(outer) : dataSource.transaction(work));
  } catch (error) {
    const driverError =
      error instanceof QueryFailedError
        ? (error.driverError as { code?: string; constraint?: string })
        : undefined;
    const known = driverError?.code === '23505' ? unique[driverError.constraint ?? ''] : undefined;
    if (known) throw new ConflictError(known.message, { field: known.field });
    throw error;
  }
}
