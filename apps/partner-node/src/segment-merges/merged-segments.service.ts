import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { LedgerService } from '#ledger';
import { ConflictError, ValidationError } from '#platform/errors/app-errors';
import type { PartnerNodeConfig } from '../config.js';
import { PARTNER_NODE_CONFIG } from '../config.token.js';
import { CONSENT_QUERIES } from '../consents/consents.queries.js';
import { KeysService } from '../keys/keys.service.js';
import { NetworkService } from '../network/network.service.js';
import { replaceMembership, type RefreshOutcome } from '../segments/segment-refresh.js';
import { Segment, SegmentKind } from '../segments/segment.entity.js';
import { SegmentsService } from '../segments/segments.service.js';
import { SegmentReferencesRepository } from '../segments/segment-references.repository.js';
import { customerIsLive } from '../customers/customer-subject.queries.js';
import { callFederation } from './merge-federation.js';
import { SegmentMerge, SegmentMergeState } from './segment-merge.entity.js';
import type { MaterialiseMergedSegmentInput } from './segment-merges.dto.js';
import { SegmentMergesService } from './segment-merges.service.js';

/** Partner-side consent checks at a merged-segment refresh, at once. */
const CHECK_CONCURRENCY = 8;

/**
 * The member-level merge: a MERGED segment of our own customers whose token the federation
 * released (both sides consented), materialised from a completed merge and re-checked at every
 * refresh (a consent withdrawn here or at the partner drops the customer).
 */
@Injectable()
export class MergedSegmentsService {
  constructor(
    @Inject(PARTNER_NODE_CONFIG) private readonly config: PartnerNodeConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly merges: SegmentMergesService,
    private readonly segments: SegmentsService,
    private readonly segmentRows: SegmentReferencesRepository,
    private readonly network: NetworkService,
    private readonly keys: KeysService,
    private readonly ledger: LedgerService,
  ) {}

  private get me(): string {
    return this.config.partnerId;
  }

  /**
   * A MERGED segment of our customers in the consented intersection: tokens the federation
   * released (both sides flagged them and its registry backs both flags) whose customer's consent
   * is still live here. Refreshed by refreshMerged.
   */
  async materialise(input: MaterialiseMergedSegmentInput, userId: string | null): Promise<Segment> {
    const merge = await this.merges.get(input.mergeId);
    if (merge.state !== SegmentMergeState.COMPLETED) {
      throw new ValidationError('mergeId', `merge ${merge.mergeId} has no result yet (${merge.state})`);
    }
    if (merge.mergedSegmentId) {
      throw new ConflictError('this merge is already materialised', { field: 'mergeId' });
    }
    const own = merge.segmentId ? await this.segments.get(merge.segmentId) : null;
    const name = (
      input.name ?? `${own?.name ?? 'segment'} ∩ ${merge.partnerId} (${merge.mergeId.slice(6, 14)})`
    )
      .trim()
      .slice(0, 200);
    const segmentId = await this.segments.inWrite(async (m) => {
      const row = {
        id: await this.segmentRows.insertMerged(m, {
          name,
          description: `Member-level merge ${merge.mergeId} with ${merge.partnerId}`,
          createdBy: userId,
        }),
      };
      await m.query(
        `UPDATE segment_merge SET merged_segment_id = $2, updated_at = now() WHERE merge_id = $1`,
        [merge.mergeId, row!.id],
      );
      const outcome = await this.replaceMergedMembers(m, merge, row!.id, undefined);
      await this.ledger.enqueue(m, 'segment-merge.materialised', {
        mergeId: merge.mergeId,
        segmentId: row!.id,
        size: outcome.size,
      });
      return row!.id;
    });
    return this.segments.get(segmentId);
  }

  /**
   * Recomputes a MERGED segment: drops customers whose consent was withdrawn here, and those whose
   * token the partner's customer no longer consents to share with us (checked at the federation).
   */
  async refreshMerged(segmentId: string): Promise<Segment> {
    const segment = await this.segments.get(segmentId);
    if (segment.kind !== SegmentKind.MERGED)
      throw new ValidationError('segmentId', 'is not a MERGED segment');
    const merge = await this.dataSource.getRepository(SegmentMerge).findOneBy({ mergedSegmentId: segmentId });
    if (!merge) throw new ValidationError('segmentId', 'its merge is gone');
    const live = await this.partnerLiveTokens(merge);
    await this.dataSource.transaction(async (m) => {
      await this.segmentRows.lockForUpdate(m, segmentId);
      const outcome = await this.replaceMergedMembers(m, merge, segmentId, live);
      if (outcome.removed > 0 || outcome.added > 0) {
        await this.ledger.enqueue(m, 'segment-merge.refreshed', {
          mergeId: merge.mergeId,
          segmentId,
          size: outcome.size,
          removed: outcome.removed,
        });
      }
    });
    return this.segments.get(segmentId);
  }

  /** Refreshes every MERGED segment (the scheduled job). */
  async refreshAllMerged(): Promise<void> {
    const merged = new Set(await this.segmentRows.mergedIds());
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT merged_segment_id AS id FROM segment_merge WHERE merged_segment_id IS NOT NULL`,
    );
    for (const row of rows) if (merged.has(row.id)) await this.refreshMerged(row.id);
  }

  private replaceMergedMembers(
    m: EntityManager,
    merge: SegmentMerge,
    segmentId: string,
    partnerLive: string[] | undefined,
  ): Promise<RefreshOutcome> {
    return replaceMembership(
      (sql, params) => m.query(sql, params),
      segmentId,
      {
        sql: `SELECT DISTINCT t.customer_id FROM segment_merge_token t
               JOIN (${CONSENT_QUERIES.statements.liveSegmentMembershipTokens}) live ON live.token = t.token AND live.customer_id = t.customer_id
              WHERE t.merge_id = $3 AND t.consented AND ($4::text[] IS NULL OR t.token = ANY ($4::text[]))
                AND ${customerIsLive('t.customer_id')}`,
        params: [merge.partnerId, merge.agreementId, merge.mergeId, partnerLive ?? null],
      },
      new Date(),
    );
  }

  /** Our released tokens whose partner-side consent (partner → us) is still live at the federation. */
  private async partnerLiveTokens(merge: SegmentMerge): Promise<string[]> {
    const rows: { token: string }[] = await this.dataSource.query(
      `SELECT token FROM segment_merge_token WHERE merge_id = $1 AND consented ORDER BY token`,
      [merge.mergeId],
    );
    const signer = await this.keys.requestSigner();
    const client = this.network.client();
    const live: string[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: CHECK_CONCURRENCY }, async () => {
        while (next < rows.length) {
          const token = rows[next++]!.token;
          const answer = await callFederation(
            () =>
              client.checkConsent(signer, {
                subjectToken: token,
                recipient: this.me,
                controller: merge.partnerId,
                purpose: 'marketing',
                category: 'segment-membership',
              }),
            'the consent check',
          );
          if (answer.live) live.push(token);
        }
      }),
    );
    return live;
  }
}
