import { createHash } from 'node:crypto';
import { ProtocolError } from './errors.js';
import { canonicalBytes } from './jcs.js';
import { checkIndex, checkSize, half, inclusionPathSides, isOdd } from './merkle-path.js';

/**
 * RFC 9162 §2.1 Merkle tree: leaf hash SHA-256(0x00 ‖ entry), node hash SHA-256(0x01 ‖ l ‖ r).
 * The tree of n leaves splits at k, the largest power of two below n; every left subtree is thus a
 * *perfect* subtree, named here (level, index): leaves [index·2^level, (index+1)·2^level).
 *
 * Sizes and indices are JS numbers (safe to 2^53); we never use the 32-bit bitwise operators.
 */
export const HASH_SIZE = 32;

/** Root of the empty tree: SHA-256 of the empty string. */
export const EMPTY_ROOT: Uint8Array = createHash('sha256').digest();

const LEAF_PREFIX = Buffer.from([0]);
const NODE_PREFIX = Buffer.from([1]);

export function leafHash(entry: Uint8Array): Uint8Array {
  return createHash('sha256').update(LEAF_PREFIX).update(entry).digest();
}

/** Leaf hash of a JSON ledger entry: the entry is hashed in its RFC 8785 canonical form. */
export function canonicalLeafHash(entry: unknown): Uint8Array {
  return leafHash(canonicalBytes(entry));
}

export function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  return createHash('sha256').update(NODE_PREFIX).update(left).update(right).digest();
}

/**
 * Where proofs read hashes from. A store that keeps only leaf hashes gives `leafHash`; one that
 * also keeps the perfect subtree hashes reported by MerkleFrontier.append gives `perfectSubtree`,
 * and then any proof costs O(log n) reads instead of O(n) hashing.
 */
export interface MerkleHashSource {
  leafHash(index: number): Uint8Array;
  perfectSubtree?(level: number, index: number): Uint8Array | undefined;
}

export function hashSourceFromArray(leafHashes: readonly Uint8Array[]): MerkleHashSource {
  return {
    leafHash: (index) => {
      const hash = leafHashes[index];
      if (hash === undefined) throw new ProtocolError('OUT_OF_RANGE', `no leaf ${index}`);
      return hash;
    },
  };
}

/**
 * A source over leaf hashes in memory that computes each perfect subtree once: proofs for all n
 * leaves of a batch then cost O(n log n) in all, not O(n²).
 */
export function memoizedHashSource(leafHashes: readonly Uint8Array[]): MerkleHashSource {
  const leaves = hashSourceFromArray(leafHashes);
  const levels: Uint8Array[][] = [];
  const perfectSubtree = (level: number, index: number): Uint8Array => {
    if (level === 0) return leaves.leafHash(index);
    const row = (levels[level] ??= []);
    let hash = row[index];
    if (hash === undefined) {
      hash = nodeHash(perfectSubtree(level - 1, 2 * index), perfectSubtree(level - 1, 2 * index + 1));
      row[index] = hash;
    }
    return hash;
  };
  return { leafHash: leaves.leafHash, perfectSubtree };
}

function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function isPowerOfTwo(n: number): boolean {
  let p = 1;
  while (p < n) p *= 2;
  return p === n;
}

/** MTH(D[start:end]) for a range that is a node of the tree (as every range in RFC 9162 proofs is). */
export function subtreeHash(source: MerkleHashSource, start: number, end: number): Uint8Array {
  const size = end - start;
  if (size === 1) return source.leafHash(start);
  if (source.perfectSubtree && isPowerOfTwo(size) && start % size === 0) {
    const level = Math.log2(size);
    const stored = source.perfectSubtree(level, start / size);
    if (stored !== undefined) return stored;
  }
  const k = largestPowerOfTwoBelow(size);
  return nodeHash(subtreeHash(source, start, start + k), subtreeHash(source, start + k, end));
}

export function merkleRoot(source: MerkleHashSource | readonly Uint8Array[], size?: number): Uint8Array {
  if (Array.isArray(source)) return rootOfLeafHashes(source);
  const n = size ?? 0;
  checkSize(n);
  return n === 0 ? EMPTY_ROOT : subtreeHash(source as MerkleHashSource, 0, n);
}

