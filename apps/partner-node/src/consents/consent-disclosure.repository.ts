import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { runNamed, type Queryable } from '#platform/database/named-queries';
import { CONSENT_DISCLOSURE_QUERIES } from './consent-disclosure.queries.js';

type Query = keyof typeof CONSENT_DISCLOSURE_QUERIES.statements;

export interface ConsentOfCustomerRow {
  id: string;
  /** Not withdrawn. */
  live: boolean;
}

export interface ConsentRecipientRow {
  consent_id: string;
  recipient: string;
  /** Refused by the federation, or a withdrawal with nothing to tell: no purge is awaited. */
  not_needed: boolean;
}

export interface ConsentPurposeCountRow {
  purpose: string;
  live: number;
  withdrawn: number;
  expired: number;
}

/**
 * What the consents module holds about a customer, for the compliance officer (access report,
 * erasure, records of processing): statements in consent-disclosure.queries.ts. Each runs on
 * `runner` when given (a transaction's manager).
 */
@Injectable()
export class ConsentDisclosureRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private rows<Row>(runner: Queryable | undefined, name: Query, values: unknown[] = []): Promise<Row[]> {
    return runNamed<Row, Query>(runner ?? this.dataSource, CONSENT_DISCLOSURE_QUERIES, name, values);
  }

  /** The customer's consents, oldest first. */
  ofCustomer(customerId: string, runner?: Queryable): Promise<ConsentOfCustomerRow[]> {
    return this.rows(runner, 'idsOfCustomer', [customerId]);
  }

  /** The customer's consents as the access report shows them (column names are the report's keys). */
  reportOfCustomer(customerId: string, runner?: Queryable): Promise<Record<string, unknown>[]> {
    return this.rows(runner, 'ofCustomer', [customerId]);
  }

  /** Per consent among `consentIds` (in their order), each recipient it names. */
  recipientsOf(consentIds: readonly string[], runner?: Queryable): Promise<ConsentRecipientRow[]> {
    if (consentIds.length === 0) return Promise.resolve([]);
    return this.rows(runner, 'recipientsOf', [consentIds]);
  }

  countsByPurpose(runner?: Queryable): Promise<ConsentPurposeCountRow[]> {
    return this.rows(runner, 'countsByPurpose');
  }
}
