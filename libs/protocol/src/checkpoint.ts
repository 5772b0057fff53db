import { createHash, sign as edSign, verify as edVerify } from 'node:crypto';
import { fromBase64, fromBase64url, toBase64 } from './encoding.js';
import { ProtocolError } from './errors.js';
import { privateKeyObject, publicKeyObject, type Ed25519PrivateJwk, type Ed25519PublicJwk } from './keys.js';
import { HASH_SIZE } from './merkle.js';
import { checkCheckpointLine, checkNoteText } from './text-checks.js';

/**
 * Signed tree heads of the ledger, as C2SP checkpoints (c2sp.org/tlog-checkpoint) wrapped in C2SP
 * signed notes (c2sp.org/signed-note), so that standard transparency-log tooling can read them:
 *
 *   <origin>\n<tree size>\n<base64 root hash>\n[<extension line>\n…]
 *   \n
 *   — <key name> <base64(key id ‖ Ed25519 signature)>\n   (one line per signature)
 *
 * The key id is the first 4 bytes of SHA-256(key name ‖ "\n" ‖ 0x01 ‖ public key), 0x01 naming
 * Ed25519. The signature covers the whole note text, final newline included.
 */
export const CHECKPOINT_TYPE = 'concordia-checkpoint';

export interface Checkpoint {
  /** Unique name of the log, e.g. "concordia.example/federation/ledger". */
  origin: string;
  size: number;
  rootHash: Uint8Array;
  /** Optional extra lines, covered by the signatures; not interpreted here. */
  extensions?: string[];
}

export interface NoteSigner {
  name: string;
  privateJwk: Ed25519PrivateJwk;
}

export interface NoteVerifier {
  name: string;
  keyId: number;
  publicJwk: Ed25519PublicJwk;
}

const ED25519_SIGNATURE_TYPE = 0x01;
const SIGNATURE_PREFIX = '\u2014 ';
const MAX_SIGNATURES = 100;

export function formatCheckpoint(checkpoint: Checkpoint): string {
  checkCheckpointLine(checkpoint.origin, 'origin');
  if (!Number.isSafeInteger(checkpoint.size) || checkpoint.size < 0) {
    throw new ProtocolError('MALFORMED', 'checkpoint size is not valid');
  }
  if (checkpoint.rootHash.length !== HASH_SIZE)
    throw new ProtocolError('MALFORMED', 'root hash must be 32 bytes');
  const extensions = checkpoint.extensions ?? [];
  extensions.forEach((line) => checkCheckpointLine(line, 'extension line'));
  return [checkpoint.origin, String(checkpoint.size), toBase64(checkpoint.rootHash), ...extensions, ''].join(
    '\n',
  );
}

