import { ProtocolError } from '../errors.js';
import { fromBase64, toBase64, utf8 } from './bytes.js';
import {
  openCheckpointWebCrypto,
  parseVerifierKeyWebCrypto,
  type WebCryptoCheckpoint,
} from './checkpoint.js';
import type { Ed25519PublicKeyJwk } from './jws.js';
import { leafHashWebCrypto, rootFromInclusionProofWebCrypto } from './merkle.js';

/**
 * A ledger entry's inclusion under a signed checkpoint, checked over WebCrypto — the browser's
 * twin of verifyLedgerInclusion (libs/compliance/src/ledger-proof.ts), on the same claim (the
 * LedgerInclusion of the node's GraphQL).
 */
export interface LedgerInclusionClaimWebCrypto {
  entry: string;
  seq: number;
  treeSize: number;
  hashes: readonly string[];
  checkpointNote: string;
  verifierKey: string;
  origin?: string;
}

export interface VerifiedLedgerInclusion {
  /** SHA-256(0x00 ‖ entry), recomputed here, base64. */
  leafHash: string;
  /** The root the path leads to, recomputed here, base64 (equal to the checkpoint's). */
  root: string;
  checkpoint: WebCryptoCheckpoint;
  /** Name of the key that signed the checkpoint. */
  signedBy: string;
  signerJwk: Ed25519PublicKeyJwk;
}

/**
 * Checks the checkpoint's signature (by the verifier key, which must be one of `trustedKeys` when
 * given: the keys the federation vouches for), its size, then recomputes the leaf hash and the
 * path to the root. Throws ProtocolError naming the first mismatch.
 */
export async function verifyLedgerInclusionWebCrypto(
  claim: LedgerInclusionClaimWebCrypto,
  options: { trustedKeys?: readonly { x: string }[] } = {},
): Promise<VerifiedLedgerInclusion> {
  const verifier = await parseVerifierKeyWebCrypto(claim.verifierKey);
  if (options.trustedKeys && !options.trustedKeys.some((key) => key.x === verifier.publicJwk.x)) {
    throw new ProtocolError(
      'UNKNOWN_KEY',
      `the checkpoint key "${verifier.name}" is not vouched for by the federation`,
    );
  }
  const { checkpoint, verifiedBy } = await openCheckpointWebCrypto(claim.checkpointNote, [verifier], {
    ...(claim.origin ? { origin: claim.origin } : {}),
  });
  if (checkpoint.size !== claim.treeSize) {
    throw new ProtocolError(
      'OUT_OF_RANGE',
      `the checkpoint is of size ${checkpoint.size}, the proof of size ${claim.treeSize}`,
    );
  }
  const leaf = await leafHashWebCrypto(utf8(claim.entry));
  const root = await rootFromInclusionProofWebCrypto(
    leaf,
    claim.seq,
    claim.treeSize,
    claim.hashes.map((hash) => fromBase64(hash, 'proof hash')),
  );
  const rootText = toBase64(root);
  if (rootText !== toBase64(checkpoint.rootHash)) {
    throw new ProtocolError('PROOF_INVALID', 'inclusion proof does not lead to the root');
  }
  return {
    leafHash: toBase64(leaf),
    root: rootText,
    checkpoint,
    signedBy: verifiedBy[0] as string,
    signerJwk: verifier.publicJwk,
  };
}
