import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  unverifiedJwsPart,
  jwsHash,
  signMessage,
  type Ed25519PrivateJwk,
  type MergeBucketAttribute,
  type MergeResult,
  nowSeconds,
} from '#protocol';
import { RefusedMessageError } from '#platform/errors/app-errors';
import { getLogger } from '#platform/logging/logger';
import { overlap, suppressMerge, validateManifest, type SuppressedSideCell } from '#matching';
import type { MergeStateValue } from '#federation-client';
import type { FederationConfig } from '../config.js';
import { FEDERATION_CONFIG } from '../config.token.js';
import { AgreementsRepository } from '../agreements/agreements.repository.js';
import { ConsentsService } from '../consents/consents.service.js';
import { EventsService } from '../events/events.service.js';
import { MergesRepository, type MergeRow } from './merges.repository.js';

/** The signed result stays verifiable (exp) this long. */
const RESULT_TTL_SECONDS = 365 * 86_400;

/**
 * What a merge may be and what it yields: the agreement it runs under (live, mutual, between its
 * two parties, covering marketing and segment membership, a minimum cohort above the network's
 * floor; a breakdown only by an attribute its signed terms name), and the result once both
 * manifests are complete.
 */
@Injectable()
export class MergeResultService {
  constructor(
    @Inject(FEDERATION_CONFIG) private readonly config: FederationConfig,
    private readonly events: EventsService,
    private readonly consents: ConsentsService,
    private readonly rows: MergesRepository,
    private readonly agreements: AgreementsRepository,
  ) {}

  /** A live, mutual agreement between exactly these two parties covering marketing and segment membership. */
  async mergeableAgreement(m: EntityManager, agreementId: string, proposer: string, partner: string) {
    const agreement = await this.agreements.terms(agreementId, m);
    if (!agreement) throw new RefusedMessageError('UNKNOWN_AGREEMENT', `no agreement ${agreementId}`);
    const parties = [agreement.party_a, agreement.party_b];
    if (!parties.includes(proposer) || !parties.includes(partner)) {
      throw new RefusedMessageError(
        'WRONG_PARTY',
        `${proposer} and ${partner} are not the parties of ${agreementId}`,
      );
    }
    if (!agreement.live)
      throw new RefusedMessageError('AGREEMENT_NOT_ACTIVE', `agreement ${agreementId} is not active`);
    // A minimum cohort of 1 or 2 would publish near-individual counts: the network sets a floor.
    if (agreement.min_cohort_size < this.config.merge.minCohortSize) {
      throw new RefusedMessageError(
        'COHORT_TOO_SMALL',
        `agreement ${agreementId} suppresses counts under ${agreement.min_cohort_size}; merges need a minimum cohort of at least ${this.config.merge.minCohortSize}`,
      );
    }
    if (!agreement.purposes.includes('marketing')) {
      throw new RefusedMessageError(
        'MERGE_NOT_ALLOWED',
        `agreement ${agreementId} does not cover the purpose marketing`,
      );
    }
    if (!agreement.categories.includes('segment-membership')) {
      throw new RefusedMessageError(
        'MERGE_NOT_ALLOWED',
        `agreement ${agreementId} does not cover the category segment-membership`,
      );
    }
    if (agreement.direction !== 'mutual') {
      throw new RefusedMessageError(
        'MERGE_NOT_ALLOWED',
        `agreement ${agreementId} is one-way: a merge shares both ways`,
      );
    }
    return agreement;
  }

  /** The agreement's signed terms name `bucketBy` among their `mergeBuckets`. */
  async allowsBreakdown(m: EntityManager, agreementId: string, bucketBy: MergeBucketAttribute) {
    const terms = await this.agreements.signedTerms(agreementId, m);
    // Verified when the agreement was proposed; only read here.
    const claims = terms ? ((unverifiedJwsPart(terms, 'claims') ?? {}) as { mergeBuckets?: string[] }) : {};
    if (!claims.mergeBuckets?.includes(bucketBy)) {
      throw new RefusedMessageError(
        'MERGE_NOT_ALLOWED',
        `agreement ${agreementId} does not allow a breakdown by ${bucketBy}`,
      );
    }
  }

