import { expect } from '@jest/globals';
import { DataSource } from 'typeorm';
import { ValidationError } from '#platform/errors/app-errors';
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
  const rows = await node.app.get(DataSource).query<{ n: string }[]>(`SELECT count(*) AS n FROM ${table}`);
  return Number(rows[0].n);
}

/** Expects `work` to be refused with a BAD_USER_INPUT naming this field; the error. */
export async function expectRefused(work: Promise<unknown>, field: string): Promise<ValidationError> {
  const error = await work.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ValidationError);
  expect((error as ValidationError).field).toBe(field);
  return error as ValidationError;
}

/**
 * The rows `sql` reads without what differs between two writes of the same data: the `omit`
 * columns (ids) and, of the `stamped` ones (times the database or the service stamps), only
 * whether they are set.
 */
export async function comparableRows(
  node: TestNode,
  sql: string,
  params: unknown[],
  columns: { omit: readonly string[]; stamped: readonly string[] },
): Promise<Record<string, unknown>[]> {
  const rows = await node.app.get(DataSource).query<Record<string, unknown>[]>(sql, params);
  return rows.map((row) => {
    const kept: Record<string, unknown> = {};
    for (const [column, value] of Object.entries(row)) {
      if (columns.omit.includes(column)) continue;
      kept[column] = columns.stamped.includes(column) ? value !== null : value;
    }
    return kept;
  });
}

/**
 * The statements on the care tables (and the reference checks) that `work` runs, counted through
 * the data source's logger; background jobs touch other tables.
 */
export async function careStatementsOf(node: TestNode, work: () => Promise<unknown>): Promise<number> {
  const db = node.app.get(DataSource);
  const original = db.logger;
  let statements = 0;
  db.logger = {
    logQuery: (sql: string) => {
      if (/care_case|interaction|SELECT '(customer|app_user)' AS t/.test(sql)) statements++;
    },
    logQueryError: () => undefined,
    logQuerySlow: () => undefined,
    logSchemaBuild: () => undefined,
    logMigration: () => undefined,
    log: () => undefined,
  };
  try {
    await work();
  } finally {
    db.logger = original;
  }
  return statements;
}
