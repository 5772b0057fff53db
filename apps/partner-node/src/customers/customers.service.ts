import { inTransaction } from '#platform/database/transaction';
import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, type EntityManager, Repository } from 'typeorm';
import { ConflictError, NotFoundError, ValidationError } from '#platform/errors/app-errors';
import { type ConnectionShape, type KeysetSort, paginate, type PageArgs } from '#platform/graphql/connection';
import { toE164 } from '#platform/validation/validators';
import { canonicalLanguageTag } from './customer-validators.js';
import { CustomerSort, LifecycleStage } from './customer.enums.js';
import { Customer, CustomerEmail, CustomerPhone, type PostalAddress } from './customer.entity.js';
import type {
  CreateCustomerInput,
  CustomerEmailInput,
  CustomerFilter,
  CustomerPhoneInput,
  PostalAddressInput,
  UpdateCustomerInput,
} from './customers.dto.js';
import { isUuid } from '#platform/validation/ids';
import { customerInCompany } from '../companies/company-members.queries.js';
import { ErasureRecordsRepository } from '../compliance/erasure-records.repository.js';
import { UsersService } from '../users/users.service.js';
import { CustomersRepository } from './customers.repository.js';

export const MAX_SEARCH_RESULTS = 50;

const SORTS: Record<CustomerSort, KeysetSort<Customer>> = {
  [CustomerSort.CREATED_AT_DESC]: keyset('c.created_at', (c) => c.createdAt, 'DESC'),
  [CustomerSort.CREATED_AT_ASC]: keyset('c.created_at', (c) => c.createdAt, 'ASC'),
  [CustomerSort.UPDATED_AT_DESC]: keyset('c.updated_at', (c) => c.updatedAt, 'DESC'),
  [CustomerSort.UPDATED_AT_ASC]: keyset('c.updated_at', (c) => c.updatedAt, 'ASC'),
  [CustomerSort.LAST_NAME_ASC]: keyset('c.last_name', (c) => c.lastName, 'ASC'),
  [CustomerSort.LAST_NAME_DESC]: keyset('c.last_name', (c) => c.lastName, 'DESC'),
};

function keyset(column: string, value: (c: Customer) => unknown, direction: 'ASC' | 'DESC') {
  return { column, value, direction, idColumn: 'c.id', id: (c: Customer) => c.id };
}

interface ContactPoint {
  value: string;
  isPrimary: boolean;
}

/**
 * Normalises a list of e-mails or phones: no duplicates, exactly one primary when any exist
 * (the first one when none is marked), more than one marked is refused.
 */
function contactPoints(
  field: 'emails' | 'phones',
  items: { value: string; primary?: boolean }[],
): ContactPoint[] {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    if (seen.has(item.value)) throw new ValidationError(`${field}[${i}]`, 'appears twice');
    seen.add(item.value);
  });
  const primaries = items.filter((item) => item.primary).length;
  if (primaries > 1) throw new ValidationError(field, 'exactly one may be primary');
  return items.map((item, i) => ({
    value: item.value,
    isPrimary: primaries === 1 ? Boolean(item.primary) : i === 0,
  }));
}

const emailsOf = (emails: CustomerEmailInput[]): ContactPoint[] =>
  contactPoints(
    'emails',
    emails.map((e) => ({ value: e.address.trim().toLowerCase(), primary: e.primary })),
  );

const phonesOf = (phones: CustomerPhoneInput[]): ContactPoint[] =>
  contactPoints(
    'phones',
    phones.map((ph, i) => {
      const value = toE164(ph.number);
      if (!value)
        throw new ValidationError(`phones[${i}].number`, 'must be a phone number in international form');
      return { value, primary: ph.primary };
    }),
  );

function addressOf(input: PostalAddressInput | null | undefined): PostalAddress {
  const clean = (v: string | null | undefined) => (v === undefined || v === null || v === '' ? null : v);
  return {
    line1: clean(input?.line1),
    line2: clean(input?.line2),
    postalCode: clean(input?.postalCode),
    city: clean(input?.city),
    region: clean(input?.region),
    country: clean(input?.country),
  };
}

const uniqueTags = (tags: string[]): string[] => [...new Set(tags)];

