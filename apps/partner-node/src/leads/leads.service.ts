import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, type EntityManager, Repository } from 'typeorm';
import { ConflictError, NotFoundError, ValidationError } from '#platform/errors/app-errors';
import { type ConnectionShape, type KeysetSort, paginate, type PageArgs } from '#platform/graphql/connection';
import { toE164 } from '#platform/validation/validators';
import { Customer, CustomerEmail, CustomerPhone } from '../customers/customer.entity.js';
import { LifecycleStage } from '../customers/customer.enums.js';
import { inTransaction } from '#platform/database/transaction';
import { assertRow } from '../database/assert-row.js';
import { isUuid } from '#platform/validation/ids';
import { LeadSort, LeadSource, LeadStatus } from './lead.enums.js';
import { Lead } from './lead.entity.js';
import type { CreateLeadInput, LeadFilter, UpdateLeadInput } from './leads.dto.js';

const keyset = (
  column: string,
  value: (l: Lead) => unknown,
  direction: 'ASC' | 'DESC',
): KeysetSort<Lead> => ({
  column,
  value,
  direction,
  idColumn: 'l.id',
  id: (l) => l.id,
});

const SORTS: Record<LeadSort, KeysetSort<Lead>> = {
  [LeadSort.CREATED_AT_DESC]: keyset('l.created_at', (l) => l.createdAt, 'DESC'),
  [LeadSort.CREATED_AT_ASC]: keyset('l.created_at', (l) => l.createdAt, 'ASC'),
  [LeadSort.SCORE_DESC]: keyset('l.score', (l) => l.score, 'DESC'),
  [LeadSort.UPDATED_AT_DESC]: keyset('l.updated_at', (l) => l.updatedAt, 'DESC'),
};

const phoneOf = (raw: string | null | undefined): string | null => (raw ? (toE164(raw) ?? null) : null);

export interface LeadConversion {
  lead: Lead;
  customer: Customer;
  /** True when a new customer was made from the lead, false when an existing one was linked. */
  createdCustomer: boolean;
}

