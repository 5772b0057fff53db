import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import {
  unverifiedJwsPart,
  jwsHash,
  signMessage,
  type Ed25519PrivateJwk,
  type MergeBucketAttribute,
  type MergeResult,
  nowSeconds,
} from '#protocol';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  RefusedMessageError,
  ValidationError,
} from '#platform/errors/app-errors';
import { getLogger } from '#platform/logging/logger';
import {
  ManifestError,
  overlap,
  suppressMerge,
  type SuppressedSideCell,
  validateChunk,
  validateManifest,
  type ChunkSummary,
} from '#matching';
import type { FederationConfig } from '../config.js';
import { FEDERATION_CONFIG } from '../config.token.js';
import { ConsentsService } from '../consents/consents.service.js';
import { EventsService } from '../events/events.service.js';
import { MessageIntake } from '../intake/message-intake.service.js';
import { FederationKeysService } from '../keys/federation-keys.service.js';
import { MERGE_PATHS, type ChunkReceipt, type MergeView, type MergeStateValue } from '#federation-client';
import { agreementInForce } from '../agreements/agreements.queries.js';

/** The signed result stays verifiable (exp) this long. */
const RESULT_TTL_SECONDS = 365 * 86_400;

interface MergeRow {
  merge_id: string;
  agreement_id: string;
  proposer: string;
  partner: string;
  state: MergeStateValue;
  proposer_segment: string;
  partner_segment: string | null;
  bucket_by: MergeBucketAttribute | null;
  proposal_jws: string;
  acceptance_jws: string | null;
  result_jws: string | null;
  created_at: Date;
}

interface ManifestRow {
  merge_id: string;
  party: string;
  manifest_hash: string;
  root: string;
  chunk_count: number;
  total: number;
  members: number;
  buckets: string[] | null;
  complete_at: Date | null;
  chunks_received: number;
}

const MERGE_COLUMNS = `merge_id, agreement_id, proposer, partner, state, proposer_segment, partner_segment, bucket_by,
  proposal_jws, acceptance_jws, result_jws, created_at`;

/**
 * Segment merges at the federation: proposal and acceptance (signed by the parties, under a live
 * mutual agreement covering marketing and segment membership), the two manifests (signed header,
 * binary chunks validated as they stream in), then the overlap of the two sorted manifests in
 * memory, small cells suppressed, the consent flags checked against the registry, and a result
 * signed by the federation. The federation sees keyed pseudonyms only (invariant 4).
 */
@Injectable()
export class MergesService {
  /**
   * Chunks received by this process, by merge/party/index: the overlap then needs no read back
   * from PostgreSQL (which holds them too, so any process can finish a merge).
   */
  private readonly chunkCache = new Map<string, Buffer>();

  constructor(
    @Inject(FEDERATION_CONFIG) private readonly config: FederationConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly intake: MessageIntake,
    private readonly events: EventsService,
    private readonly keys: FederationKeysService,
    private readonly consents: ConsentsService,
  ) {}

  propose(jws: string, route: string): Promise<MergeView> {
    return this.intake.accept('merge-proposal', jws, { route }, async ({ claims }, m) => {
      await this.mergeableAgreement(m, claims.agreementId, claims.iss, claims.partner);
      if (claims.bucketBy) await this.allowsBreakdown(m, claims.agreementId, claims.bucketBy);
      const exists: unknown[] = await m.query(`SELECT 1 FROM segment_merge WHERE merge_id = $1`, [
        claims.mergeId,
      ]);
      if (exists.length > 0) throw new RefusedMessageError('MERGE_EXISTS', `merge ${claims.mergeId} exists`);
      await m.query(
        `INSERT INTO segment_merge (merge_id, agreement_id, proposer, partner, state, proposer_segment, bucket_by, proposal_jws)
         VALUES ($1, $2, $3, $4, 'proposed', $5, $6, $7)`,
        [
          claims.mergeId,
          claims.agreementId,
          claims.iss,
          claims.partner,
          claims.segment,
          claims.bucketBy ?? null,
          jws,
        ],
      );
      await this.events.append(
        m,
        'merge.proposed',
        claims.mergeId,
        {
          agreementId: claims.agreementId,
          proposer: claims.iss,
          partner: claims.partner,
          messageHash: jwsHash(jws),
        },
        { signed: [jws] },
      );
      return this.view(m, claims.mergeId);
    });
  }

