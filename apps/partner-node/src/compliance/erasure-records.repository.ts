import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { runNamed, type Queryable } from '#platform/database/named-queries';
import { ERASURE_RECORD_QUERIES } from './erasure-records.queries.js';

/** What other modules ask of the erasures (erasure-records.queries.ts); the id must be a valid UUID. */
@Injectable()
export class ErasureRecordsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The customer was erased (GDPR Art. 17). */
  async erased(customerId: string, runner: Queryable = this.dataSource): Promise<boolean> {
    return (await runNamed(runner, ERASURE_RECORD_QUERIES, 'erased', [customerId])).length > 0;
  }
}
