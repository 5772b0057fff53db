import { ProtocolError } from '../errors.js';
import { checkSize, inclusionPathSides } from '../merkle-path.js';
import { sameBytes, sha256 } from './bytes.js';

/**
 * RFC 9162 Merkle checks over WebCrypto SHA-256, for the browser (the console's compliance
 * screens) and any runtime without node:crypto. The same hashes as ../merkle.ts, byte for byte
 * (tested), and the same inclusion path (merkle-path.ts): only the hash function differs.
 */
export const HASH_SIZE = 32;
const LEAF_PREFIX = new Uint8Array([0]);
const NODE_PREFIX = new Uint8Array([1]);

export function leafHashWebCrypto(entry: Uint8Array): Promise<Uint8Array> {
  return sha256(LEAF_PREFIX, entry);
}

export function nodeHashWebCrypto(left: Uint8Array, right: Uint8Array): Promise<Uint8Array> {
  return sha256(NODE_PREFIX, left, right);
}

/** The root that an inclusion proof leads to (RFC 9162 §2.1.3.2), for display beside the verdict. */
export async function rootFromInclusionProofWebCrypto(
  leaf: Uint8Array,
  index: number,
  size: number,
  proof: readonly Uint8Array[],
): Promise<Uint8Array> {
  checkHash(leaf, 'leaf hash');
  proof.forEach((hash) => checkHash(hash, 'proof hash'));
  const sides = inclusionPathSides(index, size, proof.length);
  let r = leaf;
  for (const [i, p] of proof.entries())
    r = sides[i] ? await nodeHashWebCrypto(p, r) : await nodeHashWebCrypto(r, p);
  return r;
}

/** verifyInclusion of ../merkle.ts over WebCrypto: throws PROOF_INVALID (or MALFORMED, OUT_OF_RANGE). */
export async function verifyInclusionWebCrypto(
  leaf: Uint8Array,
  index: number,
  size: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): Promise<void> {
  const computed = await rootFromInclusionProofWebCrypto(leaf, index, size, proof);
  if (!sameBytes(computed, root))
    throw new ProtocolError('PROOF_INVALID', 'inclusion proof does not lead to the root');
}

/**
 * MTH of a list of leaf hashes, folded as MerkleFrontier does (the compact range, then right to
 * left). `onSize` sees the root after each leaf, so that a verifier can compare every checkpoint
 * size on one pass.
 */
export async function merkleRootWebCrypto(
  leafHashes: readonly Uint8Array[],
  onSize?: (size: number, root: () => Promise<Uint8Array>) => Promise<void> | void,
): Promise<Uint8Array> {
  const range: { level: number; hash: Uint8Array }[] = [];
  const root = async (): Promise<Uint8Array> => {
    if (range.length === 0) return sha256(new Uint8Array(0));
    let hash = (range.at(-1) as { hash: Uint8Array }).hash;
    for (let i = range.length - 2; i >= 0; i--)
      hash = await nodeHashWebCrypto((range[i] as { hash: Uint8Array }).hash, hash);
    return hash;
  };
  for (const [i, leaf] of leafHashes.entries()) {
    checkHash(leaf, 'leaf hash');
    let node = { level: 0, hash: leaf };
    for (let last = range.at(-1); last !== undefined && last.level === node.level; last = range.at(-1)) {
      range.pop();
      node = { level: node.level + 1, hash: await nodeHashWebCrypto(last.hash, node.hash) };
    }
    range.push(node);
    if (onSize) await onSize(i + 1, root);
  }
  checkSize(leafHashes.length);
  return root();
}

function checkHash(hash: Uint8Array, what: string): void {
  if (!(hash instanceof Uint8Array) || hash.length !== HASH_SIZE) {
    throw new ProtocolError('MALFORMED', `${what} must be ${HASH_SIZE} bytes`);
  }
}
