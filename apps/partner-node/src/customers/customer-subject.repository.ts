import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { runNamed, type Queryable } from '#platform/database/named-queries';
import { CUSTOMER_SUBJECT_QUERIES } from './customer-subject.queries.js';

type Query = keyof typeof CUSTOMER_SUBJECT_QUERIES.statements;

/**
 * The customers module's statements about one data subject, for the compliance officer (access
 * report, erasure): customer-subject.queries.ts. Ids must already be valid UUIDs. Each runs on
 * `runner` when given (a transaction's manager).
 */
@Injectable()
export class CustomerSubjectRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private rows<Row>(runner: Queryable | undefined, name: Query, values: unknown[]): Promise<Row[]> {
    return runNamed<Row, Query>(runner ?? this.dataSource, CUSTOMER_SUBJECT_QUERIES, name, values);
  }

  /** The customer exists (soft-deleted and erased customers included). */
  async exists(customerId: string, runner?: Queryable): Promise<boolean> {
    return (await this.rows(runner, 'exists', [customerId])).length > 0;
  }

  /** Locks the customer's row for the erasure; false when there is no such customer. */
  async lockForErasure(runner: Queryable, customerId: string): Promise<boolean> {
    return (await this.rows(runner, 'lockForErasure', [customerId])).length > 0;
  }

  /** Erasure: deletes the customer's e-mail addresses and phone numbers; how many of each. */
  async eraseContacts(runner: Queryable, customerId: string): Promise<{ emails: number; phones: number }> {
    const [emails] = await this.rows<{ n: number }>(runner, 'eraseEmails', [customerId]);
    const [phones] = await this.rows<{ n: number }>(runner, 'erasePhones', [customerId]);
    return { emails: emails?.n ?? 0, phones: phones?.n ?? 0 };
  }

  /** Erasure: the customer's row becomes a tombstone named `name` (nothing personal left). */
  async tombstone(runner: Queryable, customerId: string, name: string): Promise<void> {
    await this.rows(runner, 'tombstone', [customerId, name]);
  }

  /** The id of the customer with this external id (soft-deleted and erased included). */
  async idOfExternal(externalId: string, runner?: Queryable): Promise<string | undefined> {
    const [row] = await this.rows<{ id: string }>(runner, 'idOfExternal', [externalId]);
    return row?.id;
  }

  /**
   * Data portability (GDPR Art. 20) and access: the customer's row, e-mail addresses and phone
   * numbers, whole (in the caller's transaction); undefined when there is no such customer.
   */
  async portable(
    runner: Queryable,
    customerId: string,
  ): Promise<
    | {
        customer: Record<string, unknown>;
        emails: Record<string, unknown>[];
        phones: Record<string, unknown>[];
      }
    | undefined
  > {
    const [customer] = await this.rows<Record<string, unknown>>(runner, 'portableCustomer', [customerId]);
    if (!customer) return undefined;
    const emails = await this.rows<Record<string, unknown>>(runner, 'portableEmails', [customerId]);
    const phones = await this.rows<Record<string, unknown>>(runner, 'portablePhones', [customerId]);
    return { customer, emails, phones };
  }
}
