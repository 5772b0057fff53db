import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { runNamed, type Queryable } from '#platform/database/named-queries';
import { SEGMENT_REFERENCE_QUERIES } from './segment-references.queries.js';

type Query = keyof typeof SEGMENT_REFERENCE_QUERIES.statements;

/**
 * What other modules (campaigns, segment merges, compliance) ask of the segments module's tables:
 * segment-references.queries.ts. Ids must already be valid UUIDs. Each runs on `runner` when given
 * (a transaction's manager).
 */
@Injectable()
export class SegmentReferencesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private rows<Row>(runner: Queryable | undefined, name: Query, values: unknown[] = []): Promise<Row[]> {
    return runNamed<Row, Query>(runner ?? this.dataSource, SEGMENT_REFERENCE_QUERIES, name, values);
  }

  async exists(segmentId: string, runner?: Queryable): Promise<boolean> {
    return (await this.rows(runner, 'exists', [segmentId])).length > 0;
  }

  /** Locks the segment against a refresh until the caller's transaction ends (FOR SHARE). */
  async lockForShare(runner: Queryable, segmentId: string): Promise<void> {
    await this.rows(runner, 'lockForShare', [segmentId]);
  }

  /** Locks the segment for an update of its membership until the caller's transaction ends. */
  async lockForUpdate(runner: Queryable, segmentId: string): Promise<void> {
    await this.rows(runner, 'lockForUpdate', [segmentId]);
  }

  /** Creates a MERGED segment in the caller's transaction; its id. */
  async insertMerged(
    runner: Queryable,
    segment: { name: string; description: string; createdBy: string | null },
  ): Promise<string> {
    const [row] = await this.rows<{ id: string }>(runner, 'insertMerged', [
      segment.name,
      segment.description,
      segment.createdBy,
    ]);
    return row!.id;
  }

  /** The ids of every MERGED segment. */
  async mergedIds(runner?: Queryable): Promise<string[]> {
    return (await this.rows<{ id: string }>(runner, 'mergedIds')).map((row) => row.id);
  }

  /** Erasure, in the caller's transaction: the customer's memberships; how many. */
  async eraseMembershipsOfCustomer(runner: Queryable, customerId: string): Promise<number> {
    const [row] = await this.rows<{ n: number }>(runner, 'eraseMembershipsOfCustomer', [customerId]);
    return row?.n ?? 0;
  }
}
