import { leafHash, openCheckpoint, parseVerifierKey, ProtocolError, verifyInclusion } from '#protocol';

/**
 * What a client needs to check that a ledger entry (a consent receipt, a withdrawal…) is in the
 * node's signed ledger, with libs/protocol alone: the leaf text, its index, the RFC 9162 inclusion
 * proof, and the signed checkpoint (C2SP note) with the signer's verifier key.
 */
export interface LedgerInclusionClaim {
  /** The leaf exactly as hashed: RFC 8785 canonical JSON {"at","data","kind"}. */
  entry: string;
  seq: number;
  treeSize: number;
  /** Base64 hashes, deepest sibling first. */
  hashes: readonly string[];
  /** The signed checkpoint note of that tree size. */
  checkpointNote: string;
  /** C2SP verifier key of the checkpoint signer ("name+keyid+base64"). */
  verifierKey: string;
  /** The ledger origin the checkpoint must name. */
  origin?: string;
}

/**
 * Verifies the checkpoint signature, that it is of `treeSize` entries, and the inclusion of the
 * entry under its root. Throws ProtocolError on any mismatch; returns the verified root (base64).
 */
export function verifyLedgerInclusion(claim: LedgerInclusionClaim): string {
  const verifier = parseVerifierKey(claim.verifierKey);
  const { checkpoint } = openCheckpoint(claim.checkpointNote, [verifier], {
    ...(claim.origin ? { origin: claim.origin } : {}),
  });
  if (checkpoint.size !== claim.treeSize) {
    throw new ProtocolError(
      'OUT_OF_RANGE',
      `the checkpoint is of size ${checkpoint.size}, the proof of size ${claim.treeSize}`,
    );
  }
  verifyInclusion(
    leafHash(Buffer.from(claim.entry, 'utf8')),
    claim.seq,
    claim.treeSize,
    claim.hashes.map((h) => new Uint8Array(Buffer.from(h, 'base64'))),
    checkpoint.rootHash,
  );
  return Buffer.from(checkpoint.rootHash).toString('base64');
}
