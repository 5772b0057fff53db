import type { Ed25519PrivateJwk, Ed25519PublicJwk } from '#protocol';

export interface LedgerOptions {
  /** The checkpoint origin, unique per log, e.g. "concordia/alice-bank/ledger". */
  origin: string;
}

/** The ledger owner's checkpoint key: its name in signed notes and its private Ed25519 JWK. */
export interface LedgerSigner {
  name: string;
  privateJwk: Ed25519PrivateJwk;
}

export interface AppendedEntry {
  seq: number;
  leafHash: Uint8Array;
  appendedAt: Date;
}

export interface QueuedEntry {
  queueId: number;
  leafHash: Uint8Array;
  appendedAt: Date;
}

export interface LedgerHead {
  size: number;
  rootHash: Uint8Array;
}

export interface StoredEntry {
  seq: number;
  kind: string;
  entry: string;
  leafHash: Uint8Array;
  appendedAt: Date;
}

export interface StoredCheckpoint {
  size: number;
  rootHash: Uint8Array;
  note: string;
  signer: { name: string; publicJwk: Ed25519PublicJwk };
  createdAt: Date;
}

export interface InclusionProofResult {
  seq: number;
  treeSize: number;
  leafHash: Uint8Array;
  rootHash: Uint8Array;
  /** RFC 9162 PATH(seq, D[treeSize]), deepest sibling first. */
  proof: Uint8Array[];
}

export interface ConsistencyProofResult {
  fromSize: number;
  toSize: number;
  fromRoot: Uint8Array;
  toRoot: Uint8Array;
  proof: Uint8Array[];
}
