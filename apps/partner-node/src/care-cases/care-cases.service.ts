import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, type EntityManager, Repository } from 'typeorm';
import { NotFoundError, ValidationError } from '#platform/errors/app-errors';
import { type ConnectionShape, type KeysetSort, paginate, type PageArgs } from '#platform/graphql/connection';
import { inTransaction } from '#platform/database/transaction';
import { assertNotFuture } from '#platform/validation/transforms';
import { assertRow, assertRows } from '../database/assert-row.js';
import { isUuid } from '#platform/validation/ids';
import {
  CareCasePriority,
  CareCaseSort,
  CareCaseStatus,
  canTransition,
  FEEDBACK_STATUSES,
  PRIORITY_RANK,
} from './care-case.enums.js';
import { CareCase } from './care-case.entity.js';
import type {
  CareCaseFeedbackInput,
  CareCaseFilter,
  ChangeCareCaseStatusInput,
  CreateCareCaseInput,
  UpdateCareCaseInput,
} from './care-cases.dto.js';

const keyset = (
  column: string,
  value: (c: CareCase) => unknown,
  direction: 'ASC' | 'DESC',
): KeysetSort<CareCase> => ({ column, value, direction, idColumn: 'c.id', id: (c) => c.id });

const SORTS: Record<CareCaseSort, KeysetSort<CareCase>> = {
  [CareCaseSort.OPENED_AT_DESC]: keyset('c.opened_at', (c) => c.openedAt, 'DESC'),
  [CareCaseSort.OPENED_AT_ASC]: keyset('c.opened_at', (c) => c.openedAt, 'ASC'),
  [CareCaseSort.DUE_AT_ASC]: keyset('c.due_at', (c) => c.dueAt, 'ASC'),
  [CareCaseSort.PRIORITY_DESC]: keyset('c.priority_rank', (c) => PRIORITY_RANK[c.priority], 'DESC'),
  [CareCaseSort.UPDATED_AT_DESC]: keyset('c.updated_at', (c) => c.updatedAt, 'DESC'),
};

/** GraphQL spelling of an enum value, for messages. */
const shown = (value: string): string => value.toUpperCase();

