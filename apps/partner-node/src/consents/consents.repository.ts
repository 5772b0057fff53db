import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { runNamed, type Queryable } from '#platform/database/named-queries';
import { CONSENT_QUERIES } from './consents.queries.js';

/** A live customer-care consent for one registered recipient, with its agreement and subject token. */
export interface LiveCareConsentRow {
  id: string;
  customer_id: string;
  categories: string[];
  recipient: string;
  agreement_id: string;
  token: string | null;
}

/** A live customer-care consent for one recipient and agreement, with the subject token under it. */
export interface LiveConsentRow {
  id: string;
  customer_id: string;
  categories: string[];
  token: string | null;
}

export interface ConsentWithdrawalRow {
  withdrawal_jws: string | null;
  withdrawal_registration_status: string | null;
}

/**
 * The reads other modules make of `consent` and `consent_registration` (owned by the consents
 * module), by name: the statements are in consents.queries.ts and, generated, in
 * queries/consents.sql. Each runs on `runner` when given (a transaction's manager).
 */
@Injectable()
export class ConsentsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  liveCareForCustomers(
    customerIds: readonly string[],
    runner: Queryable = this.dataSource,
  ): Promise<LiveCareConsentRow[]> {
    if (customerIds.length === 0) return Promise.resolve([]);
    return runNamed(runner, CONSENT_QUERIES, 'liveCareForCustomers', [customerIds]);
  }

  liveCareForRecipient(
    recipient: string,
    agreementId: string,
    by: { tokens?: readonly string[]; customerIds?: readonly string[] },
    runner: Queryable = this.dataSource,
  ): Promise<LiveConsentRow[]> {
    return runNamed(runner, CONSENT_QUERIES, 'liveCareForRecipient', [
      recipient,
      agreementId,
      by.tokens ?? null,
      by.customerIds ?? null,
    ]);
  }

  /** Subject tokens of live consents to share segment membership with `partner` under `agreementId`. */
  async liveSegmentMembershipTokens(
    partner: string,
    agreementId: string,
    runner: Queryable = this.dataSource,
  ): Promise<Set<string>> {
    const rows = await runNamed<{ token: string }, 'liveSegmentMembershipTokens'>(
      runner,
      CONSENT_QUERIES,
      'liveSegmentMembershipTokens',
      [partner, agreementId],
    );
    return new Set(rows.map((row) => row.token));
  }

  /** The ids among `consentIds` of consents in force now. */
  async liveAmong(consentIds: readonly string[], runner: Queryable = this.dataSource): Promise<Set<string>> {
    const rows = await runNamed<{ id: string }, 'liveAmong'>(runner, CONSENT_QUERIES, 'liveAmong', [
      consentIds,
    ]);
    return new Set(rows.map((row) => row.id));
  }

  async notWithdrawnOfCustomer(customerId: string, runner: Queryable = this.dataSource): Promise<string[]> {
    const rows = await runNamed<{ id: string }, 'notWithdrawnOfCustomer'>(
      runner,
      CONSENT_QUERIES,
      'notWithdrawnOfCustomer',
      [customerId],
    );
    return rows.map((row) => row.id);
  }

  async withdrawal(
    consentId: string,
    runner: Queryable = this.dataSource,
  ): Promise<ConsentWithdrawalRow | null> {
    const rows = await runNamed<ConsentWithdrawalRow, 'withdrawal'>(runner, CONSENT_QUERIES, 'withdrawal', [
      consentId,
    ]);
    return rows[0] ?? null;
  }

  recipients(
    consentId: string,
    runner: Queryable = this.dataSource,
  ): Promise<{ consent_id: string; recipient: string }[]> {
    return runNamed(runner, CONSENT_QUERIES, 'recipients', [consentId]);
  }
}
