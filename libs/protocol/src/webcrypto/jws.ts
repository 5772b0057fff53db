import { ProtocolError } from '../errors.js';
import { parseJsonObject } from '../text-checks.js';
import {
  buffer,
  fromBase64url,
  fromUtf8,
  sha256,
  subtle,
  toBase64url,
  utf8,
  type WebCryptoKey,
} from './bytes.js';

/**
 * EdDSA (Ed25519) compact JWS verification over WebCrypto — the browser's twin of verifyCompact in
 * ../jws.ts, with the same refusals in the same order and the same error codes (tested against it
 * and against RFC 8037 A.4). This is THE function to verify "a JWS with an Ed25519 JWK" in the
 * console: consent receipts, withdrawals, purge receipts, membership statements, merge results.
 */
export interface Ed25519PublicKeyJwk {
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
  kid?: string;
}

export interface VerifiedCompactJws {
  header: Record<string, unknown>;
  payload: Uint8Array;
}

// Importing a key costs more than a verification: one WebCryptoKey per public key.
const keyCache = new Map<string, Promise<WebCryptoKey>>();

export async function importEd25519PublicKey(jwk: {
  kty: string;
  crv: string;
  x: string;
}): Promise<WebCryptoKey> {
  if (jwk?.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') {
    throw new ProtocolError('INVALID_KEY', 'JWS verification needs an Ed25519 key');
  }
  const cached = keyCache.get(jwk.x);
  if (cached !== undefined) return cached;
  if (fromBase64url(jwk.x, 'JWK "x"').length !== 32)
    throw new ProtocolError('INVALID_KEY', 'JWK "x" must be 32 bytes');
  const key = subtle()
    .importKey('jwk', { kty: 'OKP', crv: 'Ed25519', x: jwk.x }, { name: 'Ed25519' }, false, ['verify'])
    .catch((cause: unknown) => {
      keyCache.delete(jwk.x);
      throw new ProtocolError('INVALID_KEY', 'public JWK cannot be imported', { cause });
    });
  if (keyCache.size >= 1024) keyCache.clear();
  keyCache.set(jwk.x, key);
  return key;
}

/** Raw Ed25519 signature check of `data` under a public JWK. */
export async function verifyEd25519WebCrypto(
  publicJwk: { kty: string; crv: string; x: string },
  data: Uint8Array,
  signature: Uint8Array,
): Promise<boolean> {
  const key = await importEd25519PublicKey(publicJwk);
  if (signature.length !== 64) return false;
  return subtle().verify({ name: 'Ed25519' }, key, buffer(signature), buffer(data));
}

export interface SplitCompactJws {
  header: Record<string, unknown>;
  signingInput: string;
  payload: Uint8Array;
  signature: Uint8Array;
}

/** Structure, algorithm and encodings of a compact JWS, unverified (as splitCompact in ../jws.ts). */
export function splitCompactJws(jws: string): SplitCompactJws {
  if (typeof jws !== 'string') throw new ProtocolError('MALFORMED', 'a compact JWS must be a string');
  const parts = jws.split('.');
  if (parts.length !== 3) throw new ProtocolError('MALFORMED', 'a compact JWS has three parts');
  const [encodedHeader, encodedPayload, encodedSignature] = parts as [string, string, string];
  const header = parseJsonObject(
    fromUtf8(fromBase64url(encodedHeader, 'JWS header'), 'JWS header'),
    'JWS header',
  );
  if (header.alg === 'none') throw new ProtocolError('MALFORMED', 'unsecured JWS are never accepted');
  if (header.alg !== 'EdDSA') throw new ProtocolError('UNSUPPORTED_ALGORITHM', 'JWS "alg" must be EdDSA');
  if (header.crit !== undefined) throw new ProtocolError('MALFORMED', 'JWS "crit" is not supported');
  const payload = fromBase64url(encodedPayload, 'JWS payload');
  const signature = fromBase64url(encodedSignature, 'JWS signature');
  if (signature.length !== 64)
    throw new ProtocolError('SIGNATURE_INVALID', 'an Ed25519 signature is 64 bytes');
  return { header, signingInput: `${encodedHeader}.${encodedPayload}`, payload, signature };
}

/** verifyCompact of ../jws.ts over WebCrypto: the signature of any EdDSA compact JWS under one key. */
export async function verifyCompactWebCrypto(
  jws: string,
  publicJwk: { kty: string; crv: string; x: string },
): Promise<VerifiedCompactJws> {
  const split = splitCompactJws(jws);
  if (publicJwk?.kty !== 'OKP' || publicJwk.crv !== 'Ed25519') {
    throw new ProtocolError('INVALID_KEY', 'JWS verification needs an Ed25519 key');
  }
  // The signing input is ASCII (two base64url parts and a dot): its UTF-8 bytes are its latin1 bytes.
  if (!(await verifyEd25519WebCrypto(publicJwk, utf8(split.signingInput), split.signature))) {
    throw new ProtocolError('SIGNATURE_INVALID', 'JWS signature does not match');
  }
  return { header: split.header, payload: split.payload };
}

/**
 * Verifies a JWS under the key its header `kid` names in a key set, and returns its header and
 * JSON claims. UNKNOWN_KEY when no key of the set has that kid.
 */
export async function verifyJwsWithKeysWebCrypto(
  jws: string,
  keys: readonly Ed25519PublicKeyJwk[],
): Promise<{ header: Record<string, unknown>; claims: Record<string, unknown>; key: Ed25519PublicKeyJwk }> {
  const { header } = splitCompactJws(jws);
  const key = keys.find((candidate) => candidate.kid === header.kid);
  if (!key) throw new ProtocolError('UNKNOWN_KEY', `no key "${String(header.kid)}" for this issuer`);
  const { payload } = await verifyCompactWebCrypto(jws, key);
  return { header, claims: parseJsonObject(fromUtf8(payload, 'JWS payload'), 'JWS payload'), key };
}

/** The header and claims of a JWS, NOT verified: for choosing a key, or showing what failed. */
export function peekJwsWebCrypto(jws: string): {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
} {
  const split = splitCompactJws(jws);
  return {
    header: split.header,
    claims: parseJsonObject(fromUtf8(split.payload, 'JWS payload'), 'JWS payload'),
  };
}

/** RFC 7638 thumbprint of an OKP key over WebCrypto SHA-256 (jwkThumbprint of ../keys.ts). */
export async function jwkThumbprintWebCrypto(jwk: { kty: string; crv: string; x: string }): Promise<string> {
  const members = `{"crv":${JSON.stringify(jwk.crv)},"kty":${JSON.stringify(jwk.kty)},"x":${JSON.stringify(jwk.x)}}`;
  return toBase64url(await sha256(utf8(members)));
}

/** SHA-256 of a compact JWS's ASCII text, base64url: how ledger entries name the messages they hold. */
export async function jwsHashWebCrypto(jws: string): Promise<string> {
  return toBase64url(await sha256(utf8(jws)));
}
