import { ProtocolError } from './errors.js';

const BASE64URL = /^[A-Za-z0-9_-]*$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function toBase64url(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
}

const BASE64URL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const SEXTETS = new Int8Array(128).fill(-1);
for (let i = 0; i < 64; i++) SEXTETS[BASE64URL_ALPHABET.charCodeAt(i)] = i;

function sextet(text: string, at: number): number {
  const c = text.charCodeAt(at);
  return c < 128 ? (SEXTETS[c] as number) : -1;
}

/**
 * Strict base64url (no padding): Buffer.from silently skips invalid characters and accepts
 * non-zero trailing bits, which would make one value have several encodings. We refuse both.
 *
 * Decoded in plain JavaScript, not by Buffer: its SIMD base64 decoder (AVX-512 where the CPU has
 * it) measurably slows the Ed25519 verification that follows it (about 5 µs of 90 on the bench
 * machine), while this loop costs about 1.5 µs per KB, and protocol values are small (signatures,
 * keys, hashes, JWS payloads).
 */
export function fromBase64url(text: string, what: string): Buffer {
  const length = text.length;
  const tail = length % 4;
  if (tail === 1) throw new ProtocolError('MALFORMED', `${what} is not base64url`);
  const bytes = Buffer.allocUnsafe((length * 3) >> 2);
  let out = 0;
  let at = 0;
  let invalid = 0;
  for (; at + 4 <= length; at += 4) {
    const a = sextet(text, at);
    const b = sextet(text, at + 1);
    const c = sextet(text, at + 2);
    const d = sextet(text, at + 3);
    invalid |= a | b | c | d;
    const bits = (a << 18) | (b << 12) | (c << 6) | d;
    bytes[out++] = bits >> 16;
    bytes[out++] = (bits >> 8) & 0xff;
    bytes[out++] = bits & 0xff;
  }
  let unusedBits = 0;
  if (tail > 0) {
    const a = sextet(text, at);
    const b = sextet(text, at + 1);
    const c = tail === 3 ? sextet(text, at + 2) : 0;
    invalid |= a | b | c;
    const bits = (a << 18) | (b << 12) | (c << 6);
    bytes[out] = bits >> 16;
    if (tail === 3) bytes[out + 1] = (bits >> 8) & 0xff;
    unusedBits = tail === 3 ? c & 0x3 : b & 0xf;
  }
  // -1 (an invalid character) is the only negative sextet, and sets the sign bit of `invalid`.
  if (invalid < 0) throw new ProtocolError('MALFORMED', `${what} is not base64url`);
  if (unusedBits !== 0) throw new ProtocolError('MALFORMED', `${what} is not canonical base64url`);
  return bytes;
}

/**
 * Decodes base64url bytes that a signature covers in their encoded form (JWS header and
 * payload): any oddity of encoding is then the signer's, and re-encoding to compare is wasted work.
 */
export function fromSignedBase64url(text: string, what: string): Buffer {
  if (!BASE64URL.test(text)) throw new ProtocolError('MALFORMED', `${what} is not base64url`);
  return Buffer.from(text, 'base64url');
}

export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** Strict, padded, standard base64 (as used by C2SP notes and the Merkle test vectors). */
export function fromBase64(text: string, what: string): Buffer {
  if (!BASE64.test(text)) throw new ProtocolError('MALFORMED', `${what} is not base64`);
  const bytes = Buffer.from(text, 'base64');
  if (bytes.toString('base64') !== text) {
    throw new ProtocolError('MALFORMED', `${what} is not canonical base64`);
  }
  return bytes;
}

export function utf8(text: string): Buffer {
  return Buffer.from(text, 'utf8');
}
