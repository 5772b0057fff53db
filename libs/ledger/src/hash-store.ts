import type { EntityManager } from 'typeorm';
import { HASH_SIZE, type MerkleHashSource } from '#protocol';

/**
 * Serves the protocol library's Merkle functions from the database without loading the tree.
 *
 * The library's proof functions read hashes through a synchronous MerkleHashSource. We run them
 * twice: first over a recording source that answers with placeholders and notes which leaves and
 * perfect subtrees they ask for (O(log n) of them, since every perfect subtree of level ≥ 1 is
 * stored in ledger_node), then we fetch exactly those rows in one query and run them again over
 * the fetched hashes. The Merkle logic stays the protocol library's; only the reads are ours.
 */
const PLACEHOLDER = new Uint8Array(HASH_SIZE);

class RecordingSource implements MerkleHashSource {
  readonly leaves = new Set<number>();
  readonly nodes = new Map<string, [number, number]>();
  leafHash(index: number): Uint8Array {
    this.leaves.add(index);
    return PLACEHOLDER;
  }
  perfectSubtree(level: number, index: number): Uint8Array {
    this.nodes.set(`${level}:${index}`, [level, index]);
    return PLACEHOLDER;
  }
}

/** A hash that the tree needs is missing from the tables: the store is damaged. */
export class LedgerIntegrityError extends Error {
  override readonly name = 'LedgerIntegrityError';
}

class FetchedSource implements MerkleHashSource {
  constructor(
    private readonly leaves: Map<number, Uint8Array>,
    private readonly nodes: Map<string, Uint8Array>,
  ) {}
  leafHash(index: number): Uint8Array {
    const hash = this.leaves.get(index);
    if (!hash) throw new LedgerIntegrityError(`ledger leaf ${index} is missing`);
    return hash;
  }
  perfectSubtree(level: number, index: number): Uint8Array {
    const hash = this.nodes.get(`${level}:${index}`);
    if (!hash) throw new LedgerIntegrityError(`ledger node (${level}, ${index}) is missing`);
    return hash;
  }
}

const CHUNK = 5000;

/**
 * Runs `compute` (any combination of merkleRoot / inclusionProof / consistencyProof calls over the
 * given source) against the stored tree, reading only the hashes it needs.
 */
export async function withStoredHashes<T>(
  manager: EntityManager,
  compute: (source: MerkleHashSource) => T,
): Promise<T> {
  const recording = new RecordingSource();
  compute(recording);
  const leaves = new Map<number, Uint8Array>();
  const nodes = new Map<string, Uint8Array>();
  const leafList = [...recording.leaves];
  for (let i = 0; i < leafList.length; i += CHUNK) {
    const rows: { seq: string; leaf_hash: Buffer }[] = await manager.query(
      `SELECT seq, leaf_hash FROM ledger_entry WHERE seq = ANY($1::bigint[])`,
      [leafList.slice(i, i + CHUNK)],
    );
    for (const row of rows) leaves.set(Number(row.seq), new Uint8Array(row.leaf_hash));
  }
  const nodeList = [...recording.nodes.values()];
  for (let i = 0; i < nodeList.length; i += CHUNK) {
    const chunk = nodeList.slice(i, i + CHUNK);
    const rows: { level: number; idx: string; hash: Buffer }[] = await manager.query(
      `SELECT n.level, n.idx, n.hash
         FROM unnest($1::smallint[], $2::bigint[]) AS k(level, idx)
         JOIN ledger_node n ON n.level = k.level AND n.idx = k.idx`,
      [chunk.map(([level]) => level), chunk.map(([, index]) => index)],
    );
    for (const row of rows) nodes.set(`${row.level}:${Number(row.idx)}`, new Uint8Array(row.hash));
  }
  return compute(new FetchedSource(leaves, nodes));
}
