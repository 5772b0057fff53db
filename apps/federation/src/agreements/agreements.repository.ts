import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { runNamed, type Queryable } from '#platform/database/named-queries';
import { AGREEMENT_READ_QUERIES } from './agreement-reads.queries.js';

/** An agreement as a party may learn it (consent status). */
export interface AgreementOfPartyRow {
  party_a: string;
  party_b: string;
  direction: string;
  purposes: string[];
  categories: string[];
  retention_days: number;
  live: boolean;
}

/** An agreement's terms as a segment merge checks them. */
export interface AgreementTermsRow {
  party_a: string;
  party_b: string;
  direction: string;
  purposes: string[];
  categories: string[];
  min_cohort_size: number;
  live: boolean;
}

/**
 * The reads other modules make of `agreement` and `agreement_message` (owned by the agreements
 * module), by name: the statements are in agreement-reads.queries.ts and, generated, in
 * queries/agreements.sql. Each runs on `runner` (a transaction's entity manager) when given.
 */
@Injectable()
export class AgreementsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * The categories of agreement `agreementId` when it is in force, lets `controller` share with
   * `recipient` and covers customer care; undefined otherwise.
   */
  async liveCareCategories(
    controller: string,
    recipient: string,
    agreementId: string,
    runner: Queryable = this.dataSource,
  ): Promise<string[] | undefined> {
    const [row] = await runNamed<{ categories: string[] }, 'liveCareCategories'>(
      runner,
      AGREEMENT_READ_QUERIES,
      'liveCareCategories',
      [controller, recipient, agreementId],
    );
    return row?.categories;
  }

  /** The categories and purposes of agreement `agreementId` when it is in force and lets `controller` share with `recipient`. */
  async liveTerms(
    controller: string,
    recipient: string,
    agreementId: string,
    runner: Queryable = this.dataSource,
  ): Promise<{ categories: string[]; purposes: string[] } | undefined> {
    const [row] = await runNamed<{ categories: string[]; purposes: string[] }, 'liveTerms'>(
      runner,
      AGREEMENT_READ_QUERIES,
      'liveTerms',
      [controller, recipient, agreementId],
    );
    return row;
  }

  /** Agreement `agreementId` when `party` is one of its parties; undefined otherwise. */
  async ofParty(
    agreementId: string,
    party: string,
    runner: Queryable = this.dataSource,
  ): Promise<AgreementOfPartyRow | undefined> {
    const [row] = await runNamed<AgreementOfPartyRow, 'ofParty'>(runner, AGREEMENT_READ_QUERIES, 'ofParty', [
      agreementId,
      party,
    ]);
    return row;
  }

  /** Agreement `agreementId`'s terms, whatever its state; undefined for no agreement. */
  async terms(
    agreementId: string,
    runner: Queryable = this.dataSource,
  ): Promise<AgreementTermsRow | undefined> {
    const [row] = await runNamed<AgreementTermsRow, 'terms'>(runner, AGREEMENT_READ_QUERIES, 'terms', [
      agreementId,
    ]);
    return row;
  }

  /** The signed terms (JWS of the first `agreement` message) of agreement `agreementId`, if any. */
  async signedTerms(agreementId: string, runner: Queryable = this.dataSource): Promise<string | undefined> {
    const [row] = await runNamed<{ jws: string }, 'signedTerms'>(
      runner,
      AGREEMENT_READ_QUERIES,
      'signedTerms',
      [agreementId],
    );
    return row?.jws;
  }
}
