import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { jwsHash, verifyMessage } from '#protocol';
import type { MergeView } from '#federation-client';
import { LedgerService } from '#ledger';
import { RefusedMessageError } from '#platform/errors/app-errors';
import { getLogger } from '#platform/logging/logger';
import { TOKEN_BYTES } from '#matching';
import { AgreementsService } from '../agreements/agreements.service.js';
import type { PartnerNodeConfig } from '../config.js';
import { PARTNER_NODE_CONFIG } from '../config.token.js';
import { KeysService } from '../keys/keys.service.js';
import { isUnavailable } from '../network/federation-errors.js';
import { NetworkService } from '../network/network.service.js';
import { callFederation, mergeClient } from './merge-federation.js';
import {
  SegmentMerge,
  SegmentMergeRole,
  SegmentMergeState,
  type StoredMergeResult,
} from './segment-merge.entity.js';
import { SegmentMergesService } from './segment-merges.service.js';

/**
 * A merge's life at the federation, followed from this node: incoming proposals recorded (their
 * signature verified), our proposals moved to ACCEPTED (and their manifest job started), the
 * federation's signed result verified before it is stored.
 */
@Injectable()
export class MergeSyncService {
  constructor(
    @Inject(PARTNER_NODE_CONFIG) private readonly config: PartnerNodeConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly merges: SegmentMergesService,
    private readonly agreements: AgreementsService,
    private readonly network: NetworkService,
    private readonly keys: KeysService,
    private readonly ledger: LedgerService,
  ) {}

  private get me(): string {
    return this.config.partnerId;
  }

  /**
   * Reads our merges at the federation: records incoming proposals (signature verified), moves
   * our proposals to ACCEPTED (and starts the manifest job), stores verified results. Returns the
   * number of merges changed. Runs on a schedule and before the merges are listed.
   */
  async sync(): Promise<number> {
    const { federationId } = await this.network.requireActiveMember();
    const views = await callFederation(
      () => mergeClient(this.network, this.keys, federationId).list(),
      'the merges',
    );
    let changed = 0;
    for (const view of views) {
      try {
        if (await this.syncOne(view)) changed += 1;
      } catch (error) {
        if (isUnavailable(error)) throw error;
        getLogger().warn({ mergeId: view.mergeId, err: String(error) }, 'segment merge not synchronised');
      }
    }
    return changed;
  }

  private async syncOne(view: MergeView): Promise<boolean> {
    const local = await this.dataSource.getRepository(SegmentMerge).findOneBy({ mergeId: view.mergeId });
    if (!local) {
      if (view.partner !== this.me) return false;
      const { claims } = await this.network.verifyMemberMessage(
        'merge-proposal',
        view.proposal,
        { audience: this.me, issuer: view.proposer },
        'segment-merge',
      );
      if (claims.partner !== this.me || claims.mergeId !== view.mergeId) return false;
      const agreement = await this.agreements.get(claims.agreementId);
      if (agreement.partnerId !== claims.iss) return false;
      await this.dataSource.transaction(async (m) => {
        await m.query(
          `INSERT INTO segment_merge (merge_id, agreement_id, partner_id, role, state, bucket_by, proposal_jws)
           VALUES ($1, $2, $3, 'partner', 'proposed', $4, $5) ON CONFLICT (merge_id) DO NOTHING`,
          [view.mergeId, claims.agreementId, claims.iss, claims.bucketBy ?? null, view.proposal],
        );
        await this.ledger.enqueue(m, 'segment-merge.received', {
          mergeId: view.mergeId,
          agreementId: claims.agreementId,
          partnerId: claims.iss,
          messageHash: jwsHash(view.proposal),
        });
      });
      return true;
    }
    if (
      local.state === SegmentMergeState.PROPOSED &&
      local.role === SegmentMergeRole.PROPOSER &&
      view.acceptance
    ) {
      const { claims } = await this.network.verifyMemberMessage(
        'merge-acceptance',
        view.acceptance,
        { audience: this.me, issuer: local.partnerId },
        'segment-merge',
      );
      if (claims.mergeId !== local.mergeId || claims.proposalHash !== jwsHash(local.proposalJws))
        return false;
      await this.dataSource.transaction(async (m) => {
        await m.query(
          `UPDATE segment_merge SET state = 'accepted', acceptance_jws = $2, updated_at = now()
            WHERE merge_id = $1 AND state = 'proposed'`,
          [local.mergeId, view.acceptance],
        );
        await this.ledger.enqueue(m, 'segment-merge.accepted', {
          mergeId: local.mergeId,
          partnerId: local.partnerId,
          messageHash: jwsHash(view.acceptance!),
        });
      });
      await this.merges.enqueueManifest(local.mergeId);
      return true;
    }
    if (local.state === SegmentMergeState.ACCEPTED) await this.merges.enqueueManifest(local.mergeId);
    if (local.state === SegmentMergeState.UPLOADED && view.result) {
      await this.storeResult(local, view.result);
      return true;
    }
    return false;
  }

