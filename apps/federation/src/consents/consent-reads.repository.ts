import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { runNamed } from '#platform/database/named-queries';
import { CONSENT_READ_QUERIES } from './consent-reads.queries.js';

/** A registration as the relay checks it. */
export interface RegistrationStateRow {
  consent_id: string;
  controller: string;
  recipients: string[];
  agreement_id: string;
  purposes: string[];
  categories: string[];
  withdrawn: boolean;
  live: boolean;
}

/**
 * The reads other modules (the relay) make of `consent` and `consent_subject` (owned by the
 * consents module), by name: the statements are in consent-reads.queries.ts and, generated, in
 * queries/consents.sql.
 */
@Injectable()
export class ConsentReadsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Registration `consentId`'s controller, recipients and withdrawal time; undefined when not registered. */
  async registration(
    consentId: string,
  ): Promise<{ controller: string; recipients: string[]; withdrawn_at: Date | null } | undefined> {
    const [row] = await runNamed<
      { controller: string; recipients: string[]; withdrawn_at: Date | null },
      'registration'
    >(this.dataSource, CONSENT_READ_QUERIES, 'registration', [consentId]);
    return row;
  }

  /** The registrations among `consentIds` (unknown ids have no row). */
  registrationStates(consentIds: readonly string[]): Promise<RegistrationStateRow[]> {
    return runNamed(this.dataSource, CONSENT_READ_QUERIES, 'registrationStates', [[...consentIds]]);
  }

  /**
   * The categories registrations in force consent to for customer care, from `controller` to
   * `recipient` under `agreementId`, for any of `subjectTokens`.
   */
  async careCategories(
    subjectTokens: readonly string[],
    controller: string,
    recipient: string,
    agreementId: string,
  ): Promise<string[]> {
    const rows = await runNamed<{ category: string }, 'careCategories'>(
      this.dataSource,
      CONSENT_READ_QUERIES,
      'careCategories',
      [[...subjectTokens], controller, recipient, agreementId],
    );
    return rows.map((row) => row.category);
  }
}
