import type { DataSource } from 'typeorm';
import { signCheckpoint, toPublicJwk } from '#protocol';
import { toCheckpoint, type CheckpointRow } from './ledger-rows.js';
import type { LedgerHead, LedgerSigner, StoredCheckpoint } from './ledger-types.js';

const COLUMNS = `SELECT size, root_hash, note, signer, created_at FROM ledger_checkpoint`;

/** The ledger's signed checkpoints (`ledger_checkpoint`): signed and stored, read by size, newest first, in a range. */
export class LedgerCheckpoints {
  constructor(
    private readonly dataSource: DataSource,
    private readonly origin: string,
  ) {}

  /** Signs a checkpoint of `head` with the owner's key and stores it (once per size); the stored one. */
  async sign(head: LedgerHead, signer: LedgerSigner): Promise<StoredCheckpoint | null> {
    const note = signCheckpoint({ origin: this.origin, size: head.size, rootHash: head.rootHash }, signer);
    const signerInfo = { name: signer.name, publicJwk: toPublicJwk(signer.privateJwk) };
    await this.dataSource.query(
      `INSERT INTO ledger_checkpoint (size, root_hash, note, signer) VALUES ($1, $2, $3, $4)
       ON CONFLICT (size) DO NOTHING`,
      [head.size, Buffer.from(head.rootHash), note, JSON.stringify(signerInfo)],
    );
    return this.at(head.size);
  }

  async at(size: number): Promise<StoredCheckpoint | null> {
    const [row] = (await this.dataSource.query(`${COLUMNS} WHERE size = $1`, [size])) as CheckpointRow[];
    return row ? toCheckpoint(row) : null;
  }

  async latest(): Promise<StoredCheckpoint | null> {
    const [row] = (await this.dataSource.query(`${COLUMNS} ORDER BY size DESC LIMIT 1`)) as CheckpointRow[];
    return row ? toCheckpoint(row) : null;
  }

  /** Checkpoints, newest first, those of size < `beforeSize` when given. */
  async list(limit: number, beforeSize?: number): Promise<StoredCheckpoint[]> {
    const rows = (await this.dataSource.query(
      `${COLUMNS}
        WHERE ($1::bigint IS NULL OR size < $1) ORDER BY size DESC LIMIT $2`,
      [beforeSize ?? null, limit],
    )) as CheckpointRow[];
    return rows.map(toCheckpoint);
  }

  /** Checkpoints of size in [from, to], oldest first (an export's). */
  async inRange(from: number, to: number): Promise<StoredCheckpoint[]> {
    const rows = (await this.dataSource.query(
      `${COLUMNS}
        WHERE size >= $1 AND size <= $2 ORDER BY size`,
      [from, to],
    )) as CheckpointRow[];
    return rows.map(toCheckpoint);
  }
}
