import {
  isProtocolError,
  openCheckpoint,
  ProtocolError,
  verifyConsistency,
  type Checkpoint,
  type NoteVerifier,
} from '#protocol';

/** The last checkpoint of a log that was accepted as consistent. */
export interface KnownCheckpoint {
  size: number;
  rootHash: Uint8Array;
}

export type CheckpointVerdict =
  /** The first checkpoint seen from this log: nothing to compare with yet. */
  | { status: 'first'; checkpoint: Checkpoint }
  /** Grows the known tree, proven by the consistency proof. */
  | { status: 'consistent'; checkpoint: Checkpoint }
  /** The same tree head as the known one. */
  | { status: 'same'; checkpoint: Checkpoint }
  /** An older, consistent tree head (e.g. received late): nothing new. */
  | { status: 'stale'; checkpoint: Checkpoint }
  /** Authentic, but not an extension of what we saw: the log forked or was rewritten. */
  | { status: 'inconsistent'; checkpoint: Checkpoint; reason: string };

/**
 * Judges a new signed checkpoint of another log (the federation's) against the last one we
 * accepted. Pure. A note that is not authentic (bad or unknown signature, wrong origin, malformed)
 * throws its ProtocolError: it says nothing about the log. An authentic note that is not
 * consistent with what we saw is the evidence an auditor needs, returned as `inconsistent`.
 *
 * `proof` is RFC 9162 PROOF(previous.size, new.size) (or, for an older checkpoint,
 * PROOF(new.size, previous.size)).
 */
export function checkFederationCheckpoint(
  previous: KnownCheckpoint | undefined,
  note: string,
  proof: readonly Uint8Array[],
  federationKeys: readonly NoteVerifier[],
  options: { origin?: string } = {},
): CheckpointVerdict {
  const { checkpoint } = openCheckpoint(note, federationKeys, options);
  if (!previous) return { status: 'first', checkpoint };
  const same = Buffer.compare(checkpoint.rootHash, previous.rootHash) === 0;
  if (checkpoint.size === previous.size) {
    return same
      ? { status: 'same', checkpoint }
      : {
          status: 'inconsistent',
          checkpoint,
          reason: `two different roots for tree size ${checkpoint.size}`,
        };
  }
  const growing = checkpoint.size > previous.size;
  try {
    if (growing)
      verifyConsistency(previous.size, checkpoint.size, proof, previous.rootHash, checkpoint.rootHash);
    else verifyConsistency(checkpoint.size, previous.size, proof, checkpoint.rootHash, previous.rootHash);
  } catch (error) {
    if (!isProtocolError(error)) throw error;
    return {
      status: 'inconsistent',
      checkpoint,
      reason: `no valid consistency proof between sizes ${previous.size} and ${checkpoint.size}: ${error.message}`,
    };
  }
  return { status: growing ? 'consistent' : 'stale', checkpoint };
}

/** Decodes base64 proof hashes as they travel in JSON; throws MALFORMED on anything else. */
export function decodeProof(hashes: readonly string[]): Uint8Array[] {
  return hashes.map((hash, i) => {
    if (typeof hash !== 'string' || !/^[A-Za-z0-9+/]{43}=$/.test(hash)) {
      throw new ProtocolError('MALFORMED', `consistency proof hash ${i} is not a base64 SHA-256 hash`);
    }
    return new Uint8Array(Buffer.from(hash, 'base64'));
  });
}
