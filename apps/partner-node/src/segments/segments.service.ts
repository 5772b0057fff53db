import { inTransaction } from '#platform/database/transaction';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { isUUID } from 'class-validator';
import { DataSource, type EntityManager, QueryFailedError, Repository } from 'typeorm';
import { ConflictError, NotFoundError, ValidationError } from '#platform/errors/app-errors';
import { type ConnectionShape, paginate, type PageArgs } from '#platform/graphql/connection';
import { getLogger } from '#platform/logging/logger';
import { JOB_QUEUE, defineQueue, type JobQueue } from '#platform/queue/job-queue';
import { parseRule, RuleError, ruleToSql, type RuleNode } from '#segments';
import { Segment, SegmentKind, SegmentMember, type SegmentSizePoint } from './segment.entity.js';
import { refreshSegmentInTransaction, type RefreshOutcome } from './segment-refresh.js';
import type { CreateSegmentInput, UpdateSegmentInput } from './segments.dto.js';

/** Refreshes one segment's members. */
export const SEGMENT_REFRESH_QUEUE = defineQueue<SegmentRefreshJob>('segment-refresh');
/** Enqueues the refreshes that are due (scheduled). */
export const SEGMENT_REFRESH_DUE_QUEUE = defineQueue('segment-refresh-due');

export interface SegmentRefreshJob {
  segmentId: string;
  /** ISO time of the request: a refresh that already ran at or after it makes the job a no-op. */
  requestedAt: string;
}

/** Validates a rule from a client; the error names the path inside it, e.g. `rule.all[0].field`. */
export function validRule(input: unknown, field = 'rule'): RuleNode {
  try {
    return parseRule(input);
  } catch (error) {
    if (error instanceof RuleError) {
      throw new ValidationError(error.path ? `${field}.${error.path}` : field, error.reason);
    }
    throw error;
  }
}

@Injectable()
export class SegmentsService {
  constructor(
    @InjectRepository(Segment) private readonly segments: Repository<Segment>,
    @InjectRepository(SegmentMember) private readonly members: Repository<SegmentMember>,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
  ) {}

  async get(id: string): Promise<Segment> {
    const segment = isUUID(id) ? await this.segments.findOneBy({ id }) : null;
    if (!segment) throw new NotFoundError('Segment', id);
    return segment;
  }

  findByIds(ids: readonly string[]): Promise<Segment[]> {
    const valid = [...new Set(ids)].filter((id) => isUUID(id));
    if (valid.length === 0) return Promise.resolve([]);
    return this.segments.createQueryBuilder('s').where('s.id = ANY(:ids)', { ids: valid }).getMany();
  }

  list(page: PageArgs): Promise<ConnectionShape<Segment>> {
    return paginate(
      this.segments.createQueryBuilder('s'),
      {
        column: 's.created_at',
        value: (s) => s.createdAt,
        direction: 'DESC',
        idColumn: 's.id',
        id: (s) => s.id,
      },
      page,
    );
  }

  /** Live (not deleted) members, newest first. */
  listMembers(segmentId: string, page: PageArgs): Promise<ConnectionShape<SegmentMember>> {
    const query = this.members
      .createQueryBuilder('m')
      .innerJoin('customer', 'c', 'c.id = m.customer_id AND c.deleted_at IS NULL')
      .where('m.segment_id = :segmentId', { segmentId });
    return paginate(
      query,
      {
        column: 'm.added_at',
        value: (m) => m.addedAt,
        direction: 'DESC',
        idColumn: 'm.customer_id',
        id: (m) => m.customerId,
      },
      page,
    );
  }

  async sizeHistory(
    segmentIds: readonly string[],
    from?: Date,
    to?: Date,
  ): Promise<(SegmentSizePoint & { segmentId: string })[]> {
    const rows: { segment_id: string; size: number; at: Date }[] = await this.dataSource.query(
      `SELECT segment_id, size, at FROM segment_size_history
        WHERE segment_id = ANY($1::uuid[]) AND ($2::timestamptz IS NULL OR at >= $2) AND ($3::timestamptz IS NULL OR at < $3)
        ORDER BY segment_id, at, id`,
      [segmentIds, from ?? null, to ?? null],
    );
    return rows.map((r) => ({ segmentId: r.segment_id, size: r.size, at: r.at }));
  }

