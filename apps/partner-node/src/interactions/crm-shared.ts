import { ArgsType } from '@nestjs/graphql';
import { IsInt, IsOptional, IsString, MaxLength } from 'class-validator';
import type { EntityManager } from 'typeorm';
import { ValidationError } from '#platform/errors/app-errors';
import { PageArgs } from '#platform/graphql/connection';
import { byKey, loader, type LoaderContext } from '#platform/graphql/loaders';
import type { Customer } from '../customers/customer.entity.js';
import type { CustomersService } from '../customers/customers.service.js';
import type { User } from '../users/user.entity.js';
import type { UsersService } from '../users/users.service.js';

/**
 * Small helpers shared by the operational CRM features (interactions, care cases, orders, leads,
 * timeline). Kept here, not in libs/, because they know this node's tables.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: string): boolean => UUID.test(value);

/** PageArgs with validation rules: the edge pipe refuses properties without decorators. */
@ArgsType()
export class CheckedPageArgs extends PageArgs {
  @IsOptional()
  @IsInt()
  override first?: number;

  @IsOptional()
  @IsString()
  @MaxLength(1000)
  override after?: string;
}

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

/** Refuses times too far in the future for something that "occurred" (clock skew of 5 minutes allowed). */
export function assertNotFuture(field: string, value: Date | undefined | null): void {
  if (value && value.getTime() > Date.now() + 5 * 60_000) {
    throw new ValidationError(field, 'must not be in the future');
  }
}

/** Per-request DataLoader of users by id (null when the user is gone). */
export async function loadUser(
  ctx: LoaderContext,
  users: UsersService,
  id: string | null,
): Promise<User | null> {
  if (!id) return null;
  const found = await loader<string, User | undefined>(ctx, 'users.byId', async (ids) =>
    byKey(ids, await users.findByIds(ids), (u) => u.id),
  ).load(id);
  return found ?? null;
}

/**
 * Per-request DataLoader of customers by id. History (interactions, cases, orders, leads) keeps
 * pointing to a customer after a soft delete, so deleted customers are loaded too.
 */
export async function loadCustomer(
  ctx: LoaderContext,
  customers: CustomersService,
  id: string | null,
): Promise<Customer | null> {
  if (!id) return null;
  const found = await loader<string, Customer | undefined>(ctx, 'crm.customerByIdWithDeleted', async (ids) =>
    byKey(ids, await customers.findByIds(ids, { withDeleted: true }), (c) => c.id),
  ).load(id);
  return found ?? null;
}
