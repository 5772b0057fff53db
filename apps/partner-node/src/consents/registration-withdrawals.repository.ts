import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { runNamed, type Queryable } from '#platform/database/named-queries';
import { REGISTRATION_WITHDRAWAL_QUERIES } from './registration-withdrawals.queries.js';

/** A consent's registration at one recipient, with its withdrawal (signed, and where it stands). */
export interface RegistrationWithdrawalRow {
  recipient: string;
  registration_id: string;
  withdrawal_jws: string | null;
  withdrawal_status: string | null;
}

/**
 * The withdrawals of consents' registrations, read by the sharing module when it relays them
 * (table `consent_registration`, owned by the consents module): the statement is in
 * registration-withdrawals.queries.ts and, generated, in queries/consents.sql.
 */
@Injectable()
export class RegistrationWithdrawalsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** By recipient: the registration of `consentId` at each of `recipients` that has one. */
  async withdrawalsAt(
    consentId: string,
    recipients: readonly string[],
    runner: Queryable = this.dataSource,
  ): Promise<Map<string, RegistrationWithdrawalRow>> {
    if (recipients.length === 0) return new Map();
    const rows = await runNamed<RegistrationWithdrawalRow, 'withdrawalsAt'>(
      runner,
      REGISTRATION_WITHDRAWAL_QUERIES,
      'withdrawalsAt',
      [consentId, recipients],
    );
    return new Map(rows.map((row) => [row.recipient, row]));
  }
}
