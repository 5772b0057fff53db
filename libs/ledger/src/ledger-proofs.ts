import type { EntityManager } from 'typeorm';
import { consistencyProof, inclusionProof, merkleRoot } from '#protocol';
import { ValidationError } from '#platform/errors/app-errors';
import { withStoredHashes } from './hash-store.js';
import { BEYOND_TREE, EMPTY_TREE, checkInteger } from './ledger-rows.js';
import type { ConsistencyProofResult, InclusionProofResult, LedgerHead } from './ledger-types.js';

// The RFC 9162 roots and proofs over the stored tree, checked against the current head.

/** The root of the tree of the first `size` entries (size ≤ the head's size). */
export async function rootAt(manager: EntityManager, head: LedgerHead, size: number): Promise<Uint8Array> {
  if (size > head.size)
    throw new ValidationError('size', `is beyond the ledger size ${head.size}`, BEYOND_TREE);
  if (size === head.size) return head.rootHash;
  return withStoredHashes(manager, (source) => merkleRoot(source, size));
}

/** Inclusion proof of entry `seq` in the tree of size `treeSize` (default: the head's size). */
export async function inclusionProofAt(
  manager: EntityManager,
  head: LedgerHead,
  seq: number,
  treeSize?: number,
): Promise<InclusionProofResult> {
  const size = treeSize ?? head.size;
  checkInteger('treeSize', size, 0);
  if (size === 0) throw new ValidationError('treeSize', 'the empty tree has no entries to prove', EMPTY_TREE);
  if (size > head.size)
    throw new ValidationError('treeSize', `is beyond the ledger size ${head.size}`, BEYOND_TREE);
  if (seq >= size) throw new ValidationError('seq', `is beyond the tree size ${size}`, BEYOND_TREE);
  return withStoredHashes(manager, (source) => ({
    seq,
    treeSize: size,
    leafHash: source.leafHash(seq),
    rootHash: merkleRoot(source, size),
    proof: inclusionProof(source, seq, size),
  }));
}

/** Consistency proof between the trees of sizes `fromSize` and `toSize` (default: the head's size). */
export async function consistencyProofAt(
  manager: EntityManager,
  head: LedgerHead,
  fromSize: number,
  toSize?: number,
): Promise<ConsistencyProofResult> {
  const to = toSize ?? head.size;
  checkInteger('to', to, 0);
  if (fromSize === 0)
    throw new ValidationError('from', 'consistency with the empty tree proves nothing', EMPTY_TREE);
  if (to > head.size) throw new ValidationError('to', `is beyond the ledger size ${head.size}`, BEYOND_TREE);
  if (fromSize > to)
    throw new ValidationError('from', `is beyond the size ${to}`, { reason: 'FROM_BEYOND_TO' });
  return withStoredHashes(manager, (source) => ({
    fromSize,
    toSize: to,
    fromRoot: merkleRoot(source, fromSize),
    toRoot: merkleRoot(source, to),
    proof: consistencyProof(source, fromSize, to),
  }));
}