function rootOfLeafHashes(leafHashes: readonly Uint8Array[]): Uint8Array {
  const frontier = new MerkleFrontier();
  for (const hash of leafHashes) frontier.append(hash);
  return frontier.root();
}

/** RFC 9162 §2.1.3.1 PATH(m, D[n]), deepest sibling first. */
export function inclusionProof(
  source: MerkleHashSource | readonly Uint8Array[],
  index: number,
  size: number,
): Uint8Array[] {
  const hashes = Array.isArray(source) ? hashSourceFromArray(source) : (source as MerkleHashSource);
  checkSize(size);
  checkIndex(index, size);
  const path: Uint8Array[] = [];
  let start = 0;
  let end = size;
  while (end - start > 1) {
    const k = largestPowerOfTwoBelow(end - start);
    if (index < start + k) {
      path.push(subtreeHash(hashes, start + k, end));
      end = start + k;
    } else {
      path.push(subtreeHash(hashes, start, start + k));
      start += k;
    }
  }
  return path.reverse();
}

/** RFC 9162 §2.1.4.1 PROOF(m, D[n]) = SUBPROOF(m, D[n], true). */
export function consistencyProof(
  source: MerkleHashSource | readonly Uint8Array[],
  size1: number,
  size2: number,
): Uint8Array[] {
  const hashes = Array.isArray(source) ? hashSourceFromArray(source) : (source as MerkleHashSource);
  checkSize(size1);
  checkSize(size2);
  if (size1 > size2) throw new ProtocolError('OUT_OF_RANGE', `size ${size1} is beyond size ${size2}`);
  if (size1 === 0 || size1 === size2) return [];
  const proof: Uint8Array[] = [];
  let m = size1;
  let start = 0;
  let end = size2;
  let whole = true;
  while (m !== end - start) {
    const k = largestPowerOfTwoBelow(end - start);
    if (m <= k) {
      proof.push(subtreeHash(hashes, start + k, end));
      end = start + k;
    } else {
      proof.push(subtreeHash(hashes, start, start + k));
      m -= k;
      start += k;
      whole = false;
    }
  }
  if (!whole) proof.push(subtreeHash(hashes, start, end));
  return proof.reverse();
}

/** RFC 9162 §2.1.3.2. Throws PROOF_INVALID (or OUT_OF_RANGE / MALFORMED) unless the proof holds. */
export function verifyInclusion(
  leaf: Uint8Array,
  index: number,
  size: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): void {
  checkHash(leaf, 'leaf hash');
  proof.forEach((hash) => checkHash(hash, 'proof hash'));
  // The path's shape (and its length check) is shared with the WebCrypto verifier.
  const sides = inclusionPathSides(index, size, proof.length);
  let r = leaf;
  proof.forEach((p, i) => {
    r = sides[i] ? nodeHash(p, r) : nodeHash(r, p);
  });
  if (!sameBytes(r, root))
    throw new ProtocolError('PROOF_INVALID', 'inclusion proof does not lead to the root');
}

/**
 * RFC 9162 §2.1.4.2. Equal sizes need equal roots and an empty proof. A proof from the empty tree
 * proves nothing and is refused (as the transparency-dev vectors expect): a verifier that has
 * seen no tree head yet has nothing to check consistency with.
 */
