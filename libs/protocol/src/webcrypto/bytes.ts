import { ProtocolError } from '../errors.js';

/**
 * Byte helpers for the WebCrypto checks, free of Buffer and node:crypto so that they run in a
 * browser as in Node. They are as strict as encoding.ts: one canonical encoding per value.
 */
const BASE64URL = /^[A-Za-z0-9_-]*$/u;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/u;

export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

export function toBase64url(bytes: Uint8Array): string {
  return toBase64(bytes).replace(/\+/gu, '-').replace(/\//gu, '_').replace(/=+$/u, '');
}

function binaryToBytes(binary: string): Uint8Array {
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Strict, padded, standard base64 (C2SP notes, Merkle hashes). */
export function fromBase64(text: string, what: string): Uint8Array {
  if (typeof text !== 'string' || !BASE64.test(text))
    throw new ProtocolError('MALFORMED', `${what} is not base64`);
  const bytes = binaryToBytes(atob(text));
  if (toBase64(bytes) !== text) throw new ProtocolError('MALFORMED', `${what} is not canonical base64`);
  return bytes;
}

/** Strict base64url without padding (JWS parts, JWK members). */
export function fromBase64url(text: string, what: string): Uint8Array {
  if (typeof text !== 'string' || !BASE64URL.test(text) || text.length % 4 === 1) {
    throw new ProtocolError('MALFORMED', `${what} is not base64url`);
  }
  const padded = text.replace(/-/gu, '+').replace(/_/gu, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  const bytes = binaryToBytes(atob(padded));
  if (toBase64url(bytes) !== text) throw new ProtocolError('MALFORMED', `${what} is not canonical base64url`);
  return bytes;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

export function fromUtf8(bytes: Uint8Array, what: string): string {
  try {
    return decoder.decode(bytes);
  } catch (cause) {
    throw new ProtocolError('MALFORMED', `${what} is not UTF-8`, { cause });
  }
}

export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number);
  return diff === 0;
}

export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** An imported key, opaque here (DOM CryptoKey or Node's webcrypto.CryptoKey). */
export type WebCryptoKey = object;

/**
 * The part of SubtleCrypto used here, typed locally so that this code compiles both under the
 * browser's DOM types and under Node's (no shared global name for them).
 */
export interface SubtleLike {
  digest(algorithm: 'SHA-256', data: Uint8Array<ArrayBuffer>): Promise<ArrayBuffer>;
  importKey(
    format: 'jwk',
    keyData: { kty: string; crv: string; x: string },
    algorithm: { name: 'Ed25519' },
    extractable: false,
    usages: ['verify'],
  ): Promise<WebCryptoKey>;
  verify(
    algorithm: { name: 'Ed25519' },
    key: WebCryptoKey,
    signature: ArrayBuffer,
    data: ArrayBuffer,
  ): Promise<boolean>;
}

/** WebCrypto of the platform: the browser's, or Node's (globalThis.crypto since Node 19). */
export function subtle(): SubtleLike {
  const crypto = (globalThis as { crypto?: { subtle?: SubtleLike } }).crypto;
  if (!crypto?.subtle) throw new ProtocolError('UNSUPPORTED_ALGORITHM', 'WebCrypto is not available here');
  return crypto.subtle;
}

/** A copy in a fresh ArrayBuffer: WebCrypto takes BufferSource, and views over shared memory are refused. */
export function buffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.slice().buffer as ArrayBuffer;
}

export async function sha256(...parts: readonly Uint8Array[]): Promise<Uint8Array> {
  const data = parts.length === 1 ? (parts[0] as Uint8Array) : concatBytes(...parts);
  return new Uint8Array(await subtle().digest('SHA-256', data as Uint8Array<ArrayBuffer>));
}
