import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { jwsHash, nowSeconds } from '#protocol';
import { LedgerService } from '#ledger';
import { ConflictError, NotFoundError, ValidationError } from '#platform/errors/app-errors';
import { paginate, type ConnectionShape } from '#platform/graphql/connection';
import { JOB_QUEUE, defineQueue, type JobQueue } from '#platform/queue/job-queue';
import { mergeAgreementProblem } from '#matching';
import type { SharingAgreement } from '../agreements/agreement.entity.js';
import { AgreementsService } from '../agreements/agreements.service.js';
import type { PartnerNodeConfig } from '../config.js';
import { PARTNER_NODE_CONFIG } from '../config.token.js';
import { KeysService } from '../keys/keys.service.js';
import { NetworkService } from '../network/network.service.js';
import { Segment, SegmentKind } from '../segments/segment.entity.js';
import { SegmentsService } from '../segments/segments.service.js';
import { callFederation, MESSAGE_TTL_SECONDS, mergeClient } from './merge-federation.js';
import {
  SegmentMerge,
  SegmentMergeRole,
  SegmentMergeState,
  type SegmentMergeCounts,
} from './segment-merge.entity.js';
import type {
  AcceptSegmentMergeInput,
  ProposeSegmentMergeInput,
  SegmentMergesArgs,
} from './segment-merges.dto.js';

/** Streams this node's manifest of one merge to the federation (MergeManifestJob). */
export const MERGE_MANIFEST_QUEUE = defineQueue<{ mergeId: string }>('segment-merge.manifest');
/** Follows the merges in progress at the federation (scheduled; MergeSyncService, MergedSegmentsService). */
export const MERGE_SYNC_QUEUE = defineQueue('segment-merge.sync');

/**
 * Segment merges, partner-node side: reads, and propose, accept or decline (signed by this node,
 * recorded by the federation). The rest of a merge's life has its own class: the synchronisation
 * with the federation and the signed result (MergeSyncService), the manifest built and streamed by
 * a queue job (MergeManifestJob), the member-level merge materialised as a MERGED segment
 * (MergedSegmentsService).
 */
@Injectable()
export class SegmentMergesService {
  constructor(
    @Inject(PARTNER_NODE_CONFIG) private readonly config: PartnerNodeConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
    private readonly agreements: AgreementsService,
    private readonly network: NetworkService,
    private readonly keys: KeysService,
    private readonly segments: SegmentsService,
    private readonly ledger: LedgerService,
  ) {}

  private get me(): string {
    return this.config.partnerId;
  }

  // ---- reads ---------------------------------------------------------------------------------

  async get(mergeId: string): Promise<SegmentMerge> {
    const found = await this.dataSource.getRepository(SegmentMerge).findOneBy({ mergeId });
    if (!found) throw new NotFoundError('SegmentMerge', mergeId);
    return found;
  }

  /**
   * The agreements a merge can be proposed under (what a marketer picks from; marketers do not
   * read agreements themselves): the same checks as a proposal, newest first.
   */
  async mergeableAgreements(): Promise<SharingAgreement[]> {
    const page = await this.agreements.list({ first: 200 });
    const usable: SharingAgreement[] = [];
    for (const agreement of page.nodes) {
      try {
        usable.push(await this.mergeableAgreement(agreement.agreementId));
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
      }
    }
    return usable;
  }

  /** The federation's public keys as this node pinned them (JWKS JSON): a browser re-checks the result with them. */
  async federationJwks(): Promise<string> {
    return JSON.stringify((await this.network.trustAnchor()).jwks);
  }

  async list(args: SegmentMergesArgs): Promise<ConnectionShape<SegmentMerge>> {
    const query = this.dataSource.getRepository(SegmentMerge).createQueryBuilder('m');
    if (args.incoming !== undefined && args.incoming !== null) {
      query.where('m.role = :role', {
        role: args.incoming ? SegmentMergeRole.PARTNER : SegmentMergeRole.PROPOSER,
      });
    }
    return paginate(
      query,
      {
        column: 'm.created_at',
        value: (m) => m.createdAt,
        direction: 'DESC',
        idColumn: 'm.merge_id',
        id: (m) => m.mergeId,
      },
      args,
    );
  }