@Injectable()
export class LeadsService {
  constructor(
    @InjectRepository(Lead) private readonly leads: Repository<Lead>,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async get(id: string): Promise<Lead> {
    const found = isUuid(id) ? await this.leads.findOneBy({ id }) : null;
    if (!found) throw new NotFoundError('Lead', id);
    return found;
  }

  list(
    filter: LeadFilter = {},
    sort: LeadSort = LeadSort.CREATED_AT_DESC,
    page: PageArgs = {},
  ): Promise<ConnectionShape<Lead>> {
    const query = this.leads.createQueryBuilder('l');
    if (filter.statuses?.length) query.andWhere('l.status = ANY(:statuses)', { statuses: filter.statuses });
    if (filter.sources?.length) query.andWhere('l.source = ANY(:sources)', { sources: filter.sources });
    if (filter.minScore !== undefined) query.andWhere('l.score >= :minScore', { minScore: filter.minScore });
    if (filter.ownerId) query.andWhere('l.owner_id = :ownerId', { ownerId: filter.ownerId });
    if (filter.campaignRef)
      query.andWhere('l.campaign_ref = :campaignRef', { campaignRef: filter.campaignRef });
    if (filter.createdFrom)
      query.andWhere('l.created_at >= :createdFrom', { createdFrom: filter.createdFrom });
    if (filter.createdBefore)
      query.andWhere('l.created_at < :createdBefore', { createdBefore: filter.createdBefore });
    return paginate(query, SORTS[sort], page);
  }

  async create(input: CreateLeadInput): Promise<Lead> {
    const id = await inTransaction(this.dataSource, async (manager) => {
      if (input.ownerId) await assertRow(manager, 'app_user', input.ownerId, 'ownerId');
      const inserted = await manager.insert(Lead, {
        firstName: input.firstName,
        lastName: input.lastName,
        email: input.email ?? null,
        phone: phoneOf(input.phone),
        companyName: input.companyName ?? null,
        source: input.source ?? LeadSource.OTHER,
        status: input.status ?? LeadStatus.NEW,
        score: input.score ?? 0,
        campaignRef: input.campaignRef ?? null,
        ownerId: input.ownerId ?? null,
      });
      return (inserted.identifiers[0] as { id: string }).id;
    });
    return this.get(id);
  }

  async update(id: string, input: UpdateLeadInput): Promise<Lead> {
    await inTransaction(this.dataSource, async (manager) => {
      const current = await this.lock(manager, id);
      if (input.status && current.status === LeadStatus.CONVERTED) {
        throw new ValidationError('status', 'the lead is CONVERTED: its status no longer changes');
      }
      if (input.ownerId) await assertRow(manager, 'app_user', input.ownerId, 'ownerId');
      const patch: Partial<Lead> = {};
      if (input.firstName) patch.firstName = input.firstName;
      if (input.lastName) patch.lastName = input.lastName;
      if (input.email !== undefined) patch.email = input.email;
      if (input.phone !== undefined) patch.phone = phoneOf(input.phone);
      if (input.companyName !== undefined) patch.companyName = input.companyName;
      if (input.source) patch.source = input.source;
      if (input.status) patch.status = input.status;
      if (input.score !== undefined && input.score !== null) patch.score = input.score;
      if (input.campaignRef !== undefined) patch.campaignRef = input.campaignRef;
      if (input.ownerId !== undefined) patch.ownerId = input.ownerId;
      await manager.update(Lead, { id }, { ...patch, updatedAt: () => 'now()' });
    });
    return this.get(id);
  }

  /**
   * Converts a lead, in one transaction: links the given existing customer, or makes a new
   * customer (lifecycle CUSTOMER, owned by the lead's owner) from the lead's name, e-mail and
   * phone; then marks the lead CONVERTED with the customer and the time. A converted or
   * disqualified lead is refused.
   *
   * The customer is inserted through this transaction's EntityManager: CustomersService.create
   * opens its own transaction, which would not roll back with this one.
   */
  async convert(id: string, customerId?: string | null): Promise<LeadConversion> {
    const result = await inTransaction(this.dataSource, async (manager) => {
      const lead = await this.lock(manager, id);
      if (lead.status === LeadStatus.CONVERTED) {
        throw new ConflictError(`Lead ${id} is already converted`, {
          field: 'id',
          customerId: lead.customerId,
        });
      }
      if (lead.status === LeadStatus.DISQUALIFIED) {
        throw new ValidationError('id', 'the lead is DISQUALIFIED: requalify it before converting it');
      }
      let target: string;
      if (customerId) {
        await assertRow(manager, 'customer', customerId, 'customerId');
        target = customerId;
      } else {
        target = await this.customerFromLead(manager, lead);
      }
      await manager.update(
        Lead,
        { id },
        {
          status: LeadStatus.CONVERTED,
          customerId: target,
          convertedAt: new Date(),
          updatedAt: () => 'now()',
        },
      );
      return { customerId: target, createdCustomer: !customerId };
    });
    const lead = await this.get(id);
    const customer = await this.dataSource
      .getRepository(Customer)
      .findOneOrFail({ where: { id: result.customerId }, withDeleted: true });
    return { lead, customer, createdCustomer: result.createdCustomer };
  }

  private async customerFromLead(manager: EntityManager, lead: Lead): Promise<string> {
    const inserted = await manager.insert(Customer, {
      firstName: lead.firstName,
      lastName: lead.lastName,
      address: { line1: null, line2: null, postalCode: null, city: null, region: null, country: null },
      language: null,
      lifecycleStage: LifecycleStage.CUSTOMER,
      ownerId: lead.ownerId,
      tags: [],
      attributes: {},
      externalId: null,
    });
    const customerId = (inserted.identifiers[0] as { id: string }).id;
    if (lead.email) await manager.insert(CustomerEmail, { customerId, address: lead.email, isPrimary: true });
    if (lead.phone) await manager.insert(CustomerPhone, { customerId, number: lead.phone, isPrimary: true });
    return customerId;
  }

  private async lock(manager: EntityManager, id: string): Promise<Lead> {
    const found = isUuid(id)
      ? await manager
          .getRepository(Lead)
          .createQueryBuilder('l')
          .setLock('pessimistic_write')
          .where('l.id = :id', { id })
          .getOne()
      : null;
    if (!found) throw new NotFoundError('Lead', id);
    return found;
  }
}
