import { expect } from '@jest/globals';
import { CustomersService } from '../customers/customers.service.js';
import type { GqlResponse, TestNode } from '../testing/test-node.js';

/** Test helpers shared by the operational CRM specs. */

export async function makeCustomer(
  node: TestNode,
  firstName = 'Ada',
  lastName = 'Lovelace',
): Promise<string> {
  const customer = await node.app.get(CustomersService).create({ firstName, lastName });
  return customer.id;
}

/** Expects a BAD_USER_INPUT naming this field. */
export function expectBadInput(response: GqlResponse<unknown>, field: string): void {
  expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
  expect(response.data ?? null).toBeNull();
}

export function expectCode(response: GqlResponse<unknown>, code: string): void {
  expect(response.errors?.[0]?.extensions?.code).toBe(code);
}

/** Counts the rows of a table straight from the database. */
export async function countRows(node: TestNode, table: string): Promise<number> {
  const { DataSource } = await import('typeorm');
  const rows = await node.app.get(DataSource).query<{ n: string }[]>(`SELECT count(*) AS n FROM ${table}`);
  return Number(rows[0].n);
}
