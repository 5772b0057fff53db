import type { PullReason, SharedHistoryReasonInput } from './pull-reason.js';
import type { SharedRecord } from './sharing.entities.js';

/** Whether the partners' shared history is complete: who could not answer now (timeout, unreachable, refused). */
export interface SharedHistoryCompleteness {
  partial: boolean;
  unavailablePartners: string[];
}

export const SHARED_TIMELINE = Symbol('SHARED_TIMELINE');

/**
 * What the customer timeline asks of sharing when `includeShared` is set (the timeline module
 * injects it optionally: without the sharing module the timeline shows local items only).
 */

export interface SharedTimelinePort {
  /** The reason to read the customer's shared history, checked (BAD_USER_INPUT naming `reason`). */
  checkReason(customerId: string, reason: SharedHistoryReasonInput | null | undefined): Promise<PullReason>;
  /**
   * Before the first page: fetch partners' history for this reason (bounded by per-holder
   * timeouts) and link it. TOO_MANY_REQUESTS past the agent's limit; other failures only log.
   * Says whether some partner could not answer (the timeline says so rather than hiding it).
   */
  refresh(customerId: string, reason: PullReason, userId: string | null): Promise<SharedHistoryCompleteness>;
  /** The shared records behind these ids (purged or expired ones are absent). */
  findByIds(ids: readonly string[]): Promise<SharedRecord[]>;
  /** Records that this user saw these shared items of this customer for this reason (shared_access, ledger). */
  recordAccess(
    userId: string | null,
    customerId: string,
    records: readonly SharedRecord[],
    reason: PullReason,
  ): Promise<void>;
}
