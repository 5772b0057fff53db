import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { runNamed, type Queryable } from '#platform/database/named-queries';
import { CUSTOMER_IDENTIFIER_QUERIES } from './customer-identifiers.queries.js';

/** One identifier of a customer: an e-mail address or a phone number, as stored. */
export interface CustomerIdentifier {
  kind: 'email' | 'phone';
  value: string;
}

interface EmailAddressRow {
  customer_id: string;
  address: string;
}

interface PhoneNumberRow {
  customer_id: string;
  number: string;
}

/**
 * The identifiers of customers other modules read (the agreements module turns them into subject
 * tokens): the statements are in customer-identifiers.queries.ts and, generated, in
 * queries/customers.sql. Ids must already be valid UUIDs.
 */
@Injectable()
export class CustomerIdentifiersRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * One live customer's identifiers (as `identifiersOf` orders them) in one statement; undefined
   * when the customer is unknown or deleted. Runs on `runner` when inside a transaction.
   */
  async identifiersOfOne(
    customerId: string,
    runner: Queryable = this.dataSource,
  ): Promise<CustomerIdentifier[] | undefined> {
    const rows = await runNamed<{ kind: 'email' | 'phone' | null; value: string | null }, 'identifiersOfOne'>(
      runner,
      CUSTOMER_IDENTIFIER_QUERIES,
      'identifiersOfOne',
      [customerId],
    );
    if (rows.length === 0) return undefined;
    return rows.flatMap((r) => (r.kind && r.value !== null ? [{ kind: r.kind, value: r.value }] : []));
  }

  /**
   * Live customers' identifiers by customer id in three statements: a customer missing from the
   * answer is unknown or deleted; per customer its e-mails (primary first, then by address), then
   * its phones (primary first, then by number). Runs on `runner` when inside a transaction.
   */
  async identifiersOf(
    customerIds: readonly string[],
    runner: Queryable = this.dataSource,
  ): Promise<Map<string, CustomerIdentifier[]>> {
    const result = new Map<string, CustomerIdentifier[]>();
    if (customerIds.length === 0) return result;
    const q = CUSTOMER_IDENTIFIER_QUERIES;
    const live = await runNamed<{ id: string }, 'liveIdsAmong'>(runner, q, 'liveIdsAmong', [customerIds]);
    for (const { id } of live) result.set(id, []);
    if (result.size === 0) return result;
    const emails = await runNamed<EmailAddressRow, 'emailAddressesOf'>(runner, q, 'emailAddressesOf', [
      customerIds,
    ]);
    const phones = await runNamed<PhoneNumberRow, 'phoneNumbersOf'>(runner, q, 'phoneNumbersOf', [
      customerIds,
    ]);
    for (const e of emails) result.get(e.customer_id)?.push({ kind: 'email', value: e.address });
    for (const p of phones) result.get(p.customer_id)?.push({ kind: 'phone', value: p.number });
    return result;
  }
}
