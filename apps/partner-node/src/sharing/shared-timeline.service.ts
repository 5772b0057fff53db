import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, MoreThan } from 'typeorm';
import { LedgerService } from '#ledger';
import { TooManyRequestsError } from '#platform/errors/app-errors';
import { getLogger } from '#platform/logging/logger';
import { PullReasonChecker } from './pull-reason-checker.js';
import type { PullReason, SharedHistoryReasonInput } from './pull-reason.js';
import { PullService } from './pull.service.js';
import type { SharedHistoryCompleteness, SharedTimelinePort } from './shared-timeline.port.js';
import { SharedRecord } from './sharing.entities.js';

/** Pull outcomes that leave a partner's history missing (as opposed to ok, empty, no-consent…). */
const UNAVAILABLE = new Set(['timeout', 'unreachable', 'refused', 'failed']);

/**
 * The sharing side of the merged timeline: a reason checked, pull on open, load shared items,
 * record every access with its reason.
 */
@Injectable()
export class SharedTimelineService implements SharedTimelinePort {
  private readonly logger = getLogger().child({ context: 'shared-timeline' });

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly pull: PullService,
    private readonly ledger: LedgerService,
    private readonly reasons: PullReasonChecker,
  ) {}

  checkReason(customerId: string, reason: SharedHistoryReasonInput | null | undefined): Promise<PullReason> {
    return this.reasons.check(customerId, reason);
  }

  async refresh(
    customerId: string,
    reason: PullReason,
    userId: string | null,
  ): Promise<SharedHistoryCompleteness> {
    try {
      const result = await this.pull.pullFor(customerId, reason, userId);
      if (result.partial) {
        this.logger.info(
          { customerId, outcomes: result.outcomes.map((o) => `${o.holder}:${o.status}`) },
          'partial shared history',
        );
      }
      const unavailable = result.outcomes.filter((o) => UNAVAILABLE.has(o.status)).map((o) => o.holder);
      return { partial: result.partial, unavailablePartners: [...new Set(unavailable)] };
    } catch (error) {
      // An agent past its pull limit is told so; nothing is shown for this open.
      if (error instanceof TooManyRequestsError) throw error;
      // The timeline still shows local items and the shared copies already held.
      this.logger.warn({ customerId, err: String(error) }, 'shared history could not be refreshed');
      return { partial: true, unavailablePartners: [] };
    }
  }

  findByIds(ids: readonly string[]): Promise<SharedRecord[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.dataSource
      .getRepository(SharedRecord)
      .find({ where: { id: In([...ids]), retentionEndsAt: MoreThan(new Date()) } });
  }

  async recordAccess(
    userId: string | null,
    customerId: string,
    records: readonly SharedRecord[],
    reason: PullReason,
  ): Promise<void> {
    if (records.length === 0) return;
    const consentIds = [...new Set(records.map((r) => r.consentId))];
    const partners = [...new Set(records.map((r) => r.originPartnerId))];
    await this.dataSource.transaction(async (m) => {
      const [row]: { id: string }[] = await m.query(
        `INSERT INTO shared_access (user_id, customer_id, shared_record_ids, origin_record_ids, origin_partner_ids,
           consent_ids, reason_kind, reason_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
        [
          userId,
          customerId,
          records.map((r) => r.id),
          records.map((r) => r.originRecordId),
          partners,
          consentIds,
          reason.kind,
          reason.id,
        ],
      );
      await this.ledger.enqueue(m, 'share.accessed', {
        accessId: row!.id,
        userId,
        customerId,
        originPartnerIds: partners,
        consentIds,
        originRecordIds: records.map((r) => r.originRecordId),
        reasonKind: reason.kind,
        reasonId: reason.id,
      });
    });
  }
}