  /**
   * The overlap of the two manifests, counts suppressed under the agreement's minimum cohort
   * size, and the member-level merge: shared tokens flagged by both sides whose flags the
   * registry backs (a live consent from each side to the other for marketing and segment
   * membership). Signed; the chunks are dropped.
   */
  async computeResult(
    m: EntityManager,
    merge: MergeRow,
    signingKey: Ed25519PrivateJwk,
  ): Promise<MergeStateValue> {
    const started = Date.now();
    const agreement = await this.mergeableAgreement(m, merge.agreement_id, merge.proposer, merge.partner);
    const sides = [];
    const hashes: string[] = [];
    const labels: (string | null)[][] = [];
    for (const party of [merge.proposer, merge.partner]) {
      const row = (await this.rows.manifestRow(m, merge.merge_id, party))!;
      const { chunks, summaries } = await this.rows.chunksOf(m, merge.merge_id, party, row.chunk_count);
      const records = validateManifest(
        chunks,
        {
          chunkCount: row.chunk_count,
          total: row.total,
          members: row.members,
          buckets: row.buckets?.length ?? 0,
        },
        summaries,
      );
      sides.push({ records, members: row.members, buckets: row.buckets?.length ?? 0 });
      hashes.push(row.manifest_hash);
      labels.push([null, ...(row.buckets ?? [])]);
    }
    const result = overlap(sides[0]!, sides[1]!);
    const candidates = result.consented.map((c) => c.token.toString('base64url'));
    const rule = { purpose: 'marketing', category: 'segment-membership' };
    const [fromA, fromB] = await Promise.all([
      this.consents.liveTokens(m, candidates, {
        controller: merge.proposer,
        recipient: merge.partner,
        ...rule,
      }),
      this.consents.liveTokens(m, candidates, {
        controller: merge.partner,
        recipient: merge.proposer,
        ...rule,
      }),
    ]);
    const released = result.consented.filter(
      (_, i) => fromA.has(candidates[i]!) && fromB.has(candidates[i]!),
    );
    const tokens = Buffer.concat(released.map((c) => c.token));
    // Small cells and their complements, chosen with every identity of the table in view.
    const consentedPersons = new Set(released.map((c) => c.person)).size;
    const published = suppressMerge(
      result.counts,
      merge.bucket_by ? result.breakdown : undefined,
      agreement.min_cohort_size,
      consentedPersons,
    );
    const counts = published.counts;
    const labelled = (cells: SuppressedSideCell[], bucketLabels: (string | null)[]) =>
      cells.map((cell, i) => ({ bucket: bucketLabels[i]!, ...cell }));
    const breakdown =
      merge.bucket_by && published.breakdown
        ? {
            attribute: merge.bucket_by,
            a: labelled(published.breakdown.a, labels[0]!),
            b: labelled(published.breakdown.b, labels[1]!),
          }
        : undefined;
    const now = nowSeconds();
    const claims: Omit<MergeResult, 'jti'> = {
      iss: this.config.federationId,
      aud: [merge.proposer, merge.partner],
      iat: now,
      exp: now + RESULT_TTL_SECONDS,
      mergeId: merge.merge_id,
      agreementId: merge.agreement_id,
      parties: [merge.proposer, merge.partner],
      minCohortSize: agreement.min_cohort_size,
      manifests: [hashes[0]!, hashes[1]!],
      counts,
      ...(breakdown ? { breakdown } : {}),
      consented: {
        persons: consentedPersons,
        tokens: released.length,
        tokensHash: createHash('sha256').update(tokens).digest('base64url'),
      },
      computedAt: now,
    };
    const jws = signMessage('merge-result', claims, signingKey);
    await m.query(
      `UPDATE segment_merge SET state = 'completed', result_jws = $2, consented_tokens = $3, updated_at = now()
        WHERE merge_id = $1`,
      [merge.merge_id, jws, tokens],
    );
    await m.query(`DELETE FROM merge_manifest_chunk WHERE merge_id = $1`, [merge.merge_id]);
    await this.events.append(
      m,
      'merge.result',
      merge.merge_id,
      {
        counts: claims.counts,
        consentedPersons: claims.consented.persons,
        manifests: claims.manifests,
        messageHash: jwsHash(jws),
      },
      { signed: [jws] },
    );
    for (const party of claims.parties) this.rows.forget(merge.merge_id, party);
    getLogger().info(
      { mergeId: merge.merge_id, sharedTokens: result.sharedTokens, ms: Date.now() - started },
      'segment merge computed',
    );
    return 'completed';
  }
}