  /** The verified counts, from this node's side (the proposer's segment is `a`). */
  counts(merge: SegmentMerge): SegmentMergeCounts | null {
    if (!merge.result) return null;
    const { counts: c, minCohortSize, consented } = merge.result;
    const proposer = merge.role === SegmentMergeRole.PROPOSER;
    const cells = (side: 'a' | 'b' | undefined) =>
      side && merge.result?.breakdown
        ? merge.result.breakdown[side].map((cell) => ({
            bucket: cell.bucket,
            people: cell.count,
            both: cell.intersection,
            only: cell.only,
          }))
        : null;
    return {
      ourBuckets: cells(proposer ? 'a' : 'b'),
      theirBuckets: cells(proposer ? 'b' : 'a'),
      ours: proposer ? c.a : c.b,
      theirs: proposer ? c.b : c.a,
      both: c.intersection,
      either: c.union,
      onlyOurs: proposer ? c.aOnly : c.bOnly,
      onlyTheirs: proposer ? c.bOnly : c.aOnly,
      minCohortSize,
      consentedPeople: consented.persons,
    };
  }

  // ---- proposal and acceptance ---------------------------------------------------------------

  async propose(input: ProposeSegmentMergeInput, userId: string | null): Promise<SegmentMerge> {
    const agreement = await this.mergeableAgreement(input.agreementId);
    await this.ownSegment(input.segmentId);
    const mergeId = `merge-${randomUUID()}`;
    const { federationId } = await this.network.requireActiveMember();
    const now = nowSeconds();
    const proposal = await this.keys.sign('merge-proposal', {
      iss: this.me,
      aud: [agreement.partnerId, federationId],
      iat: now,
      exp: now + MESSAGE_TTL_SECONDS,
      mergeId,
      agreementId: agreement.agreementId,
      partner: agreement.partnerId,
      segment: input.segmentId,
      ...(input.bucketBy ? { bucketBy: input.bucketBy } : {}),
    });
    await callFederation(
      () => mergeClient(this.network, this.keys, federationId).propose(proposal),
      'the merge proposal',
    );
    await this.dataSource.transaction(async (m) => {
      await m.query(
        `INSERT INTO segment_merge (merge_id, agreement_id, partner_id, role, state, segment_id, bucket_by, proposal_jws, created_by)
         VALUES ($1, $2, $3, 'proposer', 'proposed', $4, $5, $6, $7)`,
        [
          mergeId,
          agreement.agreementId,
          agreement.partnerId,
          input.segmentId,
          input.bucketBy ?? null,
          proposal,
          userId,
        ],
      );
      await this.ledger.enqueue(m, 'segment-merge.proposed', {
        mergeId,
        agreementId: agreement.agreementId,
        partnerId: agreement.partnerId,
        segmentId: input.segmentId,
        messageHash: jwsHash(proposal),
      });
    });
    return this.get(mergeId);
  }

