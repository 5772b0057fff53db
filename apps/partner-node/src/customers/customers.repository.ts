import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { type NamedStatement, namedStatements } from '#platform/database/named-statements';
import type { LifecycleStage } from './customer.enums.js';
import { Customer, CustomerEmail, CustomerPhone } from './customer.entity.js';
import type { CustomAttributes } from './custom-attributes.js';

const CUSTOMER_COLUMNS = `c.id, c.first_name, c.last_name, c.address_line1, c.address_line2,
  c.address_postal_code, c.address_city, c.address_region, c.address_country, c.language,
  c.lifecycle_stage, c.owner_id, c.tags, c.attributes, c.external_id, c.created_at, c.updated_at,
  c.deleted_at`;

/**
 * The customer module's hot reads, as the SQL that runs: fixed texts, prepared once per connection
 * under their names (`customers.spec.ts` plans each of them against the migrated schema). Writes,
 * lists with filters and sorts stay with TypeORM in CustomersService. The conditions and orders are
 * those of the bare handler of `npm run bench:graphql` (bench/bare-graphql-server.ts), which selects
 * `*` and leaves the array's type to PostgreSQL.
 */
export const CUSTOMER_STATEMENTS = {
  liveById: {
    name: 'customers.liveById',
    text: `SELECT ${CUSTOMER_COLUMNS} FROM customer c WHERE c.id = $1 AND c.deleted_at IS NULL`,
  },
  liveByIds: {
    name: 'customers.liveByIds',
    text: `SELECT ${CUSTOMER_COLUMNS} FROM customer c WHERE c.id = ANY($1::uuid[]) AND c.deleted_at IS NULL`,
  },
  anyByIds: {
    name: 'customers.anyByIds',
    text: `SELECT ${CUSTOMER_COLUMNS} FROM customer c WHERE c.id = ANY($1::uuid[])`,
  },
  emailsOf: {
    name: 'customers.emailsOf',
    text: `SELECT e.id, e.customer_id, e.address, e.is_primary, e.created_at FROM customer_email e
      WHERE e.customer_id = ANY($1::uuid[]) ORDER BY e.is_primary DESC, e.address ASC`,
  },
  phonesOf: {
    name: 'customers.phonesOf',
    text: `SELECT p.id, p.customer_id, p.number, p.is_primary, p.created_at FROM customer_phone p
      WHERE p.customer_id = ANY($1::uuid[]) ORDER BY p.is_primary DESC, p.number ASC`,
  },
} as const satisfies Record<string, NamedStatement>;

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

/** Typed reads of customers, their e-mails and phones; ids must already be valid UUIDs. */
@Injectable()
export class CustomersRepository {
  private readonly run: ReturnType<typeof namedStatements>;

  constructor(@InjectDataSource() dataSource: DataSource) {
    this.run = namedStatements(dataSource);
  }

  async liveById(id: string): Promise<Customer | undefined> {
    const [row] = await this.run<CustomerRow>(CUSTOMER_STATEMENTS.liveById, [id]);
    return row ? customerOf(row) : undefined;
  }

  /** In no particular order; soft-deleted ones only with `withDeleted`. */
  async byIds(ids: readonly string[], withDeleted: boolean): Promise<Customer[]> {
    const statement = withDeleted ? CUSTOMER_STATEMENTS.anyByIds : CUSTOMER_STATEMENTS.liveByIds;
    return (await this.run<CustomerRow>(statement, [ids])).map(customerOf);
  }

  /** Primary first, then by address. */
  async emailsOf(customerIds: readonly string[]): Promise<CustomerEmail[]> {
    const rows = await this.run<EmailRow>(CUSTOMER_STATEMENTS.emailsOf, [customerIds]);
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
    const rows = await this.run<PhoneRow>(CUSTOMER_STATEMENTS.phonesOf, [customerIds]);
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