  accept(mergeId: string, jws: string, route: string): Promise<MergeView> {
    return this.intake.accept('merge-acceptance', jws, { route }, async ({ claims }, m) => {
      if (claims.mergeId !== mergeId) {
        throw new RefusedMessageError('REQUEST_MISMATCH', 'the acceptance names another merge');
      }
      const merge = await this.locked(m, mergeId);
      if (claims.iss !== merge.partner) {
        throw new RefusedMessageError('WRONG_PARTY', 'only the partner asked may accept a merge');
      }
      if (merge.state !== 'proposed')
        throw new RefusedMessageError('MERGE_STATE', `merge ${mergeId} is ${merge.state}`);
      if (claims.agreementId !== merge.agreement_id || claims.proposalHash !== jwsHash(merge.proposal_jws)) {
        throw new RefusedMessageError('STATE_MISMATCH', 'the acceptance is bound to another proposal');
      }
      if ((claims.bucketBy ?? null) !== merge.bucket_by) {
        throw new RefusedMessageError(
          'STATE_MISMATCH',
          'the acceptance names another breakdown than the proposal',
        );
      }
      await this.mergeableAgreement(m, merge.agreement_id, merge.proposer, merge.partner);
      await m.query(
        `UPDATE segment_merge SET state = 'accepted', acceptance_jws = $2, partner_segment = $3, updated_at = now()
          WHERE merge_id = $1`,
        [mergeId, jws, claims.segment],
      );
      await this.events.append(
        m,
        'merge.accepted',
        mergeId,
        {
          agreementId: merge.agreement_id,
          partner: merge.partner,
          messageHash: jwsHash(jws),
        },
        { signed: [jws] },
      );
      return this.view(m, mergeId);
    });
  }

  manifest(mergeId: string, jws: string, route: string): Promise<MergeView> {
    return this.intake.accept('merge-manifest', jws, { route }, async ({ claims }, m) => {
      if (claims.mergeId !== mergeId) {
        throw new RefusedMessageError('REQUEST_MISMATCH', 'the manifest names another merge');
      }
      const merge = await this.locked(m, mergeId);
      const segment = this.segmentOf(merge, claims.iss);
      if (segment === undefined)
        throw new RefusedMessageError('WRONG_PARTY', 'only a party sends a manifest');
      if (merge.state !== 'accepted')
        throw new RefusedMessageError('MERGE_STATE', `merge ${mergeId} is ${merge.state}`);
      if (claims.agreementId !== merge.agreement_id) {
        throw new RefusedMessageError('STATE_MISMATCH', 'the manifest names another agreement');
      }
      if (claims.segment !== segment) {
        throw new RefusedMessageError(
          'WRONG_SEGMENT',
          `the manifest is not for segment ${segment} named by ${claims.iss}`,
        );
      }
      if ((claims.buckets !== undefined) !== (merge.bucket_by !== null)) {
        throw new RefusedMessageError(
          'STATE_MISMATCH',
          merge.bucket_by
            ? `the merge is broken down by ${merge.bucket_by}: the manifest must declare its buckets`
            : 'the merge has no breakdown: the manifest must not declare buckets',
        );
      }
      if (merge.bucket_by === 'country' && !(claims.buckets ?? []).every((b) => /^[A-Z]{2}$/u.test(b))) {
        throw new RefusedMessageError('INVALID_CLAIMS', 'country buckets are ISO 3166-1 alpha-2 codes');
      }
      const exists: unknown[] = await m.query(
        `SELECT 1 FROM merge_manifest WHERE merge_id = $1 AND party = $2`,
        [mergeId, claims.iss],
      );
      if (exists.length > 0)
        throw new RefusedMessageError('MANIFEST_EXISTS', `${claims.iss} already sent its manifest`);
      await m.query(
        `INSERT INTO merge_manifest (merge_id, party, jws, manifest_hash, root, chunk_count, total, members, buckets)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb)`,
        [
          mergeId,
          claims.iss,
          jws,
          jwsHash(jws),
          claims.root,
          claims.chunkCount,
          claims.total,
          claims.members,
          claims.buckets ? JSON.stringify(claims.buckets) : null,
        ],
      );
      await this.events.append(
        m,
        'merge.manifest',
        mergeId,
        {
          party: claims.iss,
          root: claims.root,
          chunkCount: claims.chunkCount,
          messageHash: jwsHash(jws),
        },
        { signed: [jws] },
      );
      return this.view(m, mergeId);
    });
  }