@Injectable()
export class CustomersService {
  constructor(
    @InjectRepository(Customer) private readonly customers: Repository<Customer>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly reads: CustomersRepository,
    private readonly users: UsersService,
    private readonly erasures: ErasureRecordsRepository,
  ) {}

  /** A live customer; NotFoundError for an unknown, malformed or soft-deleted id. */
  async get(id: string): Promise<Customer> {
    const customer = isUuid(id) ? await this.reads.liveById(id) : undefined;
    if (!customer) throw new NotFoundError('Customer', id);
    return customer;
  }

  /** Throws NotFoundError unless the id is a live customer. */
  async assertExists(id: string, manager?: EntityManager): Promise<void> {
    const repository = manager ? manager.getRepository(Customer) : this.customers;
    if (!isUuid(id) || !(await repository.existsBy({ id }))) throw new NotFoundError('Customer', id);
  }

  /**
   * The live customers among these ids, in no particular order (use `byKey` of
   * `#platform/graphql/loaders` in DataLoaders); soft-deleted ones only with `withDeleted`.
   */
  findByIds(ids: readonly string[], options: { withDeleted?: boolean } = {}): Promise<Customer[]> {
    const valid = [...new Set(ids)].filter(isUuid);
    if (valid.length === 0) return Promise.resolve([]);
    return this.reads.byIds(valid, options.withDeleted ?? false);
  }

  list(
    filter: CustomerFilter = {},
    sort: CustomerSort = CustomerSort.CREATED_AT_DESC,
    page: PageArgs = {},
  ): Promise<ConnectionShape<Customer>> {
    const query = this.customers.createQueryBuilder('c');
    if (filter.deleted) query.withDeleted().andWhere('c.deleted_at IS NOT NULL');
    if (filter.lifecycleStages?.length)
      query.andWhere('c.lifecycle_stage = ANY(:stages)', { stages: filter.lifecycleStages });
    if (filter.tag !== undefined) query.andWhere('c.tags @> ARRAY[:tag]::text[]', { tag: filter.tag.trim() });
    if (filter.ownerId) query.andWhere('c.owner_id = :ownerId', { ownerId: filter.ownerId });
    if (filter.companyId)
      query.andWhere(customerInCompany('c.id', ':companyId'), { companyId: filter.companyId });
    if (filter.language)
      query.andWhere('c.language = :language', { language: canonicalLanguageTag(filter.language) });
    if (filter.country) query.andWhere('c.address_country = :country', { country: filter.country });
    if (filter.createdFrom)
      query.andWhere('c.created_at >= :createdFrom', { createdFrom: filter.createdFrom });
    if (filter.createdBefore)
      query.andWhere('c.created_at < :createdBefore', { createdBefore: filter.createdBefore });
    return paginate(query, SORTS[sort], page);
  }

  /** Customers matching a name (fragments, typos), an e-mail or a phone, best first. */
  async search(text: string, first = 20): Promise<Customer[]> {
    if (!Number.isInteger(first) || first < 1 || first > MAX_SEARCH_RESULTS) {
      throw new ValidationError('first', `must be between 1 and ${MAX_SEARCH_RESULTS}`);
    }
    return this.reads.search(text, first);
  }

  /**
   * Creates a customer with its e-mails and phones in one transaction, or inside the caller's
   * transaction when given its EntityManager (e.g. converting a lead).
   */
  async create(input: CreateCustomerInput, outer?: EntityManager): Promise<Customer> {
    const emails = emailsOf(input.emails ?? []);
    const phones = phonesOf(input.phones ?? []);
    const id = await this.write(outer, async (manager) => {
      if (input.ownerId) await this.assertUser(input.ownerId);
      const inserted = await manager.insert(Customer, {
        firstName: input.firstName.trim(),
        lastName: input.lastName.trim(),
        address: addressOf(input.address),
        language: input.language ? canonicalLanguageTag(input.language) : null,
        lifecycleStage: input.lifecycleStage ?? LifecycleStage.LEAD,
        ownerId: input.ownerId ?? null,
        tags: uniqueTags(input.tags ?? []),
        attributes: input.attributes ?? {},
        externalId: input.externalId ?? null,
      });
      const customerId = (inserted.identifiers[0] as { id: string }).id;
      await this.replaceEmails(manager, customerId, emails);
      await this.replacePhones(manager, customerId, phones);
      return customerId;
    });
    if (outer) return outer.getRepository(Customer).findOneByOrFail({ id });
    return this.get(id);
  }