  /** Counts the customers a rule selects now, without writing anything. */
  async preview(ruleInput: unknown): Promise<number> {
    const { sql, params } = ruleToSql(validRule(ruleInput), { asOf: new Date() });
    const [row] = await this.dataSource.query(`SELECT count(*)::int AS size FROM (${sql}) t`, params);
    return row.size as number;
  }

  async create(input: CreateSegmentInput, userId: string): Promise<Segment> {
    const rule = this.ruleFor(input.kind, input.rule, input.refreshEveryMinutes);
    const id = await this.write(async (m) => {
      const [row] = await m.query(
        `INSERT INTO segment (name, description, kind, rule, refresh_every_minutes, created_by, refresh_requested_at)
         VALUES ($1, $2, $3, $4::jsonb, $5, $6, CASE WHEN $3 = 'rule' THEN now() END) RETURNING id`,
        [
          input.name.trim(),
          input.description?.trim() || null,
          input.kind,
          rule === undefined ? null : JSON.stringify(rule),
          input.refreshEveryMinutes ?? null,
          userId,
        ],
      );
      if (input.kind === SegmentKind.STATIC) await this.recordSize(m, row.id as string);
      return row.id as string;
    });
    const segment = await this.get(id);
    if (segment.kind === SegmentKind.RULE) await this.enqueueRefresh(segment.id, segment.refreshRequestedAt!);
    return segment;
  }

  async update(id: string, input: UpdateSegmentInput): Promise<Segment> {
    const current = await this.get(id);
    const ruleChanged = input.rule !== undefined && input.rule !== null;
    if (ruleChanged && current.kind !== SegmentKind.RULE) {
      throw new ValidationError('rule', 'a STATIC segment has no rule');
    }
    if (input.refreshEveryMinutes && current.kind !== SegmentKind.RULE) {
      throw new ValidationError('refreshEveryMinutes', 'only RULE segments are refreshed');
    }
    if (
      input.refreshEveryMinutes !== undefined &&
      input.refreshEveryMinutes !== 0 &&
      input.refreshEveryMinutes < 5
    ) {
      throw new ValidationError('refreshEveryMinutes', 'must be 0 (off) or 5 to 10080');
    }
    const rule = ruleChanged ? validRule(input.rule) : undefined;
    await this.write(async (m) => {
      await m.query(
        `UPDATE segment SET
           name = COALESCE($2, name),
           description = CASE WHEN $3::boolean THEN $4 ELSE description END,
           rule = COALESCE($5::jsonb, rule),
           rule_version = rule_version + CASE WHEN $5::jsonb IS NULL THEN 0 ELSE 1 END,
           refresh_requested_at = CASE WHEN $5::jsonb IS NULL THEN refresh_requested_at ELSE now() END,
           refresh_every_minutes = CASE WHEN $6::int IS NULL THEN refresh_every_minutes ELSE NULLIF($6::int, 0) END,
           updated_at = now()
         WHERE id = $1`,
        [
          id,
          input.name?.trim() ?? null,
          input.description !== undefined,
          input.description?.trim() || null,
          rule === undefined ? null : JSON.stringify(rule),
          input.refreshEveryMinutes ?? null,
        ],
      );
    });
    const segment = await this.get(id);
    if (rule) await this.enqueueRefresh(segment.id, segment.refreshRequestedAt!);
    return segment;
  }

