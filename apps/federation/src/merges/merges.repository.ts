import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { MergeBucketAttribute } from '#protocol';
import { NotFoundError, RefusedMessageError } from '#platform/errors/app-errors';
import { ManifestError, validateManifest, type ChunkSummary } from '#matching';
import type { MergeStateValue, MergeView } from '#federation-client';

export interface MergeRow {
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

export interface ManifestRow {
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

export const MERGE_COLUMNS = `merge_id, agreement_id, proposer, partner, state, proposer_segment, partner_segment, bucket_by,
  proposal_jws, acceptance_jws, result_jws, created_at`;

/**
 * The merges module's tables (`segment_merge`, `merge_manifest`, `merge_manifest_chunk`) as the
 * merge steps read them: a merge locked for a step, a party's manifest and its chunks (kept in
 * this process as they arrive, so the overlap needs no read back), a manifest checked complete,
 * and the view a party reads.
 */
@Injectable()
export class MergesRepository {
  /**
   * Chunks received by this process, by merge/party/index: the overlap then needs no read back
   * from PostgreSQL (which holds them too, so any process can finish a merge).
   */
  private readonly chunkCache = new Map<string, Buffer>();

  async locked(m: EntityManager, mergeId: string): Promise<MergeRow> {
    const rows: MergeRow[] = await m.query(
      `SELECT ${MERGE_COLUMNS} FROM segment_merge WHERE merge_id = $1 FOR UPDATE`,
      [mergeId],
    );
    if (!rows[0]) throw new RefusedMessageError('UNKNOWN_MERGE', `no merge ${mergeId}`);
    return rows[0];
  }

  async manifestRow(m: EntityManager, mergeId: string, party: string, lock = false) {
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

  async chunksOf(m: EntityManager, mergeId: string, party: string, count: number) {
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

  async completeManifest(m: EntityManager, row: ManifestRow): Promise<void> {
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

  async bothComplete(m: EntityManager, mergeId: string): Promise<boolean> {
    const [{ n }]: { n: number }[] = await m.query(
      `SELECT count(*)::int AS n FROM merge_manifest WHERE merge_id = $1 AND complete_at IS NOT NULL`,
      [mergeId],
    );
    return n === 2;
  }

  forget(mergeId: string, party: string): void {
    for (const key of this.chunkCache.keys())
      if (key.startsWith(`${mergeId}/${party}/`)) this.chunkCache.delete(key);
  }

  async view(m: EntityManager, mergeId: string): Promise<MergeView> {
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
  /** Keeps a received chunk in this process, for the overlap. */
  remember(mergeId: string, party: string, index: number, bytes: Buffer): void {
    this.chunkCache.set(cacheKey(mergeId, party, index), bytes);
  }
}

/** bytea as a Buffer: node-postgres gives Buffers, PGlite (the embedded database) Uint8Arrays. */
export const asBuffer = (bytes: Uint8Array): Buffer =>
  Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

const cacheKey = (mergeId: string, party: string, index: number) => `${mergeId}/${party}/${index}`;
