import { MerkleFrontier } from '#protocol';
import { ValidationError } from '#platform/errors/app-errors';
import type { Ed25519PublicJwk } from '#protocol';
import type { StoredCheckpoint, StoredEntry } from './ledger-types.js';

// The ledger's rows as PostgreSQL returns them, their typed forms, and the checks of sizes and seqs.

export interface HeadRow {
  size: string;
  frontier: Buffer;
}

export interface EntryRow {
  seq: string;
  kind: string;
  entry: string;
  leaf_hash: Buffer;
  appended_at: Date;
}

export interface CheckpointRow {
  size: string;
  root_hash: Buffer;
  note: string;
  signer: { name: string; publicJwk: Ed25519PublicJwk };
  created_at: Date;
}

const HASH = 32;
/** `reason` of the ValidationErrors of proof and export requests (HTTP 400 / BAD_USER_INPUT). */
export const BEYOND_TREE = { reason: 'SIZE_BEYOND_TREE' } as const;
export const EMPTY_TREE = { reason: 'EMPTY_TREE' } as const;

export function frontierOf(row: HeadRow): MerkleFrontier {
  const hashes: Uint8Array[] = [];
  for (let i = 0; i < row.frontier.length; i += HASH) hashes.push(row.frontier.subarray(i, i + HASH));
  return MerkleFrontier.restore({ size: Number(row.size), hashes });
}

export function toEntry(row: EntryRow): StoredEntry {
  return {
    seq: Number(row.seq),
    kind: row.kind,
    entry: row.entry,
    leafHash: new Uint8Array(row.leaf_hash),
    appendedAt: row.appended_at,
  };
}

export function toCheckpoint(row: CheckpointRow): StoredCheckpoint {
  return {
    size: Number(row.size),
    rootHash: new Uint8Array(row.root_hash),
    note: row.note,
    signer: row.signer,
    createdAt: row.created_at,
  };
}

/** ValidationError (NOT_A_SIZE) unless `value` is a safe integer ≥ `min`. */
export function checkInteger(field: string, value: number, min: number): void {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new ValidationError(field, `must be an integer ≥ ${min}`, { reason: 'NOT_A_SIZE' });
  }
}

/** Bytes as standard base64. */
export const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

/** [start, end) of the perfect subtrees that make up [0, size), largest first (one per set bit). */
export function compactRange(size: number): [number, number][] {
  const ranges: [number, number][] = [];
  let start = 0;
  for (let width = 2 ** 52; width >= 1; width /= 2) {
    if (start + width <= size) {
      ranges.push([start, start + width]);
      start += width;
    }
  }
  return ranges;
}
