import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, type EntityManager, Repository } from 'typeorm';
import { NotFoundError, ValidationError } from '#platform/errors/app-errors';
import { type ConnectionShape, type KeysetSort, paginate, type PageArgs } from '#platform/graphql/connection';
import { inTransaction } from '#platform/database/transaction';
import { assertNotFuture } from '#platform/validation/transforms';
import { runNamed } from '#platform/database/named-queries';
import { assertRow, assertRows, type RowProbe } from '../database/assert-row.js';
import { isUuid } from '#platform/validation/ids';
import { type FieldOf, itemsOf, singleInput } from '#platform/validation/item-fields';
import {
  CareCasePriority,
  CareCaseSort,
  CareCaseStatus,
  canTransition,
  FEEDBACK_STATUSES,
  PRIORITY_RANK,
} from './care-case.enums.js';
import { CareCase } from './care-case.entity.js';
import { CARE_CASE_CHANGE_QUERIES } from './care-case-changes.queries.js';
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

/** Cases written by one INSERT at most (a statement takes at most 65,535 parameters). */
const ROWS_PER_INSERT = 1000;

/** One status change of a batch: the case, and the change as changeStatus takes it. */
export interface CareCaseStatusChange {
  id: string;
  input: ChangeCareCaseStatusInput;
}

/** One feedback of a batch: the case, and the feedback as recordFeedback takes it. */
export interface CareCaseFeedback {
  id: string;
  input: CareCaseFeedbackInput;
}

/** What refuses the case id of item `index` when no case has it. */
type MissingCase = (index: number, id: string) => Error;

/** A single call answers NOT_FOUND, as the API always has. */
const caseNotFound: MissingCase = (_index, id) => new NotFoundError('CareCase', id);

