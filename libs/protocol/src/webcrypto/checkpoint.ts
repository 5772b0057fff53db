import { ProtocolError } from '../errors.js';
import { checkCheckpointLine, checkNoteText } from '../text-checks.js';
import { fromBase64, fromBase64url, sha256, toBase64url, utf8 } from './bytes.js';
import { HASH_SIZE } from './merkle.js';
import { verifyEd25519WebCrypto, type Ed25519PublicKeyJwk } from './jws.js';

/**
 * C2SP signed notes and checkpoints (see ../checkpoint.ts for the format) verified over WebCrypto:
 * the browser's twin of parseVerifierKey, openNote and openCheckpoint, with the same refusals and
 * codes (tested against them).
 */
export interface WebCryptoCheckpoint {
  origin: string;
  size: number;
  rootHash: Uint8Array;
  extensions?: string[];
}

export interface WebCryptoNoteVerifier {
  name: string;
  keyId: number;
  publicJwk: Ed25519PublicKeyJwk;
}

const ED25519_SIGNATURE_TYPE = 0x01;
const MAX_SIGNATURES = 100;

export async function noteKeyIdWebCrypto(name: string, publicJwk: { x: string }): Promise<number> {
  if (typeof name !== 'string' || name === '' || /[\s+]/u.test(name)) {
    throw new ProtocolError('MALFORMED', 'note key name must be non-empty, without spaces or "+"');
  }
  const digest = await sha256(
    utf8(`${name}\n`),
    new Uint8Array([ED25519_SIGNATURE_TYPE]),
    fromBase64url(publicJwk.x, 'public key'),
  );
  return new DataView(digest.buffer, digest.byteOffset, 4).getUint32(0);
}

/** The C2SP verifier key string "<name>+<hex key id>+<base64(0x01 ‖ key)>", its id checked. */
export async function parseVerifierKeyWebCrypto(vkey: string): Promise<WebCryptoNoteVerifier> {
  const parts = typeof vkey === 'string' ? vkey.split('+') : [];
  const [name, hexId] = parts as [string, string];
  const encoded = parts.slice(2).join('+');
  if (parts.length < 3 || !/^[0-9a-f]{8}$/u.test(hexId))
    throw new ProtocolError('MALFORMED', 'verifier key is not valid');
  const key = fromBase64(encoded, 'verifier key');
  if (key.length !== 33 || key[0] !== ED25519_SIGNATURE_TYPE) {
    throw new ProtocolError('UNSUPPORTED_ALGORITHM', 'only Ed25519 verifier keys are supported');
  }
  const publicJwk: Ed25519PublicKeyJwk = { kty: 'OKP', crv: 'Ed25519', x: toBase64url(key.subarray(1)) };
  const keyId = await noteKeyIdWebCrypto(name, publicJwk);
  if (keyId !== parseInt(hexId, 16)) throw new ProtocolError('INVALID_KEY', 'verifier key id does not match');
  return { name, keyId, publicJwk };
}

export async function noteVerifierWebCrypto(
  name: string,
  publicJwk: Ed25519PublicKeyJwk,
): Promise<WebCryptoNoteVerifier> {
  return { name, keyId: await noteKeyIdWebCrypto(name, publicJwk), publicJwk };
}

/**
 * openNote over WebCrypto: signatures by unknown keys are ignored, a bad signature by a known key
 * is SIGNATURE_INVALID, no signature by a known key at all is UNKNOWN_KEY.
 */
export async function openNoteWebCrypto(
  signedNote: string,
  verifiers: readonly WebCryptoNoteVerifier[],
): Promise<{ text: string; verifiedBy: string[] }> {
  if (typeof signedNote !== 'string') throw new ProtocolError('MALFORMED', 'signed note must be a string');
  const split = signedNote.lastIndexOf('\n\n');
  if (split < 0 || !signedNote.endsWith('\n'))
    throw new ProtocolError('MALFORMED', 'signed note has no signatures');
  const text = signedNote.slice(0, split + 1);
  checkNoteText(text);
  const signatureLines = signedNote.slice(split + 2, -1).split('\n');
  if (signatureLines.length > MAX_SIGNATURES)
    throw new ProtocolError('MALFORMED', 'signed note has too many signatures');
  const textBytes = utf8(text);
  const verifiedBy: string[] = [];
  for (const line of signatureLines) {
    const match = /^\u2014 (\S+) ([A-Za-z0-9+/=]+)$/u.exec(line);
    if (!match) throw new ProtocolError('MALFORMED', 'signature line is not valid');
    const [, name, encoded] = match as unknown as [string, string, string];
    const bytes = fromBase64(encoded, 'note signature');
    if (bytes.length < 5) throw new ProtocolError('MALFORMED', 'note signature is too short');
    const keyId = new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0);
    const verifier = verifiers.find((candidate) => candidate.name === name && candidate.keyId === keyId);
    if (!verifier) continue;
    const signature = bytes.subarray(4);
    if (
      signature.length !== 64 ||
      !(await verifyEd25519WebCrypto(verifier.publicJwk, textBytes, signature))
    ) {
      throw new ProtocolError('SIGNATURE_INVALID', `note signature by "${name}" does not match`);
    }
    if (!verifiedBy.includes(name)) verifiedBy.push(name);
  }
  if (verifiedBy.length === 0) throw new ProtocolError('UNKNOWN_KEY', 'note is not signed by a known key');
  return { text, verifiedBy };
}

export function parseCheckpointWebCrypto(text: string): WebCryptoCheckpoint {
  if (!text.endsWith('\n')) throw new ProtocolError('MALFORMED', 'checkpoint must end with a newline');
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3) throw new ProtocolError('MALFORMED', 'checkpoint needs origin, size and root hash');
  const [origin, sizeLine, rootLine, ...extensions] = lines as [string, string, string, ...string[]];
  checkCheckpointLine(origin, 'origin');
  extensions.forEach((line) => checkCheckpointLine(line, 'extension line'));
  if (!/^(0|[1-9]\d*)$/u.test(sizeLine) || !Number.isSafeInteger(Number(sizeLine))) {
    throw new ProtocolError('MALFORMED', 'checkpoint size is not a decimal integer');
  }
  const rootHash = fromBase64(rootLine, 'root hash');
  if (rootHash.length !== HASH_SIZE) throw new ProtocolError('MALFORMED', 'root hash must be 32 bytes');
  return { origin, size: Number(sizeLine), rootHash, ...(extensions.length > 0 ? { extensions } : {}) };
}

/** openCheckpoint over WebCrypto: the note's signature by a known key, then its text as a checkpoint. */
export async function openCheckpointWebCrypto(
  signedNote: string,
  verifiers: readonly WebCryptoNoteVerifier[],
  options: { origin?: string } = {},
): Promise<{ checkpoint: WebCryptoCheckpoint; verifiedBy: string[] }> {
  const { text, verifiedBy } = await openNoteWebCrypto(signedNote, verifiers);
  const checkpoint = parseCheckpointWebCrypto(text);
  if (options.origin !== undefined && checkpoint.origin !== options.origin) {
    throw new ProtocolError(
      'WRONG_ISSUER',
      `checkpoint is for "${checkpoint.origin}", not "${options.origin}"`,
    );
  }
  return { checkpoint, verifiedBy };
}