@Injectable()
export class CareCasesService {
  constructor(
    @InjectRepository(CareCase) private readonly cases: Repository<CareCase>,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async get(id: string): Promise<CareCase> {
    const found = isUuid(id) ? await this.cases.findOneBy({ id }) : null;
    if (!found) throw new NotFoundError('CareCase', id);
    return found;
  }

  findByIds(ids: readonly string[]): Promise<CareCase[]> {
    const valid = [...new Set(ids)].filter(isUuid);
    if (valid.length === 0) return Promise.resolve([]);
    return this.cases.createQueryBuilder('c').where('c.id = ANY(:ids)', { ids: valid }).getMany();
  }

  list(
    filter: CareCaseFilter = {},
    sort: CareCaseSort = CareCaseSort.OPENED_AT_DESC,
    page: PageArgs = {},
  ): Promise<ConnectionShape<CareCase>> {
    const query = this.cases.createQueryBuilder('c');
    if (filter.customerId) query.andWhere('c.customer_id = :customerId', { customerId: filter.customerId });
    if (filter.statuses?.length) query.andWhere('c.status = ANY(:statuses)', { statuses: filter.statuses });
    if (filter.priorities?.length)
      query.andWhere('c.priority = ANY(:priorities)', { priorities: filter.priorities });
    if (filter.category !== undefined)
      query.andWhere('c.category = :category', { category: filter.category });
    if (filter.assigneeId) query.andWhere('c.assignee_id = :assigneeId', { assigneeId: filter.assigneeId });
    if (filter.unassigned === true) query.andWhere('c.assignee_id IS NULL');
    if (filter.unassigned === false) query.andWhere('c.assignee_id IS NOT NULL');
    const overdue = `(c.status IN ('open','pending') AND c.due_at < now())`;
    if (filter.overdue === true) query.andWhere(overdue);
    if (filter.overdue === false) query.andWhere(`NOT ${overdue}`);
    if (filter.openedFrom) query.andWhere('c.opened_at >= :openedFrom', { openedFrom: filter.openedFrom });
    if (filter.openedBefore)
      query.andWhere('c.opened_at < :openedBefore', { openedBefore: filter.openedBefore });
    return paginate(query, SORTS[sort], page);
  }

  async create(input: CreateCareCaseInput): Promise<CareCase> {
    const id = await inTransaction(this.dataSource, (manager) => this.createIn(manager, input));
    return this.get(id);
  }

  /**
   * Opens a case inside the caller's transaction and returns its id: a case and the history that
   * follows it (interactions, status, feedback) can be written as one unit, as the demo's seed does.
   */
  async createIn(manager: EntityManager, input: CreateCareCaseInput): Promise<string> {
    assertNotFuture('openedAt', input.openedAt);
    await assertRows(manager, [
      { table: 'customer', id: input.customerId, field: 'customerId' },
      ...(input.assigneeId
        ? [{ table: 'app_user' as const, id: input.assigneeId, field: 'assigneeId' }]
        : []),
    ]);
    const inserted = await manager.insert(CareCase, {
      customerId: input.customerId,
      subject: input.subject,
      description: input.description ?? null,
      status: CareCaseStatus.OPEN,
      priority: input.priority ?? CareCasePriority.NORMAL,
      category: input.category ?? null,
      dueAt: input.dueAt ?? null,
      assigneeId: input.assigneeId ?? null,
      openedAt: input.openedAt ?? new Date(),
    });
    return (inserted.identifiers[0] as { id: string }).id;
  }

  async update(id: string, input: UpdateCareCaseInput): Promise<CareCase> {
    await inTransaction(this.dataSource, async (manager) => {
      await this.lock(manager, id);
      if (input.assigneeId) await assertRow(manager, 'app_user', input.assigneeId, 'assigneeId');
      const patch: Partial<CareCase> = {};
      if (input.subject !== undefined && input.subject !== null) patch.subject = input.subject;
      if (input.description !== undefined) patch.description = input.description;
      if (input.priority !== undefined && input.priority !== null) patch.priority = input.priority;
      if (input.category !== undefined) patch.category = input.category;
      if (input.dueAt !== undefined) patch.dueAt = input.dueAt;
      if (input.assigneeId !== undefined) patch.assigneeId = input.assigneeId;
      await manager.update(CareCase, { id }, { ...patch, updatedAt: () => 'now()' });
    });
    return this.get(id);
  }

  /** Moves the case along its life cycle (see CARE_CASE_TRANSITIONS) and stamps the times. */
  async changeStatus(id: string, input: ChangeCareCaseStatusInput): Promise<CareCase> {
    await inTransaction(this.dataSource, (manager) => this.changeStatusIn(manager, id, input));
    return this.get(id);
  }

  /** changeStatus inside the caller's transaction. */
  async changeStatusIn(manager: EntityManager, id: string, input: ChangeCareCaseStatusInput): Promise<void> {
    const current = await this.lock(manager, id);
    if (!canTransition(current.status, input.status)) {
      throw new ValidationError(
        'status',
        `a ${shown(current.status)} case cannot become ${shown(input.status)}`,
        { from: shown(current.status), to: shown(input.status) },
      );
    }
    const now = new Date();
    const patch: Partial<CareCase> = { status: input.status };
    if (input.resolution) patch.resolution = input.resolution;
    switch (input.status) {
      case CareCaseStatus.RESOLVED:
        if (!input.resolution) throw new ValidationError('resolution', 'is required to resolve a case');
        patch.resolvedAt = now;
        patch.closedAt = null;
        break;
      case CareCaseStatus.CLOSED:
        patch.closedAt = now;
        break;
      case CareCaseStatus.OPEN:
        // Reopened: the case is live again; resolution and feedback stay as history.
        patch.resolvedAt = null;
        patch.closedAt = null;
        break;
      case CareCaseStatus.PENDING:
        break;
    }
    await manager.update(CareCase, { id }, { ...patch, updatedAt: () => 'now()' });
  }

  /** The customer's satisfaction (1–5) and comment; only on RESOLVED or CLOSED cases. Replaces earlier feedback. */
  async recordFeedback(id: string, input: CareCaseFeedbackInput): Promise<CareCase> {
    await inTransaction(this.dataSource, (manager) => this.recordFeedbackIn(manager, id, input));
    return this.get(id);
  }

  /** recordFeedback inside the caller's transaction. */
  async recordFeedbackIn(manager: EntityManager, id: string, input: CareCaseFeedbackInput): Promise<void> {
    const current = await this.lock(manager, id);
    if (!FEEDBACK_STATUSES.includes(current.status)) {
      throw new ValidationError(
        'id',
        `the case is ${shown(current.status)}: feedback is accepted only on RESOLVED or CLOSED cases`,
        { status: shown(current.status) },
      );
    }
    await manager.update(
      CareCase,
      { id },
      {
        satisfaction: input.satisfaction,
        feedbackComment: input.comment ?? null,
        feedbackAt: new Date(),
        updatedAt: () => 'now()',
      },
    );
  }

  /** Reads the case and locks its row until the end of the transaction (status changes are serialised). */
  private async lock(manager: EntityManager, id: string): Promise<CareCase> {
    const found = isUuid(id)
      ? await manager
          .getRepository(CareCase)
          .createQueryBuilder('c')
          .setLock('pessimistic_write')
          .where('c.id = :id', { id })
          .getOne()
      : null;
    if (!found) throw new NotFoundError('CareCase', id);
    return found;
  }
}
