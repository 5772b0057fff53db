import { describe, expect, it } from '@jest/globals';
import {
  consistencyProof,
  generateSigningKeyPair,
  isProtocolError,
  leafHash,
  merkleRoot,
  noteVerifier,
  signCheckpoint,
} from '#protocol';
import { checkFederationCheckpoint } from './federation-checkpoint.js';

const ORIGIN = 'concordia/federation/ledger';
const fed = generateSigningKeyPair();
const signer = { name: ORIGIN, privateJwk: fed.privateJwk };
const keys = [noteVerifier(ORIGIN, fed.publicJwk)];
const leaves = Array.from({ length: 40 }, (_, i) => leafHash(Buffer.from(`entry ${i}`)));
const forked = leaves.map((leaf, i) => (i === 20 ? leafHash(Buffer.from('rewritten')) : leaf));
const note = (tree: Uint8Array[], size: number) =>
  signCheckpoint({ origin: ORIGIN, size, rootHash: merkleRoot(tree.slice(0, size)) }, signer);
const known = (size: number) => ({ size, rootHash: merkleRoot(leaves.slice(0, size)) });

describe('checkFederationCheckpoint (pure)', () => {
  it('accepts the first checkpoint, a consistent growth, the same head and an older consistent one', () => {
    expect(checkFederationCheckpoint(undefined, note(leaves, 10), [], keys).status).toBe('first');
    expect(
      checkFederationCheckpoint(known(10), note(leaves, 30), consistencyProof(leaves, 10, 30), keys).status,
    ).toBe('consistent');
    expect(checkFederationCheckpoint(known(30), note(leaves, 30), [], keys).status).toBe('same');
    expect(
      checkFederationCheckpoint(known(30), note(leaves, 12), consistencyProof(leaves, 12, 30), keys).status,
    ).toBe('stale');
  });

  it('flags a rewritten history as inconsistent, whatever proof comes with it', () => {
    const verdict = checkFederationCheckpoint(
      known(30),
      note(forked, 40),
      consistencyProof(forked, 30, 40),
      keys,
    );
    expect(verdict.status).toBe('inconsistent');
    expect(checkFederationCheckpoint(known(30), note(forked, 30), [], keys)).toMatchObject({
      status: 'inconsistent',
      reason: 'two different roots for tree size 30',
    });
    expect(checkFederationCheckpoint(known(10), note(leaves, 30), [], keys).status).toBe('inconsistent');
  });

  it('throws (no verdict) on a note that is not authentic', () => {
    const other = generateSigningKeyPair();
    const forged = signCheckpoint(
      { origin: ORIGIN, size: 30, rootHash: merkleRoot(leaves.slice(0, 30)) },
      { name: ORIGIN, privateJwk: other.privateJwk },
    );
    expect(() => checkFederationCheckpoint(known(10), forged, [], keys)).toThrow(
      expect.objectContaining({ code: 'UNKNOWN_KEY' }) as unknown as Error,
    );
    const flipped = note(leaves, 30).replace(
      /\n— (\S+) (.)/u,
      (_m, name: string, c: string) => `\n— ${name} ${c === 'A' ? 'B' : 'A'}`,
    );
    let error: unknown;
    try {
      checkFederationCheckpoint(known(10), flipped, [], keys);
    } catch (e) {
      error = e;
    }
    expect(isProtocolError(error)).toBe(true);
  });
});
