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
 * MerkleFrontier of ../merkle.ts over WebCrypto: the compact range of [0, size), appended to
 * leaf by leaf, restorable from an export's prefix (one hash per set bit of the size, largest
 * first), its root the right-to-left fold of the range.
 */
export class WebCryptoMerkleFrontier {
  private readonly nodes: { level: number; hash: Uint8Array }[] = [];
  private count = 0;

  static restore(state: { size: number; hashes: readonly Uint8Array[] }): WebCryptoMerkleFrontier {
    checkSize(state.size);
    const frontier = new WebCryptoMerkleFrontier();
    const hashes = [...state.hashes];
    for (let level = 53; level >= 0; level--) {
      if (Math.floor(state.size / 2 ** level) % 2 === 1) {
        const hash = hashes.shift();
        if (hash === undefined) throw new ProtocolError('MALFORMED', 'frontier has too few hashes');
        checkHash(hash, 'frontier hash');
        frontier.nodes.push({ level, hash });
      }
    }
    if (hashes.length > 0) throw new ProtocolError('MALFORMED', 'frontier has too many hashes');
    frontier.count = state.size;
    return frontier;
  }

  get size(): number {
    return this.count;
  }

  async append(leaf: Uint8Array): Promise<void> {
    checkHash(leaf, 'leaf hash');
    let node = { level: 0, hash: leaf };
    for (
      let last = this.nodes.at(-1);
      last !== undefined && last.level === node.level;
      last = this.nodes.at(-1)
    ) {
      this.nodes.pop();
      node = { level: node.level + 1, hash: await nodeHashWebCrypto(last.hash, node.hash) };
    }
    this.nodes.push(node);
    this.count += 1;
  }

  async root(): Promise<Uint8Array> {
    if (this.nodes.length === 0) return sha256(new Uint8Array(0));
    let hash = (this.nodes.at(-1) as { hash: Uint8Array }).hash;
    for (let i = this.nodes.length - 2; i >= 0; i--)
      hash = await nodeHashWebCrypto((this.nodes[i] as { hash: Uint8Array }).hash, hash);
    return hash;
  }
}

/**
 * MTH of a list of leaf hashes (MerkleFrontier's fold). `onSize` sees the root after each leaf,
 * so that a verifier can compare every checkpoint size on one pass.
 */
export async function merkleRootWebCrypto(
  leafHashes: readonly Uint8Array[],
  onSize?: (size: number, root: () => Promise<Uint8Array>) => Promise<void> | void,
): Promise<Uint8Array> {
  const frontier = new WebCryptoMerkleFrontier();
  for (const leaf of leafHashes) {
    await frontier.append(leaf);
    if (onSize) await onSize(frontier.size, () => frontier.root());
  }
  return frontier.root();
}

function checkHash(hash: Uint8Array, what: string): void {
  if (!(hash instanceof Uint8Array) || hash.length !== HASH_SIZE) {
    throw new ProtocolError('MALFORMED', `${what} must be ${HASH_SIZE} bytes`);
  }
}