  async delete(id: string): Promise<void> {
    await this.get(id);
    try {
      await this.dataSource.transaction((m) => m.query(`DELETE FROM segment WHERE id = $1`, [id]));
    } catch (error) {
      if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === '23503') {
        throw new ConflictError('Campaigns target this segment: it cannot be deleted', { field: 'id' });
      }
      throw error;
    }
  }

  /** Asks for a refresh through the queue; returns the job id. */
  async requestRefresh(id: string): Promise<string> {
    const segment = await this.get(id);
    if (segment.kind === SegmentKind.MERGED)
      throw new ValidationError('id', 'a MERGED segment is refreshed by refreshMergedSegment');
    if (segment.kind !== SegmentKind.RULE)
      throw new ValidationError('id', 'a STATIC segment is not refreshed');
    const [row] = await this.dataSource.query(
      `WITH r AS (UPDATE segment SET refresh_requested_at = now() WHERE id = $1 RETURNING refresh_requested_at)
       SELECT refresh_requested_at FROM r`,
      [id],
    );
    return this.enqueueRefresh(id, row.refresh_requested_at as Date);
  }

  /** The queue job: recomputes the membership in one transaction (see segment-refresh.ts). */
  async refresh(segmentId: string, requestedAt?: Date): Promise<RefreshOutcome | null> {
    const started = Date.now();
    const outcome = await this.dataSource.transaction((m) =>
      refreshSegmentInTransaction((sql, params) => m.query(sql, params), segmentId, requestedAt),
    );
    if (outcome) {
      getLogger().info(
        {
          segmentId,
          size: outcome.size,
          added: outcome.added,
          removed: outcome.removed,
          ms: Date.now() - started,
        },
        'segment refreshed',
      );
    }
    return outcome;
  }

  /**
   * Marks as requested now, and returns, the segments whose scheduled refresh is due, and those
   * whose requested refresh never ran (a job lost with an in-process queue, say).
   */
  async claimDueRefreshes(): Promise<{ id: string; requestedAt: Date }[]> {
    const rows: { id: string; refresh_requested_at: Date }[] = await this.dataSource.query(
      `WITH due AS (
         UPDATE segment s SET refresh_requested_at = now()
          WHERE s.id IN (
            SELECT id FROM segment
             WHERE kind = 'rule'
               AND ((refresh_every_minutes IS NOT NULL
                     AND (refreshed_at IS NULL OR refreshed_at <= now() - make_interval(mins => refresh_every_minutes)))
                 OR (refresh_requested_at < now() - interval '5 minutes'
                     AND (refreshed_at IS NULL OR refreshed_at < refresh_requested_at)))
             ORDER BY refreshed_at NULLS FIRST LIMIT 500)
          RETURNING s.id, s.refresh_requested_at)
       SELECT id, refresh_requested_at FROM due`,
    );
    return rows.map((r) => ({ id: r.id, requestedAt: r.refresh_requested_at }));
  }

  async enqueueRefresh(segmentId: string, requestedAt: Date): Promise<string> {
    const job: SegmentRefreshJob = { segmentId, requestedAt: requestedAt.toISOString() };
    return this.queue.enqueue(SEGMENT_REFRESH_QUEUE, job, {
      jobId: `segment-refresh.${segmentId}.${requestedAt.getTime()}`,
      attempts: 5,
      backoff: { type: 'exponential', delay: 2000 },
    });
  }

  /**
   * Stores the size of a static list and appends it to the history when it changed (or is new), in
   * the list's write (`m`; SegmentListsService's edits too).
   */
  async recordSize(m: EntityManager, segmentId: string): Promise<void> {
    const [{ size }] = await m.query(
      `SELECT count(*)::int AS size FROM segment_member WHERE segment_id = $1`,
      [segmentId],
    );
    await m.query(`UPDATE segment SET size = $2, updated_at = now() WHERE id = $1`, [segmentId, size]);
    const [last] = await m.query(
      `SELECT size FROM segment_size_history WHERE segment_id = $1 ORDER BY at DESC, id DESC LIMIT 1`,
      [segmentId],
    );
    if (!last || last.size !== size) {
      await m.query(`INSERT INTO segment_size_history (segment_id, size, at) VALUES ($1, $2, now())`, [
        segmentId,
        size,
      ]);
    }
  }

  private ruleFor(kind: SegmentKind, rule: unknown, every: number | undefined): RuleNode | undefined {
    if (kind === SegmentKind.STATIC) {
      if (rule !== undefined && rule !== null)
        throw new ValidationError('rule', 'a STATIC segment has no rule');
      if (every !== undefined && every !== null) {
        throw new ValidationError('refreshEveryMinutes', 'only RULE segments are refreshed');
      }
      return undefined;
    }
    if (rule === undefined || rule === null)
      throw new ValidationError('rule', 'is required for a RULE segment');
    return validRule(rule);
  }

  /** One transaction for another module's write on segments (segment merges); same mapping as ours. */
  inWrite<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.write(work);
  }

  /** One transaction per write; a taken name becomes a CONFLICT naming the field. */
  private write<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return inTransaction(this.dataSource, work, {
      segment_name_key: { field: 'name', message: 'A segment with this name already exists' },
    });
  }
}