  /**
   * One chunk of `party`'s manifest, uploaded by that party. Validated at once (the error names
   * the chunk and the record); the last chunk checks the whole manifest against its signed header
   * (a refused manifest is deleted, chunks and all, and may be sent again); the last chunk of the
   * second manifest computes and signs the result.
   */
  async chunk(
    requester: string,
    mergeId: string,
    party: string,
    index: number,
    bytes: Buffer,
  ): Promise<ChunkReceipt> {
    if (requester !== party)
      throw new ForbiddenError('a party uploads its own manifest only', { reason: 'NOT_A_PARTY' });
    const header = await this.manifestRow(this.dataSource.manager, mergeId, party);
    if (!header) throw new NotFoundError('Manifest', `${mergeId}/${party}`);
    if (!Number.isInteger(index) || index < 0 || index >= header.chunk_count) {
      throw new ValidationError('index', `must be 0 to ${header.chunk_count - 1}`);
    }
    let summary: ChunkSummary;
    try {
      summary = validateChunk(bytes, index, header.members, header.buckets?.length ?? 0);
    } catch (error) {
      throw await this.refuseManifest(error, mergeId, party);
    }
    // The key that signs a result, read before the transaction: reading it may take a connection
    // of its own, which an embedded (single-connection) database would never hand out inside one.
    const signingKey = await this.keys.signingKey();
    const outcome = await this.dataSource.transaction(async (m) => {
      const merge = await this.locked(m, mergeId);
      const row = await this.manifestRow(m, mergeId, party, true);
      if (!row) throw new NotFoundError('Manifest', `${mergeId}/${party}`);
      if (row.complete_at)
        throw new ConflictError(`the manifest of ${party} is complete`, { field: 'index' });
      const had: unknown[] = await m.query(
        `SELECT 1 FROM merge_manifest_chunk WHERE merge_id = $1 AND party = $2 AND idx = $3`,
        [mergeId, party, index],
      );
      await m.query(
        `INSERT INTO merge_manifest_chunk (merge_id, party, idx, bytes, records, first_token, last_token)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (merge_id, party, idx) DO UPDATE
           SET bytes = EXCLUDED.bytes, records = EXCLUDED.records, first_token = EXCLUDED.first_token,
               last_token = EXCLUDED.last_token`,
        [mergeId, party, index, bytes, summary.records, summary.first, summary.last],
      );
      this.chunkCache.set(cacheKey(mergeId, party, index), bytes);
      const received = row.chunks_received + (had.length > 0 ? 0 : 1);
      if (received < row.chunk_count)
        return { received, complete: false, state: merge.state, refused: undefined };
      try {
        await this.completeManifest(m, row);
      } catch (error) {
        if (!(error instanceof ManifestError)) throw error;
        await m.query(`DELETE FROM merge_manifest WHERE merge_id = $1 AND party = $2`, [mergeId, party]);
        this.forget(mergeId, party);
        return { received, complete: false, state: merge.state, refused: error };
      }
      const state = (await this.bothComplete(m, mergeId))
        ? await this.computeResult(m, merge, signingKey)
        : merge.state;
      return { received, complete: true, state, refused: undefined };
    });
    if (outcome.refused) throw await this.refuseManifest(outcome.refused, mergeId, party);
    return {
      mergeId,
      party,
      index,
      chunksReceived: outcome.received,
      chunkCount: header.chunk_count,
      complete: outcome.complete,
      state: outcome.state,
    };
  }

  /**
   * A bad chunk, or a manifest whose chunks do not add up, recorded like any refused message (the
   * party is authenticated; the message names chunk and record, never a token) and returned as
   * the error to throw. Other errors pass through unrecorded.
   */
  private async refuseManifest(error: unknown, mergeId: string, party: string): Promise<unknown> {
    if (!(error instanceof ManifestError)) return error;
    const refusal = manifestRefusal(error);
    await this.intake.record({
      kind: error.chunk === undefined ? 'merge-manifest' : 'merge-manifest-chunk',
      reason: error.problem,
      issuer: party,
      kid: null,
      jti: null,
      route: `POST ${MERGE_PATHS.merges}/:mergeId/manifests/:party/chunks/:index`,
      message: `merge ${mergeId}, ${refusal.message}`,
    });
    return refusal;
  }

  /** Merges where `party` is the proposer or the partner, newest first. */
  async list(party: string): Promise<MergeView[]> {
    const rows: { merge_id: string }[] = await this.dataSource.query(
      `SELECT merge_id FROM segment_merge WHERE proposer = $1 OR partner = $1 ORDER BY created_at DESC, merge_id LIMIT 500`,
      [party],
    );
    return Promise.all(rows.map((r) => this.view(this.dataSource.manager, r.merge_id)));
  }

