import { byKey, loader, type LoaderContext } from '#platform/graphql/loaders';
import type { Customer } from './customer.entity.js';
import type { CustomersService } from './customers.service.js';

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
