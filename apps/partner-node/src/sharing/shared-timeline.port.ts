import type { SharedRecord } from './sharing.entities.js';

/**
 * What the customer timeline asks of sharing when `includeShared` is set (the timeline module
 * injects it optionally: without the sharing module the timeline shows local items only).
 */
/** Whether the partners' shared history is complete: who could not answer now (timeout, unreachable, refused). */
export interface SharedHistoryCompleteness {
  partial: boolean;
  unavailablePartners: string[];
}

export const SHARED_TIMELINE = Symbol('SHARED_TIMELINE');

export interface SharedTimelinePort {
  /**
   * Before the first page: fetch partners' history (bounded by per-holder timeouts) and link it.
   * Says whether some partner could not answer (the timeline says so rather than hiding it).
   */
  refresh(customerId: string): Promise<SharedHistoryCompleteness>;
  /** The shared records behind these ids (purged or expired ones are absent). */
  findByIds(ids: readonly string[]): Promise<SharedRecord[]>;
  /** Records that this user saw these shared items of this customer (table shared_access, ledger). */
  recordAccess(userId: string | null, customerId: string, records: readonly SharedRecord[]): Promise<void>;
}
