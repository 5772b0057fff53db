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

/**
 * A signed message (compact JWS) that entry `seq` names by hash: `data[field]` is its `jwsHash`
 * (base64url SHA-256 of the compact JWS). The verifier checks the hash, then the signature:
 * membership statements with the federation's keys, member messages with the keys that a verified
 * membership statement of their issuer vouched for (or the export's `keys.jws` when not pinned).
 */
export interface ExportedMessage {
  seq: number;
  field: string;
  jws: string;
}

/** Top-level entry fields that name a signed message by its jwsHash (the federation's entries). */
export const MESSAGE_HASH_FIELD = /^[a-z][A-Za-z]*Hash$/;
const JWS_HASH = /^[A-Za-z0-9_-]{43}$/;

/** The [field, hash] pairs of an entry's data that may name a carried message. */
export function messageHashes(data: unknown): [string, string][] {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return [];
  return Object.entries(data).filter(
    (pair): pair is [string, string] =>
      MESSAGE_HASH_FIELD.test(pair[0]) && typeof pair[1] === 'string' && JWS_HASH.test(pair[1]),
  );
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
  /** Signed messages named by hash in entries, in entry order (optional: the federation's exports). */
  messages?: ExportedMessage[];
  keys: {
    /** Keys that signed the checkpoints. */
    checkpoint: ExportedCheckpointKey[];
    /**
     * Keys for the JWS embedded in entries or carried in `messages` (consent receipts, envelopes…);
     * the federation's export lists its own keys and every member key it ever registered.
     */
    jws: Jwks;
  };
}
