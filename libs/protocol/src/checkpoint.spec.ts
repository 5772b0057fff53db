import { describe, expect, it } from '@jest/globals';
import { createPrivateKey } from 'node:crypto';
import {
  formatCheckpoint,
  formatVerifierKey,
  noteVerifier,
  openCheckpoint,
  openNote,
  parseCheckpoint,
  parseVerifierKey,
  signCheckpoint,
  signNote,
  type Checkpoint,
} from './checkpoint.js';
import { generateSigningKeyPair, keyPairFromPrivate } from './keys.js';
import { merkleRoot, leafHash } from './merkle.js';
import { readJsonVector } from './testing/vectors.js';

const goVector = readJsonVector<{ signerKey: string; verifierKey: string; text: string; signedNote: string }>(
  'signed-note/go-sumdb-note.json.txt',
);

/** The Go signer key is PRIVATE+KEY+<name>+<hash>+base64(0x01 ‖ Ed25519 seed). */
function goSigner() {
  const seed = Buffer.from(goVector.signerKey.split('+').slice(4).join('+'), 'base64').subarray(1);
  const pkcs8 = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]);
  const jwk = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }).export({ format: 'jwk' });
  return keyPairFromPrivate({ kty: 'OKP', crv: 'Ed25519', x: jwk.x as string, d: jwk.d as string });
}

const log = generateSigningKeyPair();
const witness = generateSigningKeyPair();
const ORIGIN = 'concordia.example/federation/ledger';
const checkpoint: Checkpoint = {
  origin: ORIGIN,
  size: 3,
  rootHash: merkleRoot(['a', 'b', 'c'].map((entry) => leafHash(Buffer.from(entry)))),
};
const logVerifier = noteVerifier(ORIGIN, log.publicJwk);

function codeOf(run: () => unknown): string {
  try {
    run();
    return 'accepted';
  } catch (error) {
    return (error as { code?: string }).code ?? `crash: ${String(error)}`;
  }
}

describe('C2SP signed notes', () => {
  it('reproduces the Go sumdb/note example byte for byte', () => {
    const signer = goSigner();
    expect(signNote(goVector.text, { name: 'PeterNeumann', privateJwk: signer.privateJwk })).toBe(
      goVector.signedNote,
    );
    expect(formatVerifierKey(noteVerifier('PeterNeumann', signer.publicJwk))).toBe(goVector.verifierKey);
  });

  it('opens the Go example with its verifier key', () => {
    const verifier = parseVerifierKey(goVector.verifierKey);
    expect(openNote(goVector.signedNote, [verifier])).toEqual({
      text: goVector.text,
      verifiedBy: ['PeterNeumann'],
    });
    expect(
      codeOf(() => openNote(goVector.signedNote.replace('cryptography', 'cryptographY'), [verifier])),
    ).toBe('SIGNATURE_INVALID');
  });

  it.each([
    ['a wrong key id', 'PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW', 'INVALID_KEY'],
    [
      'another algorithm',
      'PeterNeumann+c74f20a3+Alpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW',
      'UNSUPPORTED_ALGORITHM',
    ],
    ['a missing part', 'PeterNeumann+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW', 'MALFORMED'],
  ])('refuses a verifier key with %s', (_name, vkey, code) => {
    expect(codeOf(() => parseVerifierKey(vkey))).toBe(code);
  });
});

