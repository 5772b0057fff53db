import { inTransaction } from '#platform/database/transaction';
import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, type EntityManager, Repository } from 'typeorm';
import { NotFoundError } from '#platform/errors/app-errors';
import { type ConnectionShape, type KeysetSort, paginate, type PageArgs } from '#platform/graphql/connection';
import { isUuid } from '#platform/validation/ids';
import { CustomersService } from '../customers/customers.service.js';
import { Company, CompanyMembership, CompanySort } from './company.entity.js';
import type { CompanyFilter, CreateCompanyInput, UpdateCompanyInput } from './companies.dto.js';
import { runNamed } from '#platform/database/named-queries';
import { COMPANY_MEMBER_QUERIES } from './company-members.queries.js';

/** Company.customers lists at most this many links per company; beyond, use customers(filter: {companyId}). */
export const MAX_MEMBERS_PER_COMPANY = 200;

function keyset(column: string, value: (c: Company) => unknown, direction: 'ASC' | 'DESC') {
  return { column, value, direction, idColumn: 'co.id', id: (c: Company) => c.id };
}

const SORTS: Record<CompanySort, KeysetSort<Company>> = {
  [CompanySort.NAME_ASC]: keyset('co.name', (c) => c.name, 'ASC'),
  [CompanySort.NAME_DESC]: keyset('co.name', (c) => c.name, 'DESC'),
  [CompanySort.CREATED_AT_DESC]: keyset('co.created_at', (c) => c.createdAt, 'DESC'),
  [CompanySort.CREATED_AT_ASC]: keyset('co.created_at', (c) => c.createdAt, 'ASC'),
};

const likeEscape = (value: string): string => value.replace(/[\\%_]/g, (c) => `\\${c}`);

@Injectable()
export class CompaniesService {
  constructor(
    @InjectRepository(Company) private readonly companies: Repository<Company>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly customers: CustomersService,
  ) {}

  async get(id: string): Promise<Company> {
    const company = isUuid(id) ? await this.companies.findOneBy({ id }) : null;
    if (!company) throw new NotFoundError('Company', id);
    return company;
  }

  async assertExists(id: string, manager?: EntityManager): Promise<void> {
    const repository = manager ? manager.getRepository(Company) : this.companies;
    if (!isUuid(id) || !(await repository.existsBy({ id }))) throw new NotFoundError('Company', id);
  }

  findByIds(ids: readonly string[]): Promise<Company[]> {
    const valid = [...new Set(ids)].filter(isUuid);
    if (valid.length === 0) return Promise.resolve([]);
    return this.companies.createQueryBuilder('co').where('co.id = ANY(:ids)', { ids: valid }).getMany();
  }

  list(
    filter: CompanyFilter = {},
    sort: CompanySort = CompanySort.NAME_ASC,
    page: PageArgs = {},
  ): Promise<ConnectionShape<Company>> {
    const query = this.companies.createQueryBuilder('co');
    if (filter.nameContains)
      query.andWhere('lower(co.name) LIKE :name', {
        name: `%${likeEscape(filter.nameContains.toLowerCase())}%`,
      });
    if (filter.domain) query.andWhere('co.domain = :domain', { domain: filter.domain });
    if (filter.industry) query.andWhere('co.industry = :industry', { industry: filter.industry });
    if (filter.sizeBand) query.andWhere('co.size_band = :sizeBand', { sizeBand: filter.sizeBand });
    return paginate(query, SORTS[sort], page);
  }

  async create(input: CreateCompanyInput): Promise<Company> {
    const id = await this.write(async (manager) => {
      const inserted = await manager.insert(Company, {
        name: input.name,
        domain: input.domain ?? null,
        vatNumber: input.vatNumber ?? null,
        industry: input.industry ?? null,
        sizeBand: input.sizeBand ?? null,
        externalId: input.externalId ?? null,
      });
      return (inserted.identifiers[0] as { id: string }).id;
    });
    return this.get(id);
  }

  async update(id: string, input: UpdateCompanyInput): Promise<Company> {
    await this.write(async (manager) => {
      await this.assertExists(id, manager);
      const patch: Partial<Company> = {};
      if (input.name !== undefined) patch.name = input.name;
      if (input.domain !== undefined) patch.domain = input.domain;
      if (input.vatNumber !== undefined) patch.vatNumber = input.vatNumber;
      if (input.industry !== undefined) patch.industry = input.industry;
      if (input.sizeBand !== undefined) patch.sizeBand = input.sizeBand;
      if (input.externalId !== undefined) patch.externalId = input.externalId;
      await manager.update(Company, { id }, { ...patch, updatedAt: () => 'now()' });
    });
    return this.get(id);
  }

  /** Deletes the company and its links to customers (the customers stay). */
  async delete(id: string): Promise<void> {
    await this.assertExists(id);
    await this.companies.delete({ id });
  }

  /** Links a customer to a company with a role; linking again changes the role. */
  async link(customerId: string, companyId: string, role: string): Promise<CompanyMembership> {
    await this.write(async (manager) => {
      await this.customers.assertExists(customerId, manager);
      await this.assertExists(companyId, manager);
      await manager.query(
        `INSERT INTO customer_company (customer_id, company_id, role) VALUES ($1, $2, $3)
         ON CONFLICT (customer_id, company_id) DO UPDATE SET role = excluded.role, updated_at = now()`,
        [customerId, companyId, role],
      );
    });
    return this.dataSource.getRepository(CompanyMembership).findOneByOrFail({ customerId, companyId });
  }

  async unlink(customerId: string, companyId: string): Promise<void> {
    const result = await this.dataSource.getRepository(CompanyMembership).delete({ customerId, companyId });
    if (!result.affected) throw new NotFoundError('CompanyMembership', `${customerId}/${companyId}`);
  }

  /** The companies of several customers: one query for a whole page of customers. */
  membershipsOfCustomers(customerIds: readonly string[]): Promise<CompanyMembership[]> {
    return this.dataSource
      .getRepository(CompanyMembership)
      .createQueryBuilder('m')
      .where('m.customer_id = ANY(:ids)', { ids: [...customerIds] })
      .orderBy('m.created_at', 'ASC')
      .getMany();
  }

  /** The live customers of several companies, newest links first, at most MAX_MEMBERS_PER_COMPANY each. */
  async membershipsOfCompanies(companyIds: readonly string[]): Promise<CompanyMembership[]> {
    const rows = await runNamed<
      { customer_id: string; company_id: string; role: string; created_at: Date; updated_at: Date },
      'liveMembersOfCompanies'
    >(this.dataSource, COMPANY_MEMBER_QUERIES, 'liveMembersOfCompanies', [
      [...companyIds],
      MAX_MEMBERS_PER_COMPANY,
    ]);
    return rows.map((r) =>
      Object.assign(new CompanyMembership(), {
        customerId: r.customer_id,
        companyId: r.company_id,
        role: r.role,
        createdAt: r.created_at,
        updatedAt: r.updated_at,
      }),
    );
  }

  /** One transaction per write; a taken externalId becomes a CONFLICT naming the field. */
  private write<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return inTransaction(this.dataSource, work, {
      company_external_id_key: {
        field: 'externalId',
        message: 'A company with this external id already exists',
      },
    });
  }
}
