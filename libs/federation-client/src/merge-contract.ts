import { API_PREFIX } from './contract.js';

/**
 * The segment-merge HTTP contract (docs/protocol.md, "Segment merge"), shared by the federation
 * and the partner nodes. Signed messages travel as JSON; chunks as raw bytes
 * (`application/octet-stream`, records of libs/matching), bound to the signed manifest header by
 * its Merkle root. Reads and chunk uploads carry the member's request token.
 */
export const MERGE_PATHS = {
  merges: `${API_PREFIX}/merges`,
  merge: (mergeId: string) => `${API_PREFIX}/merges/${encodeURIComponent(mergeId)}`,
  acceptance: (mergeId: string) => `${API_PREFIX}/merges/${encodeURIComponent(mergeId)}/acceptance`,
  manifests: (mergeId: string) => `${API_PREFIX}/merges/${encodeURIComponent(mergeId)}/manifests`,
  chunk: (mergeId: string, party: string, index: number) =>
    `${API_PREFIX}/merges/${encodeURIComponent(mergeId)}/manifests/${encodeURIComponent(party)}/chunks/${index}`,
  consented: (mergeId: string) => `${API_PREFIX}/merges/${encodeURIComponent(mergeId)}/consented`,
} as const;

export const CHUNK_CONTENT_TYPE = 'application/octet-stream';
/** Largest chunk body accepted (the default chunk is 65,536 records of 37 bytes: 2.4 MB). */
export const MAX_CHUNK_BYTES = 8 * 1024 * 1024;

export type MergeStateValue = 'proposed' | 'accepted' | 'completed';

export interface MergeManifestView {
  party: string;
  manifestHash: string;
  chunkCount: number;
  chunksReceived: number;
  complete: boolean;
}

export interface MergeView {
  mergeId: string;
  agreementId: string;
  proposer: string;
  partner: string;
  state: MergeStateValue;
  /** The proposal JWS (signed by the proposer) and the acceptance JWS (by the partner). */
  proposal: string;
  acceptance: string | null;
  manifests: MergeManifestView[];
  /** The `merge-result` JWS signed by the federation, once both manifests are in. */
  result: string | null;
  createdAt: number;
}

export interface MergesResponse {
  merges: MergeView[];
}

export interface ChunkReceipt {
  mergeId: string;
  party: string;
  index: number;
  chunksReceived: number;
  chunkCount: number;
  complete: boolean;
  state: MergeStateValue;
}
