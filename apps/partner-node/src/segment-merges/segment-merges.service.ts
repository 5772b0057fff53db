import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import {
  unverifiedJwsPart,
  isProtocolError,
  jwsHash,
  MANIFEST_FORMAT,
  MAX_MERGE_BUCKETS,
  subjectToken,
  verifyMessage,
  type SubjectKind,
  nowSeconds,
} from '#protocol';
import { FederationError, MergeClient, toRefusalReason, type MergeView } from '#federation-client';
import { LedgerService } from '#ledger';
import {
  ConflictError,
  NotFoundError,
  RefusedMessageError,
  ValidationError,
} from '#platform/errors/app-errors';
import { paginate, type ConnectionShape } from '#platform/graphql/connection';
import { getLogger } from '#platform/logging/logger';
import { JOB_QUEUE, defineQueue, type JobQueue } from '#platform/queue/job-queue';
import { encodeManifest, tokenBytes, TOKEN_BYTES, type ManifestEntry } from '#matching';
import { AgreementState, DataCategory, Purpose } from '../agreements/agreement.enums.js';
import type { SharingAgreement } from '../agreements/agreement.entity.js';
import { AgreementsService } from '../agreements/agreements.service.js';
import type { PartnerNodeConfig } from '../config.js';
import { PARTNER_NODE_CONFIG } from '../config.token.js';
import { KeysService } from '../keys/keys.service.js';
import { fromFederation, isUnavailable } from '../network/federation-errors.js';
import { NetworkService } from '../network/network.service.js';
import { replaceMembership, type RefreshOutcome } from '../segments/segment-refresh.js';
import { Segment, SegmentKind } from '../segments/segment.entity.js';
import { SegmentsService } from '../segments/segments.service.js';
import {
  SegmentMerge,
  SegmentMergeRole,
  SegmentMergeState,
  type SegmentMergeCounts,
  type StoredMergeResult,
} from './segment-merge.entity.js';
import type {
  AcceptSegmentMergeInput,
  MaterialiseMergedSegmentInput,
  ProposeSegmentMergeInput,
  SegmentMergesArgs,
} from './segment-merges.dto.js';

/** Streams this node's manifest of one merge to the federation. */
export const MERGE_MANIFEST_QUEUE = defineQueue<{ mergeId: string }>('segment-merge.manifest');
/** Follows the merges in progress at the federation (scheduled). */
export const MERGE_SYNC_QUEUE = defineQueue('segment-merge.sync');
/** Proposals and acceptances stay verifiable this long. */
const MESSAGE_TTL_SECONDS = 30 * 86_400;
/** Partner-side consent checks at a merged-segment refresh, at once. */
const CHECK_CONCURRENCY = 8;

/** The claims of a JWS this node signed and stored itself (not a verification). */
const claimsOf = (jws: string): { root?: string } =>
  (unverifiedJwsPart(jws, 'claims') ?? {}) as { root?: string };

/**
 * Live consents of this node's customers to share segment membership for marketing with
 * `$1` (the partner) under agreement `$2`, registered with the federation: their subject tokens
 * under that agreement's key (what the manifest flags, and what a merged segment keeps).
 */
const LIVE_MERGE_CONSENT_TOKENS = `
  SELECT DISTINCT e->>'token' AS token, c.customer_id
    FROM consent c, jsonb_array_elements(c.subject_tokens) e
   WHERE $1 = ANY (c.recipients) AND c.agreement_ids[array_position(c.recipients, $1)] = $2
     AND 'marketing' = ANY (c.purposes) AND 'segment-membership' = ANY (c.categories)
     AND c.withdrawn_at IS NULL AND c.valid_from <= now() AND c.valid_until > now()
     AND c.registration_status = 'registered' AND e->>'keyId' = $2`;