/** A batch names the item: its `id` points to no case. */
const missingItemCase =
  (fieldOf: FieldOf): MissingCase =>
  (index, id) =>
    new ValidationError(fieldOf(index, 'id'), `no care case has the id ${id}`);

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
   * follows it (interactions, status, feedback) can be written as one unit.
   */
  async createIn(manager: EntityManager, input: CreateCareCaseInput): Promise<string> {
    const [id] = await this.insertAll(manager, [input], singleInput);
    return id!;
  }

  /**
   * Opens a batch of cases inside the caller's transaction under createIn's rules (a CRM migrating
   * its case history; the demo's seed), every item checked before anything is written: one check of
   * all the batch's customers and assignees, then one INSERT per ROWS_PER_INSERT cases. A wrong item
   * refuses the whole batch with createIn's error, the field named as `cases[i].field`. Their later
   * history follows with changeStatusManyIn and recordFeedbackManyIn. The ids, in the inputs' order.
   */
  createManyIn(manager: EntityManager, inputs: readonly CreateCareCaseInput[]): Promise<string[]> {
    return this.insertAll(manager, inputs, itemsOf('cases'));
  }

  private async insertAll(
    manager: EntityManager,
    inputs: readonly CreateCareCaseInput[],
    fieldOf: FieldOf,
  ): Promise<string[]> {
    if (inputs.length === 0) return [];
    inputs.forEach((input, i) => assertNotFuture(fieldOf(i, 'openedAt'), input.openedAt));
    await assertRows(
      manager,
      inputs.flatMap((input, i): RowProbe[] => [
        { table: 'customer', id: input.customerId, field: fieldOf(i, 'customerId') },
        ...(input.assigneeId
          ? [{ table: 'app_user' as const, id: input.assigneeId, field: fieldOf(i, 'assigneeId') }]
          : []),
      ]),
    );
    const rows = inputs.map((input) => ({
      customerId: input.customerId,
      subject: input.subject,
      description: input.description ?? null,
      status: CareCaseStatus.OPEN,
      priority: input.priority ?? CareCasePriority.NORMAL,
      category: input.category ?? null,
      dueAt: input.dueAt ?? null,
      assigneeId: input.assigneeId ?? null,
      openedAt: input.openedAt ?? new Date(),
    }));
    const ids: string[] = [];
    for (let first = 0; first < rows.length; first += ROWS_PER_INSERT) {
      const inserted = await manager.insert(CareCase, rows.slice(first, first + ROWS_PER_INSERT));
      ids.push(...inserted.identifiers.map((identifier) => (identifier as { id: string }).id));
    }
    return ids;
  }

  async update(id: string, input: UpdateCareCaseInput): Promise<CareCase> {
    await inTransaction(this.dataSource, async (manager) => {
      await this.lockAll(manager, [id], caseNotFound);
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
    await this.applyStatusChanges(manager, [{ id, input }], singleInput, caseNotFound);
  }

  /**
   * Status changes of several cases inside the caller's transaction under changeStatus's rules, in
   * two statements (the cases locked and read, then one UPDATE): the changes apply in the order
   * given, so a case may move more than once (PENDING, then RESOLVED). Every change is checked
   * before anything is written; a wrong one refuses the whole batch with changeStatus's error, the
   * field named as `changes[i].field` (`changes[i].id` for an id that is no case).
   */
  async changeStatusManyIn(manager: EntityManager, changes: readonly CareCaseStatusChange[]): Promise<void> {
    const fieldOf = itemsOf('changes');
    await this.applyStatusChanges(manager, changes, fieldOf, missingItemCase(fieldOf));
  }

  private async applyStatusChanges(
    manager: EntityManager,
    changes: readonly CareCaseStatusChange[],
    fieldOf: FieldOf,
    missing: MissingCase,
  ): Promise<void> {
    if (changes.length === 0) return;
    const cases = await this.lockAll(
      manager,
      changes.map((change) => change.id),
      missing,
    );
    const now = new Date();
    changes.forEach(({ id, input }, i) => {
      const current = cases.get(id)!;
      if (!canTransition(current.status, input.status)) {
        throw new ValidationError(
          fieldOf(i, 'status'),
          `a ${shown(current.status)} case cannot become ${shown(input.status)}`,
          { from: shown(current.status), to: shown(input.status) },
        );
      }
      current.status = input.status;
      if (input.resolution) current.resolution = input.resolution;
      switch (input.status) {
        case CareCaseStatus.RESOLVED:
          if (!input.resolution) {
            throw new ValidationError(fieldOf(i, 'resolution'), 'is required to resolve a case');
          }
          current.resolvedAt = now;
          current.closedAt = null;
          break;
        case CareCaseStatus.CLOSED:
          current.closedAt = now;
          break;
        case CareCaseStatus.OPEN:
          // Reopened: the case is live again; resolution and feedback stay as history.
          current.resolvedAt = null;
          current.closedAt = null;
          break;
        case CareCaseStatus.PENDING:
          break;
      }
    });
    const changed = [...new Set(changes.map((change) => cases.get(change.id)!))];
    await runNamed(manager, CARE_CASE_CHANGE_QUERIES, 'applyStatuses', [
      changed.map((c) => c.id),
      changed.map((c) => c.status),
      changed.map((c) => c.resolution),
      changed.map((c) => c.resolvedAt?.toISOString() ?? null),
      changed.map((c) => c.closedAt?.toISOString() ?? null),
    ]);
  }

  /** The customer's satisfaction (1–5) and comment; only on RESOLVED or CLOSED cases. Replaces earlier feedback. */
  async recordFeedback(id: string, input: CareCaseFeedbackInput): Promise<CareCase> {
    await inTransaction(this.dataSource, (manager) => this.recordFeedbackIn(manager, id, input));
    return this.get(id);
  }

  /** recordFeedback inside the caller's transaction. */
  async recordFeedbackIn(manager: EntityManager, id: string, input: CareCaseFeedbackInput): Promise<void> {
    await this.applyFeedback(manager, [{ id, input }], singleInput, caseNotFound);
  }

  /**
   * Feedback on several cases inside the caller's transaction under recordFeedback's rules, in two
   * statements (the cases locked and read, then one UPDATE); a later item for the same case replaces
   * an earlier one. Every item is checked before anything is written; a wrong one refuses the whole
   * batch with recordFeedback's error, the field named as `feedback[i].id`.
   */
  async recordFeedbackManyIn(manager: EntityManager, items: readonly CareCaseFeedback[]): Promise<void> {
    const fieldOf = itemsOf('feedback');
    await this.applyFeedback(manager, items, fieldOf, missingItemCase(fieldOf));
  }

  private async applyFeedback(
    manager: EntityManager,
    items: readonly CareCaseFeedback[],
    fieldOf: FieldOf,
    missing: MissingCase,
  ): Promise<void> {
    if (items.length === 0) return;
    const cases = await this.lockAll(
      manager,
      items.map((item) => item.id),
      missing,
    );
    const latest = new Map<string, CareCaseFeedbackInput>();
    items.forEach(({ id, input }, i) => {
      const current = cases.get(id)!;
      if (!FEEDBACK_STATUSES.includes(current.status)) {
        throw new ValidationError(
          fieldOf(i, 'id'),
          `the case is ${shown(current.status)}: feedback is accepted only on RESOLVED or CLOSED cases`,
          { status: shown(current.status) },
        );
      }
      latest.set(current.id, input);
    });
    await runNamed(manager, CARE_CASE_CHANGE_QUERIES, 'applyFeedback', [
      [...latest.keys()],
      [...latest.values()].map((input) => input.satisfaction),
      [...latest.values()].map((input) => input.comment ?? null),
      new Date().toISOString(),
    ]);
  }

  /**
   * Reads the cases and locks their rows until the end of the transaction (status changes are
   * serialised), in id order (two batches over the same cases cannot deadlock); by the ids as given.
   * Refuses the first item, in the order given, whose id is no case.
   */
  private async lockAll(
    manager: EntityManager,
    ids: readonly string[],
    missing: MissingCase,
  ): Promise<Map<string, CareCase>> {
    const valid = [...new Set(ids)].filter(isUuid);
    const found =
      valid.length > 0
        ? await manager
            .getRepository(CareCase)
            .createQueryBuilder('c')
            .setLock('pessimistic_write')
            .where('c.id = ANY(:ids)', { ids: valid })
            .orderBy('c.id')
            .getMany()
        : [];
    const byId = new Map(found.map((c) => [c.id, c]));
    const cases = new Map<string, CareCase>();
    ids.forEach((id, i) => {
      const kase = byId.get(id.toLowerCase());
      if (!kase) throw missing(i, id);
      cases.set(id, kase);
    });
    return cases;
  }
}
