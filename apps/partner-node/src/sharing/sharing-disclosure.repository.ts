import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { runNamed, type Queryable } from '#platform/database/named-queries';
import { SHARING_DISCLOSURE_QUERIES } from './sharing-disclosure.queries.js';

type Query = keyof typeof SHARING_DISCLOSURE_QUERIES.statements;

/** One delivered envelope that carried records under one consent, with that consent's purge there. */
export interface ConsentDeliveryRow {
  envelope_id: string;
  recipient: string;
  agreement_id: string;
  consent_id: string;
  channel: string;
  sent_at: Date;
  categories: string[];
  records: number;
  purge_status: string | null;
  purge_requested_at: Date | null;
  purge_confirmed_at: Date | null;
}

export interface PurgeRow {
  consent_id: string;
  recipient: string;
  status: string;
  records_purged: number | null;
  receipt_jws: string | null;
  confirmed_at: Date | null;
  last_error: string | null;
}

export interface SharedAccessRow {
  id: string;
  user_id: string | null;
  accessed_at: Date;
  origin_partner_ids: string[];
  origin_record_ids: string[];
  consent_ids: string[];
}

/**
 * What the sharing module holds about one customer, for the compliance officer (access report,
 * data flows, erasure): statements in sharing-disclosure.queries.ts. Each runs on `runner` when
 * given (a transaction's manager).
 */
@Injectable()
export class SharingDisclosureRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private rows<Row>(runner: Queryable | undefined, name: Query, values: unknown[]): Promise<Row[]> {
    return runNamed<Row, Query>(runner ?? this.dataSource, SHARING_DISCLOSURE_QUERIES, name, values);
  }

  private async count(runner: Queryable | undefined, name: Query, customerId: string): Promise<number> {
    const [row] = await this.rows<{ n: number }>(runner, name, [customerId]);
    return row?.n ?? 0;
  }

  /** The delivered envelopes that carried records under `consentId`, with its purge at each recipient. */
  deliveriesOfConsent(consentId: string, runner?: Queryable): Promise<ConsentDeliveryRow[]> {
    return this.rows(runner, 'deliveriesOfConsent', [JSON.stringify([{ consentId }]), consentId, consentId]);
  }

  /** The purges of these consents, per recipient. */
  purgesOf(consentIds: readonly string[], runner?: Queryable): Promise<PurgeRow[]> {
    if (consentIds.length === 0) return Promise.resolve([]);
    return this.rows(runner, 'purgesOf', [consentIds]);
  }

  accessesOfCustomer(customerId: string, runner?: Queryable): Promise<SharedAccessRow[]> {
    return this.rows(runner, 'accessesOfCustomer', [customerId]);
  }

  receivedCountOfCustomer(customerId: string, runner?: Queryable): Promise<number> {
    return this.count(runner, 'receivedCountOfCustomer', customerId);
  }

  /** The copies of partners' records about the customer (column names are the access report's keys). */
  receivedOfCustomer(customerId: string, runner?: Queryable): Promise<Record<string, unknown>[]> {
    return this.rows(runner, 'receivedOfCustomer', [customerId]);
  }

  /** Erasure, in the caller's transaction: the copies held about the customer; how many. */
  eraseReceivedOfCustomer(runner: Queryable, customerId: string): Promise<number> {
    return this.count(runner, 'eraseReceivedOfCustomer', customerId);
  }

  /** Erasure, in the caller's transaction: the customer's subject tokens; how many. */
  eraseSubjectTokensOfCustomer(runner: Queryable, customerId: string): Promise<number> {
    return this.count(runner, 'eraseSubjectTokensOfCustomer', customerId);
  }
}