/**
 * Segment merges, partner-node side: propose and accept (signed by this node, recorded by the
 * federation), the manifest of our segment built and streamed by a queue job (subject tokens
 * under the agreement's pseudonym key, each flagged with the customer's live consent to share
 * segment membership for marketing with the partner), the signed result verified before it is
 * stored, and the member-level merge materialised as a MERGED segment of our own customers whose
 * token the federation released (both sides consented), re-checked at every refresh.
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
    await this.federation(
      () => this.client(federationId).then((c) => c.propose(proposal)),
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
      await this.ledger.append(m, 'segment-merge.proposed', {
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
    await this.federation(
      () => this.client(federationId).then((c) => c.accept(merge.mergeId, acceptance)),
      'the merge acceptance',
    );
    await this.dataSource.transaction(async (m) => {
      await m.query(
        `UPDATE segment_merge SET state = 'accepted', acceptance_jws = $2, segment_id = $3, updated_at = now()
          WHERE merge_id = $1`,
        [merge.mergeId, acceptance, input.segmentId],
      );
      await this.ledger.append(m, 'segment-merge.accepted', {
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
      await this.ledger.append(m, 'segment-merge.declined', {
        mergeId: merge.mergeId,
        agreementId: merge.agreementId,
        partnerId: merge.partnerId,
      });
    });
    return this.get(merge.mergeId);
  }

  // ---- synchronisation with the federation ---------------------------------------------------

  /**
   * Reads our merges at the federation: records incoming proposals (signature verified), moves
   * our proposals to ACCEPTED (and starts the manifest job), stores verified results. Returns the
   * number of merges changed. Runs on a schedule and before the merges are listed.
   */
  async sync(): Promise<number> {
    const { federationId } = await this.network.requireActiveMember();
    const views = await this.federation(() => this.client(federationId).then((c) => c.list()), 'the merges');
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
        await this.ledger.append(m, 'segment-merge.received', {
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
        await this.ledger.append(m, 'segment-merge.accepted', {
          mergeId: local.mergeId,
          partnerId: local.partnerId,
          messageHash: jwsHash(view.acceptance!),
        });
      });
      await this.enqueueManifest(local.mergeId);
      return true;
    }
    if (local.state === SegmentMergeState.ACCEPTED) await this.enqueueManifest(local.mergeId);
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
  private async storeResult(merge: SegmentMerge, jws: string): Promise<void> {
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
    const consented = await this.federation(
      () => this.client(anchor.federationId).then((c) => c.consented(merge.mergeId)),
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
      await this.ledger.append(m, 'segment-merge.result', {
        mergeId: merge.mergeId,
        counts: claims.counts,
        consentedPeople: claims.consented.persons,
        messageHash: jwsHash(jws),
      });
    });
  }

  // ---- the manifest (queue job) --------------------------------------------------------------

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

  /**
   * The queue job: builds our manifest (every member of our segment with an e-mail or phone; one
   * record per subject token; flag = a live consent naming that token), signs its header, streams
   * its chunks, and keeps the token → customer map to resolve the result. Idempotent: a merge past
   * ACCEPTED is left alone.
   */
  async sendManifest(mergeId: string): Promise<void> {
    const merge = await this.get(mergeId);
    if (merge.state !== SegmentMergeState.ACCEPTED || !merge.segmentId) return;
    const key = await this.agreements.pseudonymKey(merge.agreementId);
    const identifiers: { customer_id: string; kind: SubjectKind; value: string; country: string | null }[] =
      await this.dataSource.query(
        `SELECT sm.customer_id, 'email' AS kind, e.address AS value, c.address_country AS country
         FROM segment_member sm JOIN customer c ON c.id = sm.customer_id AND c.deleted_at IS NULL
         JOIN customer_email e ON e.customer_id = sm.customer_id
        WHERE sm.segment_id = $1
       UNION ALL
       SELECT sm.customer_id, 'phone', p.number, c.address_country
         FROM segment_member sm JOIN customer c ON c.id = sm.customer_id AND c.deleted_at IS NULL
         JOIN customer_phone p ON p.customer_id = sm.customer_id
        WHERE sm.segment_id = $1
       ORDER BY 1, 2, 3`,
        [merge.segmentId],
      );
    const consented = new Set(
      (
        (await this.dataSource.query(LIVE_MERGE_CONSENT_TOKENS, [merge.partnerId, merge.agreementId])) as {
          token: string;
        }[]
      ).map((r) => r.token),
    );
    const ordinal = new Map<string, number>();
    const owner = new Map<string, string>();
    const entries: ManifestEntry[] = [];
    let skipped = 0;
    // Breakdown by country: bucket i + 1 = labels[i]; 0 = unknown (and beyond MAX_MERGE_BUCKETS).
    const labels = merge.bucketBy
      ? [...new Set(identifiers.map((r) => r.country).filter((c): c is string => c !== null))]
          .sort()
          .slice(0, MAX_MERGE_BUCKETS)
      : [];
    const bucketOf = new Map(labels.map((label, i) => [label, i + 1]));
    for (const { customer_id: customerId, kind, value, country } of identifiers) {
      let token: string;
      try {
        token = subjectToken(key, kind, value);
      } catch (error) {
        if (!isProtocolError(error, 'INVALID_IDENTIFIER')) throw error;
        skipped += 1;
        continue;
      }
      // A token names one person: an address shared by two customers stays with the first.
      if (owner.has(token)) continue;
      owner.set(token, customerId);
      if (!ordinal.has(customerId)) ordinal.set(customerId, ordinal.size);
      entries.push({
        token: tokenBytes(token),
        member: ordinal.get(customerId)!,
        consent: consented.has(token),
        bucket: country === null ? 0 : (bucketOf.get(country) ?? 0),
      });
    }
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
    const client = await this.client(federationId);
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
      await this.ledger.append(m, 'segment-merge.manifest', {
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
      if (view.result) await this.storeResult(await this.get(mergeId), view.result);
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

  // ---- the member-level merge ----------------------------------------------------------------

  /**
   * A MERGED segment of our customers in the consented intersection: tokens the federation
   * released (both sides flagged them and its registry backs both flags) whose customer's consent
   * is still live here. Refreshed by refreshMerged.
   */
  async materialise(input: MaterialiseMergedSegmentInput, userId: string | null): Promise<Segment> {
    const merge = await this.get(input.mergeId);
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
      const [row]: { id: string }[] = await m.query(
        `INSERT INTO segment (name, description, kind, created_by) VALUES ($1, $2, 'merged', $3) RETURNING id`,
        [name, `Member-level merge ${merge.mergeId} with ${merge.partnerId}`, userId],
      );
      await m.query(
        `UPDATE segment_merge SET merged_segment_id = $2, updated_at = now() WHERE merge_id = $1`,
        [merge.mergeId, row!.id],
      );
      const outcome = await this.replaceMergedMembers(m, merge, row!.id, undefined);
      await this.ledger.append(m, 'segment-merge.materialised', {
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
      await m.query(`SELECT 1 FROM segment WHERE id = $1 FOR UPDATE`, [segmentId]);
      const outcome = await this.replaceMergedMembers(m, merge, segmentId, live);
      if (outcome.removed > 0 || outcome.added > 0) {
        await this.ledger.append(m, 'segment-merge.refreshed', {
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
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT s.id FROM segment s JOIN segment_merge m ON m.merged_segment_id = s.id WHERE s.kind = 'merged'`,
    );
    for (const row of rows) await this.refreshMerged(row.id);
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
               JOIN customer c ON c.id = t.customer_id AND c.deleted_at IS NULL
               JOIN (${LIVE_MERGE_CONSENT_TOKENS}) live ON live.token = t.token AND live.customer_id = t.customer_id
              WHERE t.merge_id = $3 AND t.consented AND ($4::text[] IS NULL OR t.token = ANY ($4::text[]))`,
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
          const answer = await this.federation(
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
    if (agreement.state !== AgreementState.ACTIVE && agreement.state !== AgreementState.ACCEPTED) {
      throw new ValidationError(field, `agreement ${agreementId} is ${agreement.state}`);
    }
    if (!agreement.purposes.includes(Purpose.MARKETING)) {
      throw new ValidationError(field, `agreement ${agreementId} does not cover the purpose marketing`);
    }
    if (!agreement.categories.includes(DataCategory.SEGMENT_MEMBERSHIP)) {
      throw new ValidationError(
        field,
        `agreement ${agreementId} does not cover the category segment membership`,
      );
    }
    if (agreement.direction !== 'mutual') {
      throw new ValidationError(field, `agreement ${agreementId} is one-way: a merge shares both ways`);
    }
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

  private async client(federationId: string): Promise<MergeClient> {
    return new MergeClient(this.network.client().baseUrl, federationId, () => this.keys.requestSigner());
  }

  private async federation<T>(call: () => Promise<T>, what: string): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw fromFederation(error, what);
    }
  }
}
