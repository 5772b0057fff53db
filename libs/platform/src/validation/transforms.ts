import { ValidationError } from '../errors/app-errors.js';

/** Input transforms and checks shared by the DTOs and services of the operational CRM. */

/** Trims strings (leaves other values to the validators). */
export const trim = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim() : value;

/** Trims strings and turns an empty string into null (for optional texts that may be cleared). */
export const trimToNull = ({ value }: { value: unknown }): unknown => {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
};

/** Present and not null: for fields of an update that may be left out but not cleared. */
export const notNull = (_: object, value: unknown): boolean => value !== undefined && value !== null;

/** Refuses times too far in the future for something that "occurred" (clock skew of 5 minutes allowed). */
export function assertNotFuture(field: string, value: Date | undefined | null): void {
  if (value && value.getTime() > Date.now() + 5 * 60_000) {
    throw new ValidationError(field, 'must not be in the future');
  }
}