  async update(id: string, input: UpdateCustomerInput): Promise<Customer> {
    const emails = input.emails ? emailsOf(input.emails) : undefined;
    const phones = input.phones ? phonesOf(input.phones) : undefined;
    await this.write(undefined, async (manager) => {
      await this.assertExists(id, manager);
      if (input.ownerId) await this.assertUser(input.ownerId);
      const patch: Partial<Customer> = {};
      if (input.firstName !== undefined) patch.firstName = input.firstName.trim();
      if (input.lastName !== undefined) patch.lastName = input.lastName.trim();
      if (input.address !== undefined) patch.address = addressOf(input.address);
      if (input.language !== undefined)
        patch.language = input.language ? (canonicalLanguageTag(input.language) ?? null) : null;
      if (input.lifecycleStage !== undefined) patch.lifecycleStage = input.lifecycleStage;
      if (input.ownerId !== undefined) patch.ownerId = input.ownerId;
      if (input.tags !== undefined) patch.tags = uniqueTags(input.tags);
      if (input.attributes !== undefined) patch.attributes = input.attributes;
      if (input.externalId !== undefined) patch.externalId = input.externalId;
      // Always touched, also when only e-mails or phones change.
      await manager.update(Customer, { id }, { ...patch, updatedAt: () => 'now()' });
      if (emails) await this.replaceEmails(manager, id, emails);
      if (phones) await this.replacePhones(manager, id, phones);
    });
    return this.get(id);
  }

  /** Soft delete: the customer disappears from every read until an admin restores it. */
  async softDelete(id: string): Promise<void> {
    await this.assertExists(id);
    await this.customers.softDelete({ id });
  }

  async restore(id: string): Promise<Customer> {
    const found = isUuid(id) ? await this.customers.findOne({ where: { id }, withDeleted: true }) : null;
    if (!found) throw new NotFoundError('Customer', id);
    // An erased customer (GDPR Art. 17, compliance module) is a tombstone: never restored.
    if (await this.erasures.erased(id)) {
      throw new ConflictError('This customer was erased: it cannot be restored', {
        reason: 'CUSTOMER_ERASED',
      });
    }
    if (found.deletedAt) await this.customers.restore({ id });
    return this.get(id);
  }

  /** E-mails of several customers, primary first: one query for a whole page. */
  emailsOf(customerIds: readonly string[]): Promise<CustomerEmail[]> {
    return this.reads.emailsOf(customerIds.filter(isUuid));
  }

  /** Phones of several customers, primary first: one query for a whole page. */
  phonesOf(customerIds: readonly string[]): Promise<CustomerPhone[]> {
    return this.reads.phonesOf(customerIds.filter(isUuid));
  }

  private async assertUser(ownerId: string): Promise<void> {
    const found = isUuid(ownerId) ? await this.users.findByIds([ownerId]) : [];
    if (found.length === 0) throw new ValidationError('ownerId', `no user has the id ${ownerId}`);
  }

  private async replaceEmails(manager: EntityManager, customerId: string, emails: ContactPoint[]) {
    await manager.delete(CustomerEmail, { customerId });
    if (emails.length)
      await manager.insert(
        CustomerEmail,
        emails.map((e) => ({ customerId, address: e.value, isPrimary: e.isPrimary })),
      );
  }

  private async replacePhones(manager: EntityManager, customerId: string, phones: ContactPoint[]) {
    await manager.delete(CustomerPhone, { customerId });
    if (phones.length)
      await manager.insert(
        CustomerPhone,
        phones.map((p) => ({ customerId, number: p.value, isPrimary: p.isPrimary })),
      );
  }

  /** One transaction per write (or the caller's); a taken externalId becomes a CONFLICT naming the field. */
  private write<T>(
    outer: EntityManager | undefined,
    work: (manager: EntityManager) => Promise<T>,
  ): Promise<T> {
    return inTransaction(
      this.dataSource,
      work,
      {
        customer_external_id_key: {
          field: 'externalId',
          message: 'A customer with this external id already exists',
        },
      },
      outer,
    );
  }
}