  async accept(input: AcceptSegmentMergeInput): Promise<SegmentMerge> {
    const merge = await this.get(input.mergeId);
    if (merge.role !== SegmentMergeRole.PARTNER) {
      throw new ValidationError('mergeId', 'only the partner asked accepts a merge; this node proposed it');
    }
    if (merge.state !== SegmentMergeState.PROPOSED) {
      throw new ConflictError(`merge ${merge.mergeId} is ${merge.state}`, { field: 'mergeId' });
    }
    await this.mergeableAgreement(merge.agreementId, 'mergeId');
    await this.ownSegment(input.segmentId);
    const { federationId } = await this.network.requireActiveMember();
    const now = nowSeconds();
    const acceptance = await this.keys.sign('merge-acceptance', {
      iss: this.me,
      aud: [merge.partnerId, federationId],
      iat: now,
      exp: now + MESSAGE_TTL_SECONDS,
      mergeId: merge.mergeId,
      agreementId: merge.agreementId,
      proposalHash: jwsHash(merge.proposalJws),
      segment: input.segmentId,
      ...(merge.bucketBy ? { bucketBy: merge.bucketBy } : {}),
    });
    await callFederation(
      () => mergeClient(this.network, this.keys, federationId).accept(merge.mergeId, acceptance),
      'the merge acceptance',
    );
    await this.dataSource.transaction(async (m) => {
      await m.query(
        `UPDATE segment_merge SET state = 'accepted', acceptance_jws = $2, segment_id = $3, updated_at = now()
          WHERE merge_id = $1`,
        [merge.mergeId, acceptance, input.segmentId],
      );
      await this.ledger.enqueue(m, 'segment-merge.accepted', {
        mergeId: merge.mergeId,
        agreementId: merge.agreementId,
        partnerId: merge.partnerId,
        segmentId: input.segmentId,
        messageHash: jwsHash(acceptance),
      });
    });
    await this.enqueueManifest(merge.mergeId);
    return this.get(merge.mergeId);
  }

  /**
   * Declines an incoming proposal here: it ends FAILED ("declined"), nothing is sent and no
   * manifest is built. The protocol has no decline message yet, so the proposer's side stays
   * PROPOSED until the proposal expires.
   */
  async decline(mergeId: string): Promise<SegmentMerge> {
    const merge = await this.get(mergeId);
    if (merge.role !== SegmentMergeRole.PARTNER) {
      throw new ValidationError('mergeId', 'only the partner asked declines a merge; this node proposed it');
    }
    if (merge.state !== SegmentMergeState.PROPOSED) {
      throw new ConflictError(`merge ${merge.mergeId} is ${merge.state}`, { field: 'mergeId' });
    }
    await this.dataSource.transaction(async (m) => {
      await m.query(
        `UPDATE segment_merge SET state = 'failed', error = 'declined', updated_at = now()
          WHERE merge_id = $1 AND state = 'proposed'`,
        [merge.mergeId],
      );
      await this.ledger.enqueue(m, 'segment-merge.declined', {
        mergeId: merge.mergeId,
        agreementId: merge.agreementId,
        partnerId: merge.partnerId,
      });
    });
    return this.get(merge.mergeId);
  }

  // ---- the manifest (its job is MergeManifestJob) ---------------------------------------

  enqueueManifest(mergeId: string): Promise<string> {
    return this.queue.enqueue(
      MERGE_MANIFEST_QUEUE,
      { mergeId },
      {
        jobId: `segment-merge-manifest.${mergeId}`,
        attempts: 5,
        backoff: { type: 'exponential', delay: 2000 },
      },
    );
  }

  // ---- helpers -------------------------------------------------------------------------------

  /** The agreement, if it allows a merge: live, mutual, purpose marketing, category segment membership. */
  private async mergeableAgreement(agreementId: string, field = 'agreementId'): Promise<SharingAgreement> {
    let agreement: SharingAgreement;
    try {
      agreement = await this.agreements.get(agreementId);
    } catch (error) {
      if (error instanceof NotFoundError) throw new ValidationError(field, `no agreement ${agreementId}`);
      throw error;
    }
    const problem = mergeAgreementProblem(agreement);
    if (problem) throw new ValidationError(field, problem);
    return agreement;
  }

  /** A RULE or STATIC segment of this node (a merged segment is not merged again). */
  private async ownSegment(segmentId: string): Promise<Segment> {
    const [segment] = await this.segments.findByIds([segmentId]);
    if (!segment) throw new ValidationError('segmentId', `no segment ${segmentId} on this node`);
    if (segment.kind === SegmentKind.MERGED) {
      throw new ValidationError('segmentId', 'a MERGED segment cannot be merged again');
    }
    return segment;
  }
}
