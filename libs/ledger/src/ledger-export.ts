import type { EntityManager } from 'typeorm';
import {
  consistencyProof,
  formatVerifierKey,
  noteVerifier,
  subtreeHash,
  type Jwks,
  type OkpPublicJwk,
} from '#protocol';
import { ValidationError } from '#platform/errors/app-errors';
import {
  EXPORT_FORMAT,
  EXPORT_VERSION,
  type ExportedCheckpoint,
  type ExportedCheckpointKey,
  type ExportedEntry,
  type ExportedMessage,
  type LedgerExport,
} from './export-format.js';
import { withStoredHashes } from './hash-store.js';
import type { LedgerCheckpoints } from './ledger-checkpoints.js';
import { BEYOND_TREE, b64, checkInteger, compactRange } from './ledger-rows.js';
import type { LedgerHead, StoredCheckpoint, StoredEntry } from './ledger-types.js';

const EXPORT_BATCH = 20_000;

/** What `LedgerService.export` takes. */
export interface LedgerExportOptions {
  fromSeq?: number;
  toSize?: number;
  jws?: Jwks;
  /** The signed messages that exported entries name by hash (see ExportedMessage). */
  messages?: (entries: readonly ExportedEntry[]) => Promise<ExportedMessage[]>;
}

/** What an export reads of the ledger. */
export interface ExportSource {
  origin: string;
  manager: EntityManager;
  checkpoints: LedgerCheckpoints;
  head(): Promise<LedgerHead>;
  entries(fromSeq: number, limit: number, toSize?: number): Promise<StoredEntry[]>;
}

/** The self-contained export of `LedgerService.export` (see there). */
export async function exportLedger(
  ledger: ExportSource,
  options: LedgerExportOptions = {},
): Promise<LedgerExport> {
  const fromSeq = options.fromSeq ?? 0;
  checkInteger('fromSeq', fromSeq, 0);
  const head = await ledger.head();
  const latest = await ledger.checkpoints.latest();
  const toSize = options.toSize ?? latest?.size ?? head.size;
  checkInteger('toSize', toSize, 0);
  if (toSize > head.size)
    throw new ValidationError('toSize', `is beyond the ledger size ${head.size}`, BEYOND_TREE);
  if (fromSeq > toSize)
    throw new ValidationError('fromSeq', `is beyond the size ${toSize}`, { reason: 'FROM_BEYOND_TO' });

  const entries: ExportedEntry[] = [];
  for (let next = fromSeq; next < toSize;) {
    const batch = await ledger.entries(next, EXPORT_BATCH, toSize);
    if (batch.length === 0) break;
    for (const e of batch) {
      entries.push({
        seq: e.seq,
        kind: e.kind,
        appendedAt: e.appendedAt.toISOString(),
        entry: e.entry,
        leafHash: b64(e.leafHash),
      });
    }
    next = (batch.at(-1) as StoredEntry).seq + 1;
  }

  const stored = await ledger.checkpoints.inRange(Math.max(fromSeq, 1), toSize);
  // One pass over the stored tree for the prefix and every consistency proof.
  const { prefix, proofs } = await withStoredHashes(ledger.manager, (source) => ({
    prefix: compactRange(fromSeq).map(([start, end]) => subtreeHash(source, start, end)),
    proofs: stored.map((c, i) =>
      i === 0 ? [] : consistencyProof(source, (stored[i - 1] as StoredCheckpoint).size, c.size),
    ),
  }));
  const keys = new Map<string, ExportedCheckpointKey>();
  const checkpoints: ExportedCheckpoint[] = stored.map((c, i) => {
    const kid = c.signer.publicJwk.kid;
    if (!keys.has(kid)) {
      keys.set(kid, {
        name: c.signer.name,
        publicJwk: c.signer.publicJwk,
        vkey: formatVerifierKey(noteVerifier(c.signer.name, c.signer.publicJwk)),
      });
    }
    return {
      size: c.size,
      rootHash: b64(c.rootHash),
      note: c.note,
      createdAt: c.createdAt.toISOString(),
      signer: { name: c.signer.name, kid },
      ...(i === 0 ? {} : { consistencyProof: (proofs[i] as Uint8Array[]).map(b64) }),
    };
  });
  const jwsKeys: OkpPublicJwk[] = [...(options.jws?.keys ?? [])];
  const messages = options.messages ? await options.messages(entries) : undefined;
  return {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    origin: ledger.origin,
    exportedAt: new Date().toISOString(),
    fromSeq,
    toSize,
    entryCount: entries.length,
    prefix: prefix.map(b64),
    entries,
    checkpoints,
    ...(messages ? { messages } : {}),
    keys: { checkpoint: [...keys.values()], jws: { keys: jwsKeys } },
  };
}
