import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { jwsHash } from '#protocol';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  RefusedMessageError,
  ValidationError,
} from '#platform/errors/app-errors';
import { ManifestError, validateChunk, type ChunkSummary } from '#matching';
import { EventsService } from '../events/events.service.js';
import { MessageIntake } from '../intake/message-intake.service.js';
import { FederationKeysService } from '../keys/federation-keys.service.js';
import { MERGE_PATHS, type ChunkReceipt, type MergeView } from '#federation-client';
import { MergeResultService } from './merge-result.service.js';
import { asBuffer, MergesRepository, type MergeRow } from './merges.repository.js';

/**
 * Segment merges at the federation: proposal and acceptance (signed by the parties, under a live
 * mutual agreement covering marketing and segment membership), the two manifests (signed header,
 * binary chunks validated as they stream in), then the overlap of the two sorted manifests in
 * memory, small cells suppressed, the consent flags checked against the registry, and a result
 * signed by the federation. The federation sees keyed pseudonyms only (invariant 4).
 */
@Injectable()
export class MergesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly intake: MessageIntake,
    private readonly events: EventsService,
    private readonly keys: FederationKeysService,
    private readonly rows: MergesRepository,
    private readonly results: MergeResultService,
  ) {}

  propose(jws: string, route: string): Promise<MergeView> {
    return this.intake.accept('merge-proposal', jws, { route }, async ({ claims }, m) => {
      await this.results.mergeableAgreement(m, claims.agreementId, claims.iss, claims.partner);
      if (claims.bucketBy) await this.results.allowsBreakdown(m, claims.agreementId, claims.bucketBy);
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
      return this.rows.view(m, claims.mergeId);
    });
  }

  accept(mergeId: string, jws: string, route: string): Promise<MergeView> {
    return this.intake.accept('merge-acceptance', jws, { route }, async ({ claims }, m) => {
      if (claims.mergeId !== mergeId) {
        throw new RefusedMessageError('REQUEST_MISMATCH', 'the acceptance names another merge');
      }
      const merge = await this.rows.locked(m, mergeId);
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
      await this.results.mergeableAgreement(m, merge.agreement_id, merge.proposer, merge.partner);
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
      return this.rows.view(m, mergeId);
    });
  }

  manifest(mergeId: string, jws: string, route: string): Promise<MergeView> {
    return this.intake.accept('merge-manifest', jws, { route }, async ({ claims }, m) => {
      if (claims.mergeId !== mergeId) {
        throw new RefusedMessageError('REQUEST_MISMATCH', 'the manifest names another merge');
      }
      const merge = await this.rows.locked(m, mergeId);
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
      return this.rows.view(m, mergeId);
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
    const header = await this.rows.manifestRow(this.dataSource.manager, mergeId, party);
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
      const merge = await this.rows.locked(m, mergeId);
      const row = await this.rows.manifestRow(m, mergeId, party, true);
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
      this.rows.remember(mergeId, party, index, bytes);
      const received = row.chunks_received + (had.length > 0 ? 0 : 1);
      if (received < row.chunk_count)
        return { received, complete: false, state: merge.state, refused: undefined };
      try {
        await this.rows.completeManifest(m, row);
      } catch (error) {
        if (!(error instanceof ManifestError)) throw error;
        await m.query(`DELETE FROM merge_manifest WHERE merge_id = $1 AND party = $2`, [mergeId, party]);
        this.rows.forget(mergeId, party);
        return { received, complete: false, state: merge.state, refused: error };
      }
      const state = (await this.rows.bothComplete(m, mergeId))
        ? await this.results.computeResult(m, merge, signingKey)
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
    return Promise.all(rows.map((r) => this.rows.view(this.dataSource.manager, r.merge_id)));
  }

  async get(requester: string, mergeId: string): Promise<MergeView> {
    const view = await this.rows.view(this.dataSource.manager, mergeId);
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

  private segmentOf(merge: MergeRow, party: string): string | undefined {
    if (party === merge.proposer) return merge.proposer_segment;
    if (party === merge.partner) return merge.partner_segment ?? undefined;
    return undefined;
  }
}

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
