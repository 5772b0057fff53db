import type { QueryRunner } from 'typeorm';
import { runNamed } from '#platform/database/named-queries';
import { ORDER_IMPORT_QUERIES as Q } from './order-import.queries.js';

type Name = keyof typeof Q.statements;

export interface OrderImportCounts {
  inserted: number;
  /** Existing orders changed: their fields, or only their lines. */
  updated: number;
  unchanged: number;
  /** Order lines written. */
  lines: number;
}

/**
 * Merges the orders CSV import's checked staging tables into customer_order and order_line
 * (ORDER_IMPORT_QUERIES), on the import's query runner, inside its transaction.
 */
export class OrderImportRepository {
  constructor(private readonly runner: QueryRunner) {}

  private run<Row>(name: Name): Promise<Row[]> {
    return runNamed<Row, Name>(this.runner, Q, name);
  }

  /** Rows written by one statement. */
  private async affected(name: Name): Promise<number> {
    const result = await this.runner.query(Q.statements[name], [], true);
    return (result as { affected?: number }).affected ?? 0;
  }

  async merge(): Promise<OrderImportCounts> {
    await this.run('importOrders');
    await this.run('importAnalyzeOrders');
    const [{ total, existing, changed }] = await this.run<{
      total: number;
      existing: number;
      changed: number;
    }>('importOrderCounts');
    await this.run('importCreateUpdated');
    if (changed > 0) await this.run('importUpdateChanged');
    const inserted = total > existing ? await this.affected('importInsertNew') : 0;
    await this.run(existing > 0 ? 'importRelined' : 'importNoneRelined');
    const [{ relined }] = await this.run<{ relined: number }>('importRelinedCount');
    if (relined > 0) await this.run('importDeleteRelined');
    const lines =
      inserted + relined === 0
        ? 0
        : await this.affected(relined > 0 ? 'importInsertLines' : 'importInsertNewLines');
    const [{ updated }] = await this.run<{ updated: number }>('importUpdatedCount');
    return { inserted, updated, unchanged: total - inserted - updated, lines };
  }
}
