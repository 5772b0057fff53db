import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { runNamed, type Queryable } from '#platform/database/named-queries';
import { AGREEMENT_QUERIES } from './agreements.queries.js';

/** A customer-care agreement in force in the outbound direction, with what it lets this node send. */
export interface LiveOutboundAgreementRow {
  agreement_id: string;
  partner_id: string;
  categories: string[];
  retention_days: number;
}

/** A customer-care agreement in force under which a partner sends to this node. */
export interface LiveInboundAgreementRow {
  agreement_id: string;
  partner_id: string;
}

/**
 * The reads other modules make of `sharing_agreement` (owned by the agreements module), by name:
 * the statements are in agreements.queries.ts and, generated, in queries/agreements.sql.
 */
@Injectable()
export class AgreementsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Of the (agreement, partner) pairs asked, those in force that let this node (`me`) send customer
   * care to the partner; one query for all pairs. Runs on `runner` when inside a transaction.
   */
  liveOutbound(
    pairs: readonly { agreementId: string; partnerId: string }[],
    me: string,
    runner: Queryable = this.dataSource,
  ): Promise<LiveOutboundAgreementRow[]> {
    if (pairs.length === 0) return Promise.resolve([]);
    return runNamed(runner, AGREEMENT_QUERIES, 'liveOutbound', [
      pairs.map((p) => p.agreementId),
      pairs.map((p) => p.partnerId),
      me,
    ]);
  }

  /** Customer-care agreements in force under which partners send to this node (`me`). */
  liveInbound(me: string, runner: Queryable = this.dataSource): Promise<LiveInboundAgreementRow[]> {
    return runNamed(runner, AGREEMENT_QUERIES, 'liveInbound', [me]);
  }
}
