import type { Ed25519PublicJwk, Jwks } from '#protocol';

/**
 * The self-contained export of a ledger (or of a range of it): everything an auditor needs to
 * verify it offline with `audit verify`, and nothing else. Hashes are standard base64 (as in
 * C2SP checkpoints); entries are the stored canonical JSON leaves, verbatim.
 */
export const EXPORT_FORMAT = 'concordia-ledger-export';
export const EXPORT_VERSION = 1;

export interface ExportedEntry {
  seq: number;
  kind: string;
  appendedAt: string;
  /** The leaf: canonical JSON `{"at","data","kind"}`, hashed as SHA-256(0x00 ‖ entry). */
  entry: string;
  /** The leaf hash as stored by the ledger (the verifier recomputes it and compares). */
  leafHash: string;
}

export interface ExportedCheckpoint {
  size: number;
  rootHash: string;
  /** The C2SP signed note. */
  note: string;
  createdAt: string;
  /** Key that signed it (name in the note, Ed25519 key). */
  signer: { name: string; kid: string };
  /** RFC 9162 consistency proof from the previous checkpoint of this export (absent for the first). */
  consistencyProof?: string[];
}

export interface ExportedCheckpointKey {
  name: string;
  publicJwk: Ed25519PublicJwk;
  /** The C2SP verifier key string, for standard tooling. */
  vkey: string;
}

export interface LedgerExport {
  format: typeof EXPORT_FORMAT;
  version: typeof EXPORT_VERSION;
  origin: string;
  exportedAt: string;
  /** Entries [fromSeq, toSize) are exported; toSize is the tree size the export ends at. */
  fromSeq: number;
  toSize: number;
  entryCount: number;
  /** The frontier of the tree of size fromSeq (perfect subtree hashes, largest first); [] from 0. */
  prefix: string[];
  entries: ExportedEntry[];
  checkpoints: ExportedCheckpoint[];
  keys: {
    /** Keys that signed the checkpoints. */
    checkpoint: ExportedCheckpointKey[];
    /** Keys for the JWS embedded in entries (consent receipts, envelopes…). */
    jws: Jwks;
  };
}