  /**
   * Verifies the federation's signed result (signature under the federation's keys, addressed to
   * us, this merge, its parties, our manifest) and the consented tokens against its hash, then
   * stores the counts and marks our released tokens, in one transaction.
   */
  async storeResult(merge: SegmentMerge, jws: string): Promise<void> {
    const anchor = await this.network.trustAnchor();
    const { claims } = await verifyMessage('merge-result', jws, anchor.resolveKey, {
      audience: this.me,
      issuer: anchor.federationId,
    });
    const mine = merge.role === SegmentMergeRole.PROPOSER ? 0 : 1;
    const expected =
      merge.role === SegmentMergeRole.PROPOSER ? [this.me, merge.partnerId] : [merge.partnerId, this.me];
    if (
      claims.mergeId !== merge.mergeId ||
      claims.agreementId !== merge.agreementId ||
      claims.parties.join() !== expected.join() ||
      claims.manifests[mine] !== merge.manifestHash
    ) {
      throw new RefusedMessageError('STATE_MISMATCH', 'the result is not about this merge and our manifest');
    }
    const consented = await callFederation(
      () => mergeClient(this.network, this.keys, anchor.federationId).consented(merge.mergeId),
      'the consented tokens',
    );
    if (
      consented.length !== claims.consented.tokens * TOKEN_BYTES ||
      createHash('sha256').update(consented).digest('base64url') !== claims.consented.tokensHash
    ) {
      throw new RefusedMessageError(
        'SIGNATURE_INVALID',
        'the consented tokens do not match the signed result',
      );
    }
    const tokens: string[] = [];
    for (let at = 0; at < consented.length; at += TOKEN_BYTES) {
      tokens.push(consented.subarray(at, at + TOKEN_BYTES).toString('base64url'));
    }
    const result: StoredMergeResult = {
      counts: claims.counts,
      minCohortSize: claims.minCohortSize,
      consented: claims.consented,
      ...(claims.breakdown ? { breakdown: claims.breakdown } : {}),
      parties: claims.parties,
      computedAt: claims.computedAt,
    };
    await this.dataSource.transaction(async (m) => {
      await m.query(
        `UPDATE segment_merge_token SET consented = true WHERE merge_id = $1 AND token = ANY ($2::text[])`,
        [merge.mergeId, tokens],
      );
      await m.query(
        `UPDATE segment_merge SET state = 'completed', result_jws = $2, result = $3::jsonb, updated_at = now()
          WHERE merge_id = $1`,
        [merge.mergeId, jws, JSON.stringify(result)],
      );
      await this.ledger.enqueue(m, 'segment-merge.result', {
        mergeId: merge.mergeId,
        counts: claims.counts,
        consentedPeople: claims.consented.persons,
        messageHash: jwsHash(jws),
      });
    });
  }
}
