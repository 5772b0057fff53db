import { ProtocolError } from './errors.js';

const BASE64URL = /^[A-Za-z0-9_-]*$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function toBase64url(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
}

/**
 * Strict base64url (no padding): Buffer.from silently skips invalid characters and accepts
 * non-zero trailing bits, which would make one value have several encodings. We refuse both:
 * Buffer's re-encoding is always canonical and only ever holds the alphabet, so a text that
 * survives the round trip unchanged is exactly one canonical encoding. (The round trip, native on
 * both legs, costs less than a regular expression test over the same text, or a decoder in JS.)
 */
export function fromBase64url(text: string, what: string): Buffer {
  if (typeof text !== 'string') throw new ProtocolError('MALFORMED', `${what} is not base64url`);
  const bytes = Buffer.from(text, 'base64url');
  if (bytes.toString('base64url') !== text) {
    // The error path only: say which of the two rules the text breaks.
    const malformed = !BASE64URL.test(text) || text.length % 4 === 1;
    throw new ProtocolError('MALFORMED', `${what} is not ${malformed ? '' : 'canonical '}base64url`);
  }
  return bytes;
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
