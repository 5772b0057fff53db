import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { runNamed, type Queryable } from '#platform/database/named-queries';
import { INTERACTION_REASON_QUERIES } from './interaction-reasons.queries.js';

/** An interaction named as a reason to read shared history: when it started, whether it is recent. */
export interface InteractionReasonRow {
  started_at: Date;
  recent: boolean;
}

/**
 * Interactions as reasons to read a customer's shared history (read by the sharing module): the
 * statement is in interaction-reasons.queries.ts and, generated, in queries/interactions.sql.
 */
@Injectable()
export class InteractionReasonsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The interaction `id` with `customerId` (undefined when it is unknown or another customer's). */
  async readingReason(
    id: string,
    customerId: string,
    windowDays: number,
    runner: Queryable = this.dataSource,
  ): Promise<InteractionReasonRow | undefined> {
    const [row] = await runNamed<InteractionReasonRow, 'readingReason'>(
      runner,
      INTERACTION_REASON_QUERIES,
      'readingReason',
      [id, customerId, windowDays],
    );
    return row;
  }
}
