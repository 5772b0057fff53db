import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';
import { runPrepared } from '#platform/database/named-queries';
import { type PgQueryable, pgRunQuery, type RunQuery, searchCustomerRows } from './customer-search.js';
import type { LifecycleStage } from './customer.enums.js';
import { Customer, CustomerEmail, CustomerPhone } from './customer.entity.js';
import type { CustomAttributes } from './custom-attributes.js';
import { CUSTOMER_COLUMNS, CUSTOMER_QUERIES } from './customers.queries.js';

interface CustomerRow {
  id: string;
  first_name: string;
  last_name: string;
  address_line1: string | null;
  address_line2: string | null;
  address_postal_code: string | null;
  address_city: string | null;
  address_region: string | null;
  address_country: string | null;
  language: string | null;
  lifecycle_stage: LifecycleStage;
  owner_id: string | null;
  tags: string[];
  attributes: CustomAttributes;
  external_id: string | null;
  created_at: Date;
  updated_at: Date;
  deleted_at: Date | null;
}

interface EmailRow {
  id: string;
  customer_id: string;
  address: string;
  is_primary: boolean;
  created_at: Date;
}

interface PhoneRow {
  id: string;
  customer_id: string;
  number: string;
  is_primary: boolean;
  created_at: Date;
}

function customerOf(row: CustomerRow): Customer {
  return Object.assign(new Customer(), {
    id: row.id,
    firstName: row.first_name,
    lastName: row.last_name,
    address: {
      line1: row.address_line1,
      line2: row.address_line2,
      postalCode: row.address_postal_code,
      city: row.address_city,
      region: row.address_region,
      country: row.address_country,
    },
    language: row.language,
    lifecycleStage: row.lifecycle_stage,
    ownerId: row.owner_id,
    tags: row.tags,
    attributes: row.attributes,
    externalId: row.external_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    deletedAt: row.deleted_at,
  });
}

type CustomerQuery = keyof typeof CUSTOMER_QUERIES.statements;

/** Typed reads of customers, their e-mails and phones; ids must already be valid UUIDs. */
@Injectable()
export class CustomersRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private rows<Row>(name: CustomerQuery, values: unknown[]): Promise<Row[]> {
    return runPrepared<Row, CustomerQuery>(this.dataSource, CUSTOMER_QUERIES, name, values);
  }

  /**
   * The customer search (customer-search.ts): its statements depend on the query (which indexes
   * can answer it), so they are sent as they are built, on the pool like the prepared reads (not
   * through TypeORM's query runner), and the last one returns the page's customers themselves.
   */
  async search(text: string, limit: number): Promise<Customer[]> {
    const onPool = pgRunQuery((this.dataSource.driver as PostgresDriver).master as PgQueryable);
    const run: RunQuery = (sql, values, name) => {
      this.dataSource.logger.logQuery(sql, values);
      return onPool(sql, values, name);
    };
    return ((await searchCustomerRows(run, text, limit, CUSTOMER_COLUMNS)) as CustomerRow[]).map(customerOf);
  }

  async liveById(id: string): Promise<Customer | undefined> {
    const [row] = await this.rows<CustomerRow>('liveById', [id]);
    return row ? customerOf(row) : undefined;
  }

  /** In no particular order; soft-deleted ones only with `withDeleted`. */
  async byIds(ids: readonly string[], withDeleted: boolean): Promise<Customer[]> {
    const name: CustomerQuery = withDeleted ? 'anyByIds' : 'liveByIds';
    return (await this.rows<CustomerRow>(name, [ids])).map(customerOf);
  }

  /** Primary first, then by address. */
  async emailsOf(customerIds: readonly string[]): Promise<CustomerEmail[]> {
    const rows = await this.rows<EmailRow>('emailsOf', [customerIds]);
    return rows.map((r) =>
      Object.assign(new CustomerEmail(), {
        id: r.id,
        customerId: r.customer_id,
        address: r.address,
        isPrimary: r.is_primary,
        createdAt: r.created_at,
      }),
    );
  }

  /** Primary first, then by number. */
  async phonesOf(customerIds: readonly string[]): Promise<CustomerPhone[]> {
    const rows = await this.rows<PhoneRow>('phonesOf', [customerIds]);
    return rows.map((r) =>
      Object.assign(new CustomerPhone(), {
        id: r.id,
        customerId: r.customer_id,
        number: r.number,
        isPrimary: r.is_primary,
        createdAt: r.created_at,
      }),
    );
  }
}
