/**
 * The federation ledger's HTTP contract (docs/protocol.md, "Federation ledger"): its checkpoint
 * origin and the answers of its reads. Hashes are standard base64.
 */

/** The federation ledger's checkpoint origin, also the name of its signer in the signed notes. */
export function federationLedgerOrigin(federationId: string): string {
  return `concordia/${federationId}/ledger`;
}

/** A signed checkpoint of the federation ledger (C2SP signed note). */
export interface LedgerCheckpointView {
  size: number;
  rootHash: string;
  note: string;
  signerName: string;
  signerKid: string;
  createdAt: string;
}

export interface LedgerCheckpointsResponse {
  checkpoints: LedgerCheckpointView[];
  /** Pass as `before` for the next (older) page; null at the end. */
  nextBefore: number | null;
}

export interface LedgerConsistencyResponse {
  fromSize: number;
  toSize: number;
  fromRoot: string;
  toRoot: string;
  hashes: string[];
}
