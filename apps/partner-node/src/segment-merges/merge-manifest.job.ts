import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { jwsHash, MANIFEST_FORMAT, nowSeconds, unverifiedJwsPart, type SubjectKind } from '#protocol';
import { FederationError, toRefusalReason } from '#federation-client';
import { LedgerService } from '#ledger';
import { RefusedMessageError } from '#platform/errors/app-errors';
import { getLogger } from '#platform/logging/logger';
import { encodeManifest, manifestEntriesOf } from '#matching';
import { AgreementsService } from '../agreements/agreements.service.js';
import type { PartnerNodeConfig } from '../config.js';
import { PARTNER_NODE_CONFIG } from '../config.token.js';
import { ConsentsRepository } from '../consents/consents.repository.js';
import { KeysService } from '../keys/keys.service.js';
import { isUnavailable } from '../network/federation-errors.js';
import { NetworkService } from '../network/network.service.js';
import { MESSAGE_TTL_SECONDS, mergeClient } from './merge-federation.js';
import { runNamed } from '#platform/database/named-queries';
import { SEGMENT_MERGE_MANIFEST_QUERIES } from './merge-manifest.queries.js';
import { MergeSyncService } from './merge-sync.service.js';
import { SegmentMergeState } from './segment-merge.entity.js';
import { SegmentMergesService } from './segment-merges.service.js';

/** The claims of a JWS this node signed and stored itself (not a verification). */
const claimsOf = (jws: string): { root?: string } =>
  (unverifiedJwsPart(jws, 'claims') ?? {}) as { root?: string };

/**
 * The job of MERGE_MANIFEST_QUEUE: this node's manifest of one accepted merge, built (the pure
 * part is `manifestEntriesOf` of #matching), signed and streamed to the federation.
 */
@Injectable()
export class MergeManifestJob {
  constructor(
    @Inject(PARTNER_NODE_CONFIG) private readonly config: PartnerNodeConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly merges: SegmentMergesService,
    private readonly sync: MergeSyncService,
    private readonly agreements: AgreementsService,
    private readonly consentRows: ConsentsRepository,
    private readonly network: NetworkService,
    private readonly keys: KeysService,
    private readonly ledger: LedgerService,
  ) {}

  private get me(): string {
    return this.config.partnerId;
  }

  /**
   * The queue job: builds our manifest (every member of our segment with an e-mail or phone; one
   * record per subject token; flag = a live consent naming that token), signs its header, streams
   * its chunks, and keeps the token → customer map to resolve the result. Idempotent: a merge past
   * ACCEPTED is left alone.
   */
  async sendManifest(mergeId: string): Promise<void> {
    const merge = await this.merges.get(mergeId);
    if (merge.state !== SegmentMergeState.ACCEPTED || !merge.segmentId) return;
    const key = await this.agreements.pseudonymKey(merge.agreementId);
    const identifiers = await runNamed<
      { customer_id: string; kind: SubjectKind; value: string; country: string | null },
      'manifestIdentifiers'
    >(this.dataSource, SEGMENT_MERGE_MANIFEST_QUERIES, 'manifestIdentifiers', [merge.segmentId]);
    const consented = await this.consentRows.liveSegmentMembershipTokens(merge.partnerId, merge.agreementId);
    const { entries, owner, labels, skipped } = manifestEntriesOf(
      identifiers.map((r) => ({
        customerId: r.customer_id,
        kind: r.kind,
        value: r.value,
        country: r.country,
      })),
      key,
      consented,
      Boolean(merge.bucketBy),
    );
    if (entries.length === 0) {
      await this.fail(mergeId, 'our segment has no member with an e-mail address or phone number');
      return;
    }
    const manifest = encodeManifest(entries, undefined, labels.length);
    const { federationId } = await this.network.requireActiveMember();
    // A retry of a job that signed (and maybe sent) the same manifest reuses its header.
    const now = nowSeconds();
    const header =
      merge.manifestJws && claimsOf(merge.manifestJws).root === manifest.root
        ? merge.manifestJws
        : await this.keys.sign('merge-manifest', {
            iss: this.me,
            aud: federationId,
            iat: now,
            exp: now + MESSAGE_TTL_SECONDS,
            mergeId,
            agreementId: merge.agreementId,
            segment: merge.segmentId,
            format: MANIFEST_FORMAT,
            chunkCount: manifest.chunkCount,
            total: manifest.total,
            members: manifest.members,
            root: manifest.root,
            ...(merge.bucketBy ? { buckets: labels } : {}),
          });
    await this.dataSource.transaction(async (m) => {
      await m.query(`DELETE FROM segment_merge_token WHERE merge_id = $1`, [mergeId]);
      const tokens = [...owner.keys()];
      for (let i = 0; i < tokens.length; i += 10_000) {
        const slice = tokens.slice(i, i + 10_000);
        await m.query(
          `INSERT INTO segment_merge_token (merge_id, token, customer_id)
           SELECT $1, t, c FROM unnest($2::text[], $3::uuid[]) AS u(t, c)`,
          [mergeId, slice, slice.map((t) => owner.get(t))],
        );
      }
      await m.query(
        `UPDATE segment_merge SET manifest_jws = $2, manifest_hash = $3, updated_at = now() WHERE merge_id = $1`,
        [mergeId, header, jwsHash(header)],
      );
    });
    const client = mergeClient(this.network, this.keys, federationId);
    const sent = (await client.get(mergeId)).manifests.find((m) => m.party === this.me);
    if (sent && sent.manifestHash !== jwsHash(header)) {
      await this.fail(mergeId, 'the federation holds another manifest of ours for this merge');
      return;
    }
    if (!sent) {
      try {
        await client.sendManifest(mergeId, header);
      } catch (error) {
        throw await this.refusedOrRetry(mergeId, error, 'the manifest');
      }
    }
    let last;
    for (const [index, chunk] of sent?.complete ? [] : manifest.chunks.entries()) {
      try {
        last = await client.uploadChunk(mergeId, this.me, index, chunk);
      } catch (error) {
        throw await this.refusedOrRetry(mergeId, error, `chunk ${index}`);
      }
    }
    await this.dataSource.transaction(async (m) => {
      await m.query(`UPDATE segment_merge SET state = 'uploaded', updated_at = now() WHERE merge_id = $1`, [
        mergeId,
      ]);
      await this.ledger.enqueue(m, 'segment-merge.manifest', {
        mergeId,
        root: manifest.root,
        chunkCount: manifest.chunkCount,
        messageHash: jwsHash(header),
      });
    });
    if (skipped > 0)
      getLogger().warn({ mergeId, skipped }, 'identifiers that cannot be normalised were skipped');
    if (last?.state !== 'accepted') {
      const view = await client.get(mergeId);
      if (view.result) await this.sync.storeResult(await this.merges.get(mergeId), view.result);
    }
  }

  /** A refusal ends the merge (FAILED, with the reason); an outage is thrown for the queue to retry. */
  private async refusedOrRetry(mergeId: string, error: unknown, what: string): Promise<unknown> {
    if (error instanceof FederationError && !isUnavailable(error)) {
      await this.fail(
        mergeId,
        `the federation refused ${what}: ${error.reason ?? error.code}: ${error.message}`,
      );
      return new RefusedMessageError(toRefusalReason(error.reason ?? error.code), error.message);
    }
    return error;
  }

  private async fail(mergeId: string, reason: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE segment_merge SET state = 'failed', error = $2, updated_at = now() WHERE merge_id = $1`,
      [mergeId, reason.slice(0, 500)],
    );
    getLogger().warn({ mergeId }, 'segment merge failed');
  }
}