describe('checkpoints', () => {
  it('formats and parses the C2SP checkpoint body', () => {
    const text = formatCheckpoint({ ...checkpoint, extensions: ['Timestamp: 1760000000'] });
    expect(text).toBe(
      `${ORIGIN}\n3\n${Buffer.from(checkpoint.rootHash).toString('base64')}\nTimestamp: 1760000000\n`,
    );
    expect(parseCheckpoint(text)).toEqual({
      ...checkpoint,
      rootHash: Buffer.from(checkpoint.rootHash),
      extensions: ['Timestamp: 1760000000'],
    });
  });

  it('signs and opens a checkpoint, ignoring unknown cosigners', () => {
    const note = signCheckpoint(checkpoint, [
      { name: ORIGIN, privateJwk: log.privateJwk },
      { name: 'witness.example', privateJwk: witness.privateJwk },
    ]);
    expect(note.split('\n\u2014 ')).toHaveLength(3);
    const opened = openCheckpoint(note, [logVerifier], { origin: ORIGIN });
    expect(opened.verifiedBy).toEqual([ORIGIN]);
    expect(opened.checkpoint.size).toBe(3);
    expect(Buffer.from(opened.checkpoint.rootHash).equals(Buffer.from(checkpoint.rootHash))).toBe(true);
    const both = openCheckpoint(note, [logVerifier, noteVerifier('witness.example', witness.publicJwk)]);
    expect(both.verifiedBy).toEqual([ORIGIN, 'witness.example']);
  });

  it('round-trips its verifier key', () => {
    const parsed = parseVerifierKey(formatVerifierKey(logVerifier));
    expect(parsed.keyId).toBe(logVerifier.keyId);
    expect(parsed.publicJwk.x).toBe(log.publicJwk.x);
  });

  const note = signCheckpoint(checkpoint, { name: ORIGIN, privateJwk: log.privateJwk });

  it.each<[string, () => unknown, string]>([
    ['an unknown key', () => openCheckpoint(note, [noteVerifier(ORIGIN, witness.publicJwk)]), 'UNKNOWN_KEY'],
    ['no known verifier at all', () => openCheckpoint(note, []), 'UNKNOWN_KEY'],
    [
      'a tampered size',
      () => openCheckpoint(note.replace('\n3\n', '\n4\n'), [logVerifier]),
      'SIGNATURE_INVALID',
    ],
    [
      'a forged signature under the right name and id',
      () => {
        const forged = signCheckpoint(checkpoint, { name: ORIGIN, privateJwk: witness.privateJwk });
        const idOf = (text: string) => Buffer.from(text.split(' ').at(-1) as string, 'base64').subarray(0, 4);
        const signature = Buffer.from(forged.split(' ').at(-1) as string, 'base64').subarray(4);
        const withLogId = Buffer.concat([idOf(note), signature]).toString('base64');
        return openCheckpoint(`${forged.slice(0, forged.lastIndexOf(' ') + 1)}${withLogId}\n`, [logVerifier]);
      },
      'SIGNATURE_INVALID',
    ],
    ['a wrong origin', () => openCheckpoint(note, [logVerifier], { origin: 'other/log' }), 'WRONG_ISSUER'],
    ['no signatures', () => openCheckpoint(formatCheckpoint(checkpoint), [logVerifier]), 'MALFORMED'],
    [
      'a garbled signature line',
      () => openCheckpoint(note.replace('\u2014 ', '- '), [logVerifier]),
      'MALFORMED',
    ],
    [
      'a body that is not a checkpoint',
      () => openCheckpoint(signNote('hello\n', { name: ORIGIN, privateJwk: log.privateJwk }), [logVerifier]),
      'MALFORMED',
    ],
    [
      'a size with a leading zero',
      () => parseCheckpoint(`${ORIGIN}\n03\n${Buffer.alloc(32).toString('base64')}\n`),
      'MALFORMED',
    ],
    [
      'a short root hash',
      () => parseCheckpoint(`${ORIGIN}\n3\n${Buffer.alloc(31).toString('base64')}\n`),
      'MALFORMED',
    ],
    ['an empty origin', () => formatCheckpoint({ ...checkpoint, origin: '' }), 'MALFORMED'],
    [
      'a newline in an extension',
      () => formatCheckpoint({ ...checkpoint, extensions: ['a\nb'] }),
      'MALFORMED',
    ],
    [
      'a key name with a space',
      () => signCheckpoint(checkpoint, { name: 'a b', privateJwk: log.privateJwk }),
      'MALFORMED',
    ],
  ])('refuses %s', (_name, run, code) => {
    expect(codeOf(run)).toBe(code);
  });
});