export function verifyConsistency(
  size1: number,
  size2: number,
  proof: readonly Uint8Array[],
  root1: Uint8Array,
  root2: Uint8Array,
): void {
  checkSize(size1);
  checkSize(size2);
  if (size1 > size2) throw new ProtocolError('OUT_OF_RANGE', `size ${size1} is beyond size ${size2}`);
  if (size1 === 0) throw new ProtocolError('PROOF_INVALID', 'consistency with the empty tree proves nothing');
  if (size1 === size2) {
    if (proof.length > 0) throw new ProtocolError('PROOF_INVALID', 'trees of equal size need an empty proof');
    if (!sameBytes(root1, root2))
      throw new ProtocolError('PROOF_INVALID', 'trees of equal size have different roots');
    return;
  }
  if (proof.length === 0) throw new ProtocolError('PROOF_INVALID', 'consistency proof is empty');
  checkHash(root1, 'first root');
  checkHash(root2, 'second root');
  proof.forEach((hash) => checkHash(hash, 'proof hash'));

  const path = isPowerOfTwo(size1) ? [root1, ...proof] : proof;
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr = path[0] as Uint8Array;
  let sr = path[0] as Uint8Array;
  for (const c of path.slice(1)) {
    if (sn === 0) throw new ProtocolError('PROOF_INVALID', 'consistency proof is too long');
    if (isOdd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) throw new ProtocolError('PROOF_INVALID', 'consistency proof is too short');
  if (!sameBytes(fr, root1))
    throw new ProtocolError('PROOF_INVALID', 'consistency proof does not lead to the first root');
  if (!sameBytes(sr, root2))
    throw new ProtocolError('PROOF_INVALID', 'consistency proof does not lead to the second root');
}

export interface PerfectSubtree {
  level: number;
  index: number;
  hash: Uint8Array;
}

/**
 * The compact range [0, size): one hash per set bit of `size`, the roots of the perfect subtrees
 * that make up the tree, largest (leftmost) first. Appending is O(log n) and reports the perfect
 * subtrees it completes, which a ledger can store to serve proofs in O(log n). The root is the
 * right-to-left fold of the range, exactly MTH(D[0:size]).
 */
export class MerkleFrontier {
  private readonly nodes: PerfectSubtree[] = [];
  private count = 0;

  /** Rebuilds a frontier from stored state (see `state`). */
  static restore(state: { size: number; hashes: readonly Uint8Array[] }): MerkleFrontier {
    checkSize(state.size);
    const frontier = new MerkleFrontier();
    let offset = 0;
    let level = 53;
    const hashes = [...state.hashes];
    for (; level >= 0; level--) {
      const width = 2 ** level;
      if (Math.floor(state.size / width) % 2 === 1) {
        const hash = hashes.shift();
        if (hash === undefined) throw new ProtocolError('MALFORMED', 'frontier has too few hashes');
        checkHash(hash, 'frontier hash');
        frontier.nodes.push({ level, index: offset / width, hash });
        offset += width;
      }
    }
    if (hashes.length > 0) throw new ProtocolError('MALFORMED', 'frontier has too many hashes');
    frontier.count = state.size;
    return frontier;
  }

  get size(): number {
    return this.count;
  }

  get state(): { size: number; hashes: Uint8Array[] } {
    return { size: this.count, hashes: this.nodes.map((node) => node.hash) };
  }

  /** Appends a leaf hash; returns the perfect subtrees of level ≥ 1 that it completed. */
  append(leaf: Uint8Array): PerfectSubtree[] {
    checkHash(leaf, 'leaf hash');
    const completed: PerfectSubtree[] = [];
    let node: PerfectSubtree = { level: 0, index: this.count, hash: leaf };
    for (
      let last = this.nodes.at(-1);
      last !== undefined && last.level === node.level;
      last = this.nodes.at(-1)
    ) {
      this.nodes.pop();
      node = { level: node.level + 1, index: last.index / 2, hash: nodeHash(last.hash, node.hash) };
      completed.push(node);
    }
    this.nodes.push(node);
    this.count += 1;
    return completed;
  }

  root(): Uint8Array {
    if (this.nodes.length === 0) return EMPTY_ROOT;
    let hash = (this.nodes.at(-1) as PerfectSubtree).hash;
    for (let i = this.nodes.length - 2; i >= 0; i--)
      hash = nodeHash((this.nodes[i] as PerfectSubtree).hash, hash);
    return hash;
  }
}

function checkHash(hash: Uint8Array, what: string): void {
  if (!(hash instanceof Uint8Array) || hash.length !== HASH_SIZE) {
    throw new ProtocolError('MALFORMED', `${what} must be ${HASH_SIZE} bytes`);
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}