export function parseCheckpoint(text: string): Checkpoint {
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

export function noteKeyId(name: string, publicJwk: Ed25519PublicJwk): number {
  checkKeyName(name);
  const publicKey = fromBase64url(publicJwk.x, 'public key');
  const digest = createHash('sha256')
    .update(`${name}\n`, 'utf8')
    .update(Buffer.from([ED25519_SIGNATURE_TYPE]))
    .update(publicKey)
    .digest();
  return digest.readUInt32BE(0);
}

export function noteVerifier(name: string, publicJwk: Ed25519PublicJwk): NoteVerifier {
  return { name, keyId: noteKeyId(name, publicJwk), publicJwk };
}

/** The C2SP verifier key string: <name>+<hex key id>+<base64(0x01 ‖ public key)>. */
export function formatVerifierKey(verifier: NoteVerifier): string {
  const publicKey = fromBase64url(verifier.publicJwk.x, 'public key');
  const encoded = toBase64(Buffer.concat([Buffer.from([ED25519_SIGNATURE_TYPE]), publicKey]));
  return `${verifier.name}+${verifier.keyId.toString(16).padStart(8, '0')}+${encoded}`;
}

export function parseVerifierKey(vkey: string): NoteVerifier {
  const parts = vkey.split('+');
  // The base64 part may itself contain "+": name and key id are the first two fields.
  const [name, hexId] = parts as [string, string];
  const encoded = parts.slice(2).join('+');
  if (parts.length < 3 || !/^[0-9a-f]{8}$/u.test(hexId))
    throw new ProtocolError('MALFORMED', 'verifier key is not valid');
  const key = fromBase64(encoded, 'verifier key');
  if (key.length !== 33 || key[0] !== ED25519_SIGNATURE_TYPE) {
    throw new ProtocolError('UNSUPPORTED_ALGORITHM', 'only Ed25519 verifier keys are supported');
  }
  const x = key.subarray(1).toString('base64url');
  const publicJwk = importedEd25519(x);
  const verifier = noteVerifier(name, publicJwk);
  if (verifier.keyId !== parseInt(hexId, 16))
    throw new ProtocolError('INVALID_KEY', 'verifier key id does not match');
  return verifier;
}

function importedEd25519(x: string): Ed25519PublicJwk {
  const jwk = { kty: 'OKP' as const, crv: 'Ed25519' as const, x, kid: '' };
  publicKeyObject(jwk);
  return jwk;
}

/** Signs a checkpoint; the result is the signed note text. */
export function signCheckpoint(checkpoint: Checkpoint, signers: NoteSigner | readonly NoteSigner[]): string {
  return signNote(formatCheckpoint(checkpoint), signers);
}

export interface OpenedCheckpoint {
  checkpoint: Checkpoint;
  /** Names of the known keys whose signatures were verified. */
  verifiedBy: string[];
}

/** Verifies a signed checkpoint against known keys (see openNote), then parses it. */
export function openCheckpoint(
  signedNote: string,
  verifiers: readonly NoteVerifier[],
  options: { origin?: string } = {},
): OpenedCheckpoint {
  const { text, verifiedBy } = openNote(signedNote, verifiers);
  const checkpoint = parseCheckpoint(text);
  if (options.origin !== undefined && checkpoint.origin !== options.origin) {
    throw new ProtocolError(
      'WRONG_ISSUER',
      `checkpoint is for "${checkpoint.origin}", not "${options.origin}"`,
    );
  }
  return { checkpoint, verifiedBy };
}

/** C2SP signed note: the text (ending in a newline), a blank line, one signature line per signer. */
export function signNote(text: string, signers: NoteSigner | readonly NoteSigner[]): string {
  checkNoteText(text);
  const list = Array.isArray(signers) ? signers : [signers as NoteSigner];
  if (list.length === 0) throw new ProtocolError('MALFORMED', 'a note needs at least one signer');
  const textBytes = Buffer.from(text, 'utf8');
  const lines = list.map((signer) => {
    const keyId = Buffer.alloc(4);
    keyId.writeUInt32BE(noteKeyId(signer.name, signer.privateJwk));
    const signature = edSign(null, textBytes, privateKeyObject(signer.privateJwk));
    return `${SIGNATURE_PREFIX}${signer.name} ${toBase64(Buffer.concat([keyId, signature]))}\n`;
  });
  return `${text}\n${lines.join('')}`;
}

/**
 * Verifies a signed note against known keys. Signatures by unknown keys are ignored (a note may
 * carry witnesses' cosignatures); a bad signature by a known key is an error; no signature by a
 * known key at all is UNKNOWN_KEY.
 */
export function openNote(
  signedNote: string,
  verifiers: readonly NoteVerifier[],
): { text: string; verifiedBy: string[] } {
  if (typeof signedNote !== 'string') throw new ProtocolError('MALFORMED', 'signed note must be a string');
  const split = signedNote.lastIndexOf('\n\n');
  if (split < 0 || !signedNote.endsWith('\n'))
    throw new ProtocolError('MALFORMED', 'signed note has no signatures');
  const text = signedNote.slice(0, split + 1);
  checkNoteText(text);
  const signatureLines = signedNote.slice(split + 2, -1).split('\n');
  if (signatureLines.length > MAX_SIGNATURES)
    throw new ProtocolError('MALFORMED', 'signed note has too many signatures');
  const textBytes = Buffer.from(text, 'utf8');
  const verifiedBy: string[] = [];
  for (const line of signatureLines) {
    const match = /^\u2014 (\S+) ([A-Za-z0-9+/=]+)$/u.exec(line);
    if (!match) throw new ProtocolError('MALFORMED', 'signature line is not valid');
    const [, name, encoded] = match as unknown as [string, string, string];
    const bytes = fromBase64(encoded, 'note signature');
    if (bytes.length < 5) throw new ProtocolError('MALFORMED', 'note signature is too short');
    const keyId = bytes.readUInt32BE(0);
    const verifier = verifiers.find((candidate) => candidate.name === name && candidate.keyId === keyId);
    if (!verifier) continue;
    const signature = bytes.subarray(4);
    if (
      signature.length !== 64 ||
      !edVerify(null, textBytes, publicKeyObject(verifier.publicJwk), signature)
    ) {
      throw new ProtocolError('SIGNATURE_INVALID', `note signature by "${name}" does not match`);
    }
    if (!verifiedBy.includes(name)) verifiedBy.push(name);
  }
  if (verifiedBy.length === 0) throw new ProtocolError('UNKNOWN_KEY', 'note is not signed by a known key');
  return { text, verifiedBy };
}

function checkKeyName(name: string): void {
  if (typeof name !== 'string' || name === '' || /[\s+]/u.test(name)) {
    throw new ProtocolError('MALFORMED', 'note key name must be non-empty, without spaces or "+"');
  }
}
