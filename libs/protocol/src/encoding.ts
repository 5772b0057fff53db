import { ProtocolError } from './errors.js';

const BASE64URL = /^[A-Za-z0-9_-]*$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function toBase64url(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
}

/**
 * Strict base64url (no padding): Buffer.from silently skips invalid characters and accepts
 * non-zero trailing bits, which would make one value have several encodings. We refuse both.
 */
export function fromBase64url(text: string, what: string): Buffer {
  if (!BASE64URL.test(text) || text.length % 4 === 1) {
    throw new ProtocolError('MALFORMED', `${what} is not base64url`);
  }
  const bytes = Buffer.from(text, 'base64url');
  if (bytes.toString('base64url') !== text) {
    throw new ProtocolError('MALFORMED', `${what} is not canonical base64url`);
  }
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
