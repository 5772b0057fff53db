import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, type EntityManager, Repository } from 'typeorm';
import { NotFoundError, ValidationError } from '#platform/errors/app-errors';
import { type ConnectionShape, type KeysetSort, paginate, type PageArgs } from '#platform/graphql/connection';
import { inTransaction } from '#platform/database/transaction';
import { assertNotFuture } from '#platform/validation/transforms';
import { missingRow, probeRows, type RowProbe } from '../database/assert-row.js';
import { isUuid } from '#platform/validation/ids';
import { type FieldOf, itemsOf, singleInput } from '#platform/validation/item-fields';
import { InteractionSort } from './interaction.enums.js';
import { Interaction } from './interaction.entity.js';
import type {
  CreateInteractionInput,
  InteractionFilter,
  UpdateInteractionInput,
} from './interactions.dto.js';

const keyset = (direction: 'ASC' | 'DESC'): KeysetSort<Interaction> => ({
  column: 'i.occurred_at',
  value: (i) => i.occurredAt,
  direction,
  idColumn: 'i.id',
  id: (i) => i.id,
});

const SORTS: Record<InteractionSort, KeysetSort<Interaction>> = {
  [InteractionSort.OCCURRED_AT_DESC]: keyset('DESC'),
  [InteractionSort.OCCURRED_AT_ASC]: keyset('ASC'),
};

/** Most interactions loaded for one care case (newest first). */
export const MAX_CASE_INTERACTIONS = 500;

/** Interactions written by one INSERT at most (a statement takes at most 65,535 parameters). */
const ROWS_PER_INSERT = 1000;

/** What an interaction points to, as its reference check reads it. */
interface InteractionReferences {
  customerId: string;
  agentId: string | null | undefined;
  careCaseId: string | null | undefined;
}

