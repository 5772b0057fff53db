import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { runNamed, type Queryable } from '#platform/database/named-queries';
import { CARE_CASE_REASON_QUERIES } from './care-case-reasons.queries.js';

/** A care case named as a reason to read shared history: when it started, whether it is recent. */
export interface ReadingReasonRow {
  started_at: Date;
  recent: boolean;
}

/**
 * Care cases as reasons to read a customer's shared history (read by the sharing module): the
 * statement is in care-case-reasons.queries.ts and, generated, in queries/care-cases.sql.
 */
@Injectable()
export class CareCaseReasonsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The case `id` of `customerId` (undefined when it is unknown or another customer's). */
  async readingReason(
    id: string,
    customerId: string,
    windowDays: number,
    runner: Queryable = this.dataSource,
  ): Promise<ReadingReasonRow | undefined> {
    const [row] = await runNamed<ReadingReasonRow, 'readingReason'>(
      runner,
      CARE_CASE_REASON_QUERIES,
      'readingReason',
      [id, customerId, windowDays],
    );
    return row;
  }
}
