import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { isProtocolError } from './errors.js';
import {
  consistencyProof,
  EMPTY_ROOT,
  hashSourceFromArray,
  inclusionProof,
  leafHash,
  memoizedHashSource,
  MerkleFrontier,
  merkleRoot,
  nodeHash,
  subtreeHash,
  verifyConsistency,
  verifyInclusion,
  type MerkleHashSource,
  type PerfectSubtree,
} from './merkle.js';
import { jsonVectorsUnder } from './testing/vectors.js';

// RFC 6962 test leaves, behind the transparency-dev vectors.
const RFC6962_LEAVES = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
];
const rfcLeafHashes = RFC6962_LEAVES.map((hex) => leafHash(Buffer.from(hex, 'hex')));
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const b64 = (text: string) => Buffer.from(text, 'base64');

interface InclusionVector {
  leafIdx: number;
  treeSize: number;
  root: string;
  leafHash: string;
  proof: string[] | null;
  wantErr: boolean;
}

interface ConsistencyVector {
  size1: number;
  size2: number;
  root1: string;
  root2: string;
  proof: string[] | null;
  wantErr: boolean;
}

function outcome(run: () => void): string {
  try {
    run();
    return 'ok';
  } catch (error) {
    return isProtocolError(error) ? 'refused' : `crash: ${String(error)}`;
  }
}

/** Reference MTH straight from RFC 9162 §2.1.1, to check the fast paths against. */
function referenceRoot(leaves: Uint8Array[]): Uint8Array {
  if (leaves.length === 0) return createHash('sha256').digest();
  if (leaves.length === 1) return leaves[0] as Uint8Array;
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return nodeHash(referenceRoot(leaves.slice(0, k)), referenceRoot(leaves.slice(k)));
}

const randomLeaves = (n: number) => Array.from({ length: n }, (_, i) => leafHash(Buffer.from(`entry ${i}`)));

