import { Inject, Injectable } from '@nestjs/common';
import type { RelationshipKind } from '#protocol';
import { ValidationError } from '#platform/errors/app-errors';
import { CareCaseReasonsRepository } from '../care-cases/care-case-reasons.repository.js';
import { CustomerReferencesRepository } from '../customers/customer-references.repository.js';
import { InteractionReasonsRepository } from '../interactions/interaction-reasons.repository.js';
import type { PullReason, SharedHistoryReasonInput } from './pull-reason.js';
import { SHARING_OPTIONS, type SharingOptions } from './sharing.options.js';

/**
 * Checks reasons to read a customer's shared history against the customer, through the owners of
 * what they name (care cases, interactions, customers).
 */
@Injectable()
export class PullReasonChecker {
  constructor(
    @Inject(SHARING_OPTIONS) private readonly options: SharingOptions,
    private readonly careCases: CareCaseReasonsRepository,
    private readonly interactions: InteractionReasonsRepository,
    private readonly customers: CustomerReferencesRepository,
  ) {}

  /**
   * Checks that `reason` names exactly one care case or interaction of this customer that is still
   * a reason to read its shared history: a case not closed/resolved more than `reasonWindowDays`
   * ago, an interaction that occurred (or was recorded) within `reasonWindowDays`. BAD_USER_INPUT
   * naming `reason` otherwise, with the same message whether the record is unknown, another
   * customer's, or the customer is deleted.
   */
  async check(customerId: string, reason: SharedHistoryReasonInput | null | undefined): Promise<PullReason> {
    const windowDays = this.options.reasonWindowDays;
    const given = [reason?.careCaseId, reason?.interactionId].filter((id) => id !== undefined && id !== null);
    if (given.length !== 1) {
      throw new ValidationError('reason', 'give exactly one of careCaseId, interactionId', {
        reason: 'REASON_REQUIRED',
      });
    }
    const kind: RelationshipKind = reason!.careCaseId ? 'care-case' : 'interaction';
    const id = given[0]!;
    const customerCreatedAt = await this.customers.liveCreatedAt(customerId);
    const row =
      customerCreatedAt === undefined
        ? undefined
        : kind === 'care-case'
          ? await this.careCases.readingReason(id, customerId, windowDays)
          : await this.interactions.readingReason(id, customerId, windowDays);
    if (!row || customerCreatedAt === undefined) {
      throw new ValidationError('reason', `no ${kind} ${id} of this customer`, { reason: 'REASON_UNKNOWN' });
    }
    if (!row.recent) {
      throw new ValidationError('reason', `${kind} ${id} is closed or older than ${windowDays} days`, {
        reason: 'REASON_STALE',
      });
    }
    return { kind, id, startedAt: row.started_at, customerCreatedAt };
  }
}