@Injectable()
export class InteractionsService {
  constructor(
    @InjectRepository(Interaction) private readonly interactions: Repository<Interaction>,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async get(id: string): Promise<Interaction> {
    const found = isUuid(id) ? await this.interactions.findOneBy({ id }) : null;
    if (!found) throw new NotFoundError('Interaction', id);
    return found;
  }

  findByIds(ids: readonly string[]): Promise<Interaction[]> {
    const valid = [...new Set(ids)].filter(isUuid);
    if (valid.length === 0) return Promise.resolve([]);
    return this.interactions.createQueryBuilder('i').where('i.id = ANY(:ids)', { ids: valid }).getMany();
  }

  /** The interactions of several care cases, newest first: one query for a page of cases. */
  async ofCareCases(caseIds: readonly string[]): Promise<Interaction[]> {
    // One window query: at most MAX_CASE_INTERACTIONS per case, newest first.
    const rows = await this.interactions
      .createQueryBuilder('i')
      .where('i.care_case_id = ANY(:ids)', { ids: [...caseIds] })
      .andWhere(
        `i.id IN (SELECT id FROM (SELECT id, row_number() OVER (PARTITION BY care_case_id ORDER BY occurred_at DESC, id DESC) AS n
           FROM interaction WHERE care_case_id = ANY(:ids)) ranked WHERE n <= ${MAX_CASE_INTERACTIONS})`,
      )
      .orderBy('i.occurred_at', 'DESC')
      .addOrderBy('i.id', 'DESC')
      .getMany();
    return rows;
  }

  list(
    filter: InteractionFilter = {},
    sort: InteractionSort = InteractionSort.OCCURRED_AT_DESC,
    page: PageArgs = {},
  ): Promise<ConnectionShape<Interaction>> {
    const query = this.interactions.createQueryBuilder('i');
    if (filter.customerId) query.andWhere('i.customer_id = :customerId', { customerId: filter.customerId });
    if (filter.careCaseId) query.andWhere('i.care_case_id = :careCaseId', { careCaseId: filter.careCaseId });
    if (filter.agentId) query.andWhere('i.agent_id = :agentId', { agentId: filter.agentId });
    if (filter.channels?.length) query.andWhere('i.channel = ANY(:channels)', { channels: filter.channels });
    if (filter.direction) query.andWhere('i.direction = :direction', { direction: filter.direction });
    if (filter.occurredFrom)
      query.andWhere('i.occurred_at >= :occurredFrom', { occurredFrom: filter.occurredFrom });
    if (filter.occurredBefore)
      query.andWhere('i.occurred_at < :occurredBefore', { occurredBefore: filter.occurredBefore });
    return paginate(query, SORTS[sort], page);
  }

  /** Records an interaction; the agent defaults to the caller. */
  async create(input: CreateInteractionInput, callerId: string): Promise<Interaction> {
    const id = await inTransaction(this.dataSource, (manager) => this.createIn(manager, input, callerId));
    return this.get(id);
  }

  /** Records an interaction inside the caller's transaction (e.g. with the case it follows); its id. */
  async createIn(manager: EntityManager, input: CreateInteractionInput, callerId: string): Promise<string> {
    const [id] = await this.insertAll(manager, [input], callerId, singleInput);
    return id!;
  }

  /**
   * Records a batch of interactions inside the caller's transaction (a CRM migrating its contact
   * history, the demo's seed) under createIn's rules, every item checked before anything is written:
   * one reference check for all the batch's customers, agents and cases, then one INSERT per
   * ROWS_PER_INSERT interactions. A wrong item refuses the whole batch with createIn's error, the
   * field named as `interactions[i].field`. The ids, in the inputs' order.
   */
  createManyIn(
    manager: EntityManager,
    inputs: readonly CreateInteractionInput[],
    callerId: string,
  ): Promise<string[]> {
    return this.insertAll(manager, inputs, callerId, itemsOf('interactions'));
  }

  /** createIn and createManyIn: the agent defaults to the caller, the time to now. */
  private async insertAll(
    manager: EntityManager,
    inputs: readonly CreateInteractionInput[],
    callerId: string,
    fieldOf: FieldOf,
  ): Promise<string[]> {
    if (inputs.length === 0) return [];
    inputs.forEach((input, i) => assertNotFuture(fieldOf(i, 'occurredAt'), input.occurredAt));
    const rows = inputs.map((input) => ({
      customerId: input.customerId,
      channel: input.channel,
      direction: input.direction,
      subject: input.subject ?? null,
      summary: input.summary ?? null,
      agentId: input.agentId === undefined ? callerId : input.agentId,
      careCaseId: input.careCaseId ?? null,
      occurredAt: input.occurredAt ?? new Date(),
    }));
    await this.assertReferences(manager, rows, true, fieldOf);
    const ids: string[] = [];
    for (let first = 0; first < rows.length; first += ROWS_PER_INSERT) {
      const inserted = await manager.insert(Interaction, rows.slice(first, first + ROWS_PER_INSERT));
      ids.push(...inserted.identifiers.map((identifier) => (identifier as { id: string }).id));
    }
    return ids;
  }

  async update(id: string, input: UpdateInteractionInput): Promise<Interaction> {
    assertNotFuture('occurredAt', input.occurredAt);
    await inTransaction(this.dataSource, async (manager) => {
      const current = isUuid(id)
        ? await manager
            .getRepository(Interaction)
            .createQueryBuilder('i')
            .setLock('pessimistic_write')
            .where('i.id = :id', { id })
            .getOne()
        : null;
      if (!current) throw new NotFoundError('Interaction', id);
      await this.assertReferences(
        manager,
        [{ customerId: current.customerId, agentId: input.agentId, careCaseId: input.careCaseId }],
        false,
        singleInput,
      );
      const patch: Partial<Interaction> = {};
      if (input.channel) patch.channel = input.channel;
      if (input.direction) patch.direction = input.direction;
      if (input.subject !== undefined) patch.subject = input.subject;
      if (input.summary !== undefined) patch.summary = input.summary;
      if (input.agentId !== undefined) patch.agentId = input.agentId;
      if (input.careCaseId !== undefined) patch.careCaseId = input.careCaseId;
      if (input.occurredAt) patch.occurredAt = input.occurredAt;
      await manager.update(Interaction, { id }, { ...patch, updatedAt: () => 'now()' });
    });
    return this.get(id);
  }

  /**
   * What interactions point to, in one statement however many: each one's customer (when it is
   * being created), its agent, its care case, which must be a case of the same customer. Refuses
   * the first wrong reference, record by record in the order given, fields in that order.
   */
  private async assertReferences(
    manager: EntityManager,
    records: readonly InteractionReferences[],
    checkCustomer: boolean,
    fieldOf: FieldOf,
  ): Promise<void> {
    const probesOf = records.map((record, i) => {
      const probes: RowProbe[] = [];
      if (checkCustomer)
        probes.push({ table: 'customer', id: record.customerId, field: fieldOf(i, 'customerId') });
      if (record.agentId)
        probes.push({ table: 'app_user', id: record.agentId, field: fieldOf(i, 'agentId') });
      if (record.careCaseId) {
        probes.push({ table: 'care_case', id: record.careCaseId, field: fieldOf(i, 'careCaseId') });
      }
      return probes;
    });
    const probes = probesOf.flat();
    if (probes.length === 0) return;
    const answers = await probeRows(manager, probes);
    let next = 0;
    records.forEach((record, i) => {
      for (const probe of probesOf[i]!) {
        const answer = answers[next++];
        if (answer === null || answer === undefined) throw missingRow(probe);
        if (probe.table === 'care_case' && answer !== record.customerId) {
          throw new ValidationError(probe.field, 'is a case of another customer');
        }
      }
    });
  }
}