  async get(requester: string, mergeId: string): Promise<MergeView> {
    const view = await this.view(this.dataSource.manager, mergeId);
    if (view.proposer !== requester && view.partner !== requester) {
      throw new ForbiddenError('only the parties read a merge', { reason: 'NOT_A_PARTY' });
    }
    return view;
  }

  /** The consented shared tokens (32 bytes each, sorted), whose hash the signed result carries. */
  async consented(requester: string, mergeId: string): Promise<Buffer> {
    await this.get(requester, mergeId);
    const [row]: { consented_tokens: Buffer | null }[] = await this.dataSource.query(
      `SELECT consented_tokens FROM segment_merge WHERE merge_id = $1`,
      [mergeId],
    );
    if (!row?.consented_tokens)
      throw new ConflictError(`merge ${mergeId} has no result yet`, { field: 'mergeId' });
    return asBuffer(row.consented_tokens);
  }

  // ---- internals ------------------------------------------------------------------------------

  /** A live, mutual agreement between exactly these two parties covering marketing and segment membership. */
  private async mergeableAgreement(m: EntityManager, agreementId: string, proposer: string, partner: string) {
    const rows: {
      party_a: string;
      party_b: string;
      direction: string;
      purposes: string[];
      categories: string[];
      min_cohort_size: number;
      live: boolean;
    }[] = await m.query(
      `SELECT party_a, party_b, direction, purposes, categories, min_cohort_size,
              (${agreementInForce('agreement')}) AS live
         FROM agreement WHERE agreement_id = $1`,
      [agreementId],
    );
    const agreement = rows[0];
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
  private async allowsBreakdown(m: EntityManager, agreementId: string, bucketBy: MergeBucketAttribute) {
    const [terms]: { jws: string }[] = await m.query(
      `SELECT jws FROM agreement_message WHERE agreement_id = $1 AND kind = 'agreement' ORDER BY seq LIMIT 1`,
      [agreementId],
    );
    // Verified when the agreement was proposed; only read here.
    const claims = terms
      ? ((unverifiedJwsPart(terms.jws, 'claims') ?? {}) as { mergeBuckets?: string[] })
      : {};
    if (!claims.mergeBuckets?.includes(bucketBy)) {
      throw new RefusedMessageError(
        'MERGE_NOT_ALLOWED',
        `agreement ${agreementId} does not allow a breakdown by ${bucketBy}`,
      );
    }
  }

  private segmentOf(merge: MergeRow, party: string): string | undefined {
    if (party === merge.proposer) return merge.proposer_segment;
    if (party === merge.partner) return merge.partner_segment ?? undefined;
    return undefined;
  }

  private async locked(m: EntityManager, mergeId: string): Promise<MergeRow> {
    const rows: MergeRow[] = await m.query(
      `SELECT ${MERGE_COLUMNS} FROM segment_merge WHERE merge_id = $1 FOR UPDATE`,
      [mergeId],
    );
    if (!rows[0]) throw new RefusedMessageError('UNKNOWN_MERGE', `no merge ${mergeId}`);
    return rows[0];
  }

  private async manifestRow(m: EntityManager, mergeId: string, party: string, lock = false) {
    const rows: ManifestRow[] = await m.query(
      `SELECT mm.merge_id, mm.party, mm.manifest_hash, mm.root, mm.chunk_count, mm.total, mm.members, mm.buckets,
              mm.complete_at,
              (SELECT count(*)::int FROM merge_manifest_chunk c WHERE c.merge_id = mm.merge_id AND c.party = mm.party)
                AS chunks_received
         FROM merge_manifest mm WHERE mm.merge_id = $1 AND mm.party = $2 ${lock ? 'FOR UPDATE' : ''}`,
      [mergeId, party],
    );
    return rows[0];
  }

  private async chunksOf(m: EntityManager, mergeId: string, party: string, count: number) {
    const chunks: Buffer[] = [];
    const summaries: ChunkSummary[] = [];
    const meta: { idx: number; records: number; first_token: Uint8Array; last_token: Uint8Array }[] =
      await m.query(
        `SELECT idx, records, first_token, last_token FROM merge_manifest_chunk WHERE merge_id = $1 AND party = $2 ORDER BY idx`,
        [mergeId, party],
      );
    for (const chunk of meta) {
      let bytes = this.chunkCache.get(cacheKey(mergeId, party, chunk.idx));
      if (!bytes) {
        const [row]: { bytes: Buffer }[] = await m.query(
          `SELECT bytes FROM merge_manifest_chunk WHERE merge_id = $1 AND party = $2 AND idx = $3`,
          [mergeId, party, chunk.idx],
        );
        bytes = asBuffer(row!.bytes);
      }
      chunks.push(bytes);
      summaries.push({
        records: chunk.records,
        first: asBuffer(chunk.first_token),
        last: asBuffer(chunk.last_token),
      });
    }
    if (chunks.length !== count)
      throw new ManifestError('CHUNK_COUNT', `${chunks.length} chunks instead of ${count}`);
    return { chunks, summaries };
  }

  private async completeManifest(m: EntityManager, row: ManifestRow): Promise<void> {
    const { chunks, summaries } = await this.chunksOf(m, row.merge_id, row.party, row.chunk_count);
    validateManifest(
      chunks,
      {
        chunkCount: row.chunk_count,
        total: row.total,
        members: row.members,
        buckets: row.buckets?.length ?? 0,
        root: row.root,
      },
      summaries,
    );
    await m.query(`UPDATE merge_manifest SET complete_at = now() WHERE merge_id = $1 AND party = $2`, [
      row.merge_id,
      row.party,
    ]);
  }

  private async bothComplete(m: EntityManager, mergeId: string): Promise<boolean> {
    const [{ n }]: { n: number }[] = await m.query(
      `SELECT count(*)::int AS n FROM merge_manifest WHERE merge_id = $1 AND complete_at IS NOT NULL`,
      [mergeId],
    );
    return n === 2;
  }

  /**
   * The overlap of the two manifests, counts suppressed under the agreement's minimum cohort
   * size, and the member-level merge: shared tokens flagged by both sides whose flags the
   * registry backs (a live consent from each side to the other for marketing and segment
   * membership). Signed; the chunks are dropped.
   */
  private async computeResult(
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
      const row = (await this.manifestRow(m, merge.merge_id, party))!;
      const { chunks, summaries } = await this.chunksOf(m, merge.merge_id, party, row.chunk_count);
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
    for (const party of claims.parties) this.forget(merge.merge_id, party);
    getLogger().info(
      { mergeId: merge.merge_id, sharedTokens: result.sharedTokens, ms: Date.now() - started },
      'segment merge computed',
    );
    return 'completed';
  }

  private forget(mergeId: string, party: string): void {
    for (const key of this.chunkCache.keys())
      if (key.startsWith(`${mergeId}/${party}/`)) this.chunkCache.delete(key);
  }

  private async view(m: EntityManager, mergeId: string): Promise<MergeView> {
    const rows: MergeRow[] = await m.query(`SELECT ${MERGE_COLUMNS} FROM segment_merge WHERE merge_id = $1`, [
      mergeId,
    ]);
    const merge = rows[0];
    if (!merge) throw new NotFoundError('Merge', mergeId);
    const manifests: ManifestRow[] = await m.query(
      `SELECT mm.party, mm.manifest_hash, mm.chunk_count, mm.complete_at,
              (SELECT count(*)::int FROM merge_manifest_chunk c WHERE c.merge_id = mm.merge_id AND c.party = mm.party)
                AS chunks_received
         FROM merge_manifest mm WHERE mm.merge_id = $1 ORDER BY mm.party`,
      [mergeId],
    );
    return {
      mergeId: merge.merge_id,
      agreementId: merge.agreement_id,
      proposer: merge.proposer,
      partner: merge.partner,
      state: merge.state,
      proposal: merge.proposal_jws,
      acceptance: merge.acceptance_jws,
      manifests: manifests.map((r) => ({
        party: r.party,
        manifestHash: r.manifest_hash,
        chunkCount: r.chunk_count,
        chunksReceived: r.complete_at ? r.chunk_count : r.chunks_received,
        complete: r.complete_at !== null,
      })),
      result: merge.result_jws,
      createdAt: Math.floor(merge.created_at.getTime() / 1000),
    };
  }
}

/** bytea as a Buffer: node-postgres gives Buffers, PGlite (the embedded database) Uint8Arrays. */
const asBuffer = (bytes: Uint8Array): Buffer =>
  Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

const cacheKey = (mergeId: string, party: string, index: number) => `${mergeId}/${party}/${index}`;

/** A bad chunk or manifest as a typed error naming the chunk and record. */
function manifestRefusal(error: ManifestError): ValidationError {
  return new ValidationError(
    error.chunk === undefined ? 'manifest' : `chunks[${error.chunk}]`,
    error.message,
    {
      reason: error.problem,
      chunk: error.chunk,
      position: error.position,
    },
  );
}