describe('RFC 9162 Merkle tree', () => {
  it('hashes the RFC 6962 leaves to the known root', () => {
    expect(hex(merkleRoot(rfcLeafHashes))).toBe(
      '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
    );
    expect(hex(EMPTY_ROOT)).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(merkleRoot([])).toEqual(EMPTY_ROOT);
  });

  describe.each(jsonVectorsUnder<InclusionVector>('merkle/inclusion'))(
    'inclusion vector %s',
    (_path, vector) => {
      it(vector.wantErr ? 'is refused' : 'verifies', () => {
        const result = outcome(() =>
          verifyInclusion(
            b64(vector.leafHash),
            vector.leafIdx,
            vector.treeSize,
            (vector.proof ?? []).map(b64),
            b64(vector.root),
          ),
        );
        expect(result).toBe(vector.wantErr ? 'refused' : 'ok');
      });
    },
  );

  describe.each(jsonVectorsUnder<ConsistencyVector>('merkle/consistency'))(
    'consistency vector %s',
    (_path, vector) => {
      it(vector.wantErr ? 'is refused' : 'verifies', () => {
        const result = outcome(() =>
          verifyConsistency(
            vector.size1,
            vector.size2,
            (vector.proof ?? []).map(b64),
            b64(vector.root1),
            b64(vector.root2),
          ),
        );
        expect(result).toBe(vector.wantErr ? 'refused' : 'ok');
      });
    },
  );

  it('generates the proofs of the vectors', () => {
    const happyInclusion = jsonVectorsUnder<InclusionVector>('merkle/inclusion').filter(([path]) =>
      path.endsWith('happy-path.json.txt'),
    );
    for (const [, vector] of happyInclusion) {
      const proof = inclusionProof(rfcLeafHashes.slice(0, vector.treeSize), vector.leafIdx, vector.treeSize);
      expect(proof.map((hash) => Buffer.from(hash).toString('base64'))).toEqual(vector.proof ?? []);
    }
    const happyConsistency = jsonVectorsUnder<ConsistencyVector>('merkle/consistency').filter(([path]) =>
      /^consistency\/\d\/happy-path.json.txt$/.test(path.replaceAll('\\', '/').replace(/^merkle\//, '')),
    );
    expect(happyConsistency.length).toBeGreaterThan(0);
    for (const [, vector] of happyConsistency) {
      const proof = consistencyProof(rfcLeafHashes, vector.size1, vector.size2);
      expect(proof.map((hash) => Buffer.from(hash).toString('base64'))).toEqual(vector.proof ?? []);
    }
  });

  it('proves and verifies every inclusion and consistency up to 40 leaves', () => {
    const leaves = randomLeaves(40);
    const roots = [EMPTY_ROOT];
    for (let n = 1; n <= leaves.length; n++) roots.push(merkleRoot(leaves.slice(0, n)));
    for (let n = 1; n <= leaves.length; n++) {
      expect(roots[n]).toEqual(referenceRoot(leaves.slice(0, n)));
      for (let i = 0; i < n; i++) {
        verifyInclusion(leaves[i] as Uint8Array, i, n, inclusionProof(leaves, i, n), roots[n] as Uint8Array);
      }
      for (let m = 1; m <= n; m++) {
        verifyConsistency(
          m,
          n,
          consistencyProof(leaves, m, n),
          roots[m] as Uint8Array,
          roots[n] as Uint8Array,
        );
      }
    }
  });

  it('refuses a proof for another leaf, index or root', () => {
    const leaves = randomLeaves(13);
    const root = merkleRoot(leaves);
    const proof = inclusionProof(leaves, 5, 13);
    expect(outcome(() => verifyInclusion(leaves[6] as Uint8Array, 5, 13, proof, root))).toBe('refused');
    expect(outcome(() => verifyInclusion(leaves[5] as Uint8Array, 4, 13, proof, root))).toBe('refused');
    expect(
      outcome(() => verifyInclusion(leaves[5] as Uint8Array, 5, 13, proof, merkleRoot(leaves.slice(0, 12)))),
    ).toBe('refused');
  });

  it.each<[string, () => unknown, string]>([
    ['an index beyond the size', () => inclusionProof(randomLeaves(4), 4, 4), 'OUT_OF_RANGE'],
    ['a size beyond the tree', () => inclusionProof(randomLeaves(4), 1, 5), 'OUT_OF_RANGE'],
    ['a negative index', () => inclusionProof(randomLeaves(4), -1, 4), 'MALFORMED'],
    ['a fractional size', () => merkleRoot(hashSourceFromArray(randomLeaves(4)), 2.5), 'MALFORMED'],
    ['size1 beyond size2', () => consistencyProof(randomLeaves(4), 3, 2), 'OUT_OF_RANGE'],
    ['a short leaf hash', () => verifyInclusion(new Uint8Array(31), 0, 1, [], EMPTY_ROOT), 'MALFORMED'],
    [
      'a short proof hash',
      () => verifyInclusion(EMPTY_ROOT, 0, 2, [new Uint8Array(3)], EMPTY_ROOT),
      'MALFORMED',
    ],
    [
      'a leaf index beyond the size',
      () => verifyInclusion(EMPTY_ROOT, 2, 2, [EMPTY_ROOT], EMPTY_ROOT),
      'OUT_OF_RANGE',
    ],
    ['a NaN size', () => verifyConsistency(NaN, 2, [], EMPTY_ROOT, EMPTY_ROOT), 'MALFORMED'],
  ])('refuses %s with a clear code', (_name, run, code) => {
    expect(run).toThrow(expect.objectContaining({ code }));
  });

  it('handles sizes beyond 2^32 without 32-bit arithmetic', () => {
    const size = 2 ** 33 + 5;
    // A source whose every leaf is the same hash: the perfect subtrees of one level are then equal.
    const levels: Uint8Array[] = [leafHash(Buffer.from('x'))];
    for (let level = 1; level <= 34; level++)
      levels.push(nodeHash(levels[level - 1] as Uint8Array, levels[level - 1] as Uint8Array));
    const source: MerkleHashSource = {
      leafHash: () => levels[0] as Uint8Array,
      perfectSubtree: (level) => levels[level],
    };
    const index = 2 ** 32 + 3;
    const root = merkleRoot(source, size);
    verifyInclusion(levels[0] as Uint8Array, index, size, inclusionProof(source, index, size), root);
    verifyConsistency(
      2 ** 32 + 1,
      size,
      consistencyProof(source, 2 ** 32 + 1, size),
      merkleRoot(source, 2 ** 32 + 1),
      root,
    );
  });

  describe('MerkleFrontier', () => {
    it('follows the root as leaves are appended', () => {
      const leaves = randomLeaves(70);
      const frontier = new MerkleFrontier();
      expect(frontier.root()).toEqual(EMPTY_ROOT);
      leaves.forEach((leaf, i) => {
        frontier.append(leaf);
        expect(frontier.size).toBe(i + 1);
        expect(frontier.root()).toEqual(merkleRoot(leaves.slice(0, i + 1)));
      });
    });

    it('keeps one hash per set bit of the size and restores from it', () => {
      const leaves = randomLeaves(45);
      const frontier = new MerkleFrontier();
      leaves.slice(0, 22).forEach((leaf) => frontier.append(leaf));
      expect(frontier.state.hashes).toHaveLength(3); // 22 = 16 + 4 + 2
      const restored = MerkleFrontier.restore(frontier.state);
      leaves.slice(22).forEach((leaf) => restored.append(leaf));
      expect(restored.root()).toEqual(merkleRoot(leaves));
      expect(() => MerkleFrontier.restore({ size: 22, hashes: [] })).toThrow(
        expect.objectContaining({ code: 'MALFORMED' }),
      );
      expect(() => MerkleFrontier.restore({ size: 1, hashes: [EMPTY_ROOT, EMPTY_ROOT] })).toThrow(
        expect.objectContaining({ code: 'MALFORMED' }),
      );
    });

    it('reports completed subtrees, enough to serve proofs from storage without the leaves', () => {
      const leaves = randomLeaves(27);
      const frontier = new MerkleFrontier();
      const stored = new Map<string, Uint8Array>();
      for (const leaf of leaves) {
        frontier
          .append(leaf)
          .forEach((node: PerfectSubtree) => stored.set(`${node.level}/${node.index}`, node.hash));
      }
      expect(stored.size).toBe(27 - 4); // a perfect subtree per internal node: n - popcount(n)
      let leafReads = 0;
      const source: MerkleHashSource = {
        leafHash: (i) => {
          leafReads += 1;
          return leaves[i] as Uint8Array;
        },
        perfectSubtree: (level, index) => stored.get(`${level}/${index}`),
      };
      const proof = inclusionProof(source, 3, 27);
      expect(leafReads).toBeLessThanOrEqual(3);
      expect(proof).toEqual(inclusionProof(leaves, 3, 27));
      expect(subtreeHash(source, 0, 27)).toEqual(frontier.root());
    });
  });

  it('computes the proofs of a whole batch with memoization', () => {
    const leaves = randomLeaves(100);
    const source = memoizedHashSource(leaves);
    const root = merkleRoot(source, 100);
    expect(root).toEqual(merkleRoot(leaves));
    for (let i = 0; i < 100; i++)
      verifyInclusion(leaves[i] as Uint8Array, i, 100, inclusionProof(source, i, 100), root);
  });
});
