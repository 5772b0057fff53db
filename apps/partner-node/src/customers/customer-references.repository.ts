import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { runNamed, type Queryable } from '#platform/database/named-queries';
import { CUSTOMER_REFERENCE_QUERIES } from './customer-references.queries.js';

/** A customer named by its external id. */
export interface CustomerExternalIdRow {
  id: string;
  external_id: string;
}

type ReferenceQuery = keyof typeof CUSTOMER_REFERENCE_QUERIES.statements;

/**
 * Other modules' references to customers, resolved (segments' member lists and CSV imports, the
 * demo's seed, the reason of a shared-history read): the statements are in
 * customer-references.queries.ts and, generated, in queries/customers.sql. Ids must already be
 * valid UUIDs. Each runs on `runner` when given (a transaction's manager).
 */
@Injectable()
export class CustomerReferencesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private rows<Row>(runner: Queryable, name: ReferenceQuery, values: unknown[]): Promise<Row[]> {
    return runNamed<Row, ReferenceQuery>(runner, CUSTOMER_REFERENCE_QUERIES, name, values);
  }

  /** The ids among `ids` of live (not deleted) customers. */
  async liveIdsAmong(ids: readonly string[], runner: Queryable = this.dataSource): Promise<Set<string>> {
    const rows = await this.rows<{ id: string }>(runner, 'liveIdsAmong', [ids]);
    return new Set(rows.map((row) => row.id));
  }

  /** Live customers among those the external ids name (an unknown one is missing from the answer). */
  liveByExternalIds(
    externalIds: readonly string[],
    runner: Queryable = this.dataSource,
  ): Promise<CustomerExternalIdRow[]> {
    return this.rows(runner, 'liveByExternalIds', [externalIds]);
  }

  /** Customers, deleted ones too, whose external id matches a LIKE `pattern` (`%`, `_`). */
  byExternalIdPattern(
    pattern: string,
    runner: Queryable = this.dataSource,
  ): Promise<CustomerExternalIdRow[]> {
    return this.rows(runner, 'byExternalIdPattern', [pattern]);
  }

  /** When the customer was created; undefined when it is unknown or deleted. */
  async liveCreatedAt(customerId: string, runner: Queryable = this.dataSource): Promise<Date | undefined> {
    const [row] = await this.rows<{ created_at: Date }>(runner, 'liveCreatedAt', [customerId]);
    return row?.created_at;
  }
}
