import {
  createHash,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  type KeyObject,
} from 'node:crypto';
import { fromBase64url, toBase64url } from './encoding.js';
import { ProtocolError } from './errors.js';

/**
 * Keys travel as JWKs (RFC 7517/8037). Every key is named by its RFC 7638 thumbprint (`kid`), so a
 * `kid` cannot be re-used for another key and two parties derive the same name independently.
 *
 * Ed25519 keys sign (JWS EdDSA, checkpoints); X25519 keys agree (JWE ECDH-ES, shared pseudonym keys).
 */
export type OkpCurve = 'Ed25519' | 'X25519';

export interface OkpPublicJwk<C extends OkpCurve = OkpCurve> {
  kty: 'OKP';
  crv: C;
  x: string;
  kid: string;
  alg?: string;
  use?: 'sig' | 'enc';
}

export interface OkpPrivateJwk<C extends OkpCurve = OkpCurve> extends OkpPublicJwk<C> {
  d: string;
}

export type Ed25519PublicJwk = OkpPublicJwk<'Ed25519'>;
export type Ed25519PrivateJwk = OkpPrivateJwk<'Ed25519'>;
export type X25519PublicJwk = OkpPublicJwk<'X25519'>;
export type X25519PrivateJwk = OkpPrivateJwk<'X25519'>;

export interface Jwks {
  keys: OkpPublicJwk[];
}

export interface KeyPair<C extends OkpCurve> {
  kid: string;
  publicJwk: OkpPublicJwk<C>;
  privateJwk: OkpPrivateJwk<C>;
}

export type SigningKeyPair = KeyPair<'Ed25519'>;
export type AgreementKeyPair = KeyPair<'X25519'>;

const CURVE_META = {
  Ed25519: { alg: 'EdDSA', use: 'sig', type: 'ed25519' },
  X25519: { alg: 'ECDH-ES+A256KW', use: 'enc', type: 'x25519' },
} as const;

export function generateSigningKeyPair(): SigningKeyPair {
  return generateOkpKeyPair('Ed25519');
}

export function generateAgreementKeyPair(): AgreementKeyPair {
  return generateOkpKeyPair('X25519');
}

function generateOkpKeyPair<C extends OkpCurve>(crv: C): KeyPair<C> {
  const { privateKey } = generateKeyPairSync(CURVE_META[crv].type as 'ed25519');
  const exported = privateKey.export({ format: 'jwk' });
  return keyPairFromPrivate({ kty: 'OKP', crv, x: exported.x as string, d: exported.d as string });
}

/** Builds the named pair from a bare private OKP JWK (kid, alg, use are (re)computed). */
export function keyPairFromPrivate<C extends OkpCurve>(jwk: {
  kty: 'OKP';
  crv: C;
  x: string;
  d: string;
}): KeyPair<C> {
  const kid = jwkThumbprint(jwk);
  const { alg, use } = CURVE_META[jwk.crv];
  const publicJwk: OkpPublicJwk<C> = { kty: 'OKP', crv: jwk.crv, x: jwk.x, kid, alg, use };
  const privateJwk: OkpPrivateJwk<C> = { ...publicJwk, d: jwk.d };
  // Refuse a pair whose d does not produce x: it would sign with one key and announce another.
  const derived = createPublicKey(privateKeyObject(privateJwk)).export({ format: 'jwk' });
  if (derived.x !== jwk.x)
    throw new ProtocolError('INVALID_KEY', 'private key does not match its public key');
  return { kid, publicJwk, privateJwk };
}

/** RFC 7638 thumbprint of an OKP key: SHA-256 over {"crv","kty","x"} in that (sorted) order. */
export function jwkThumbprint(jwk: { kty: string; crv: string; x: string }): string {
  const members = `{"crv":${JSON.stringify(jwk.crv)},"kty":${JSON.stringify(jwk.kty)},"x":${JSON.stringify(jwk.x)}}`;
  return toBase64url(createHash('sha256').update(members).digest());
}

export function toPublicJwk<C extends OkpCurve>(jwk: OkpPublicJwk<C> | OkpPrivateJwk<C>): OkpPublicJwk<C> {
  const { kty, crv, x, kid, alg, use } = jwk;
  return { kty, crv, x, kid, ...(alg === undefined ? {} : { alg }), ...(use === undefined ? {} : { use }) };
}

/**
 * Validates a public OKP JWK received from elsewhere. A `kid` is filled in when missing and must
 * equal the thumbprint when present. Private members are refused: a public directory must never
 * hold them.
 */
export function importPublicJwk<C extends OkpCurve = OkpCurve>(input: unknown, crv?: C): OkpPublicJwk<C> {
  const jwk = checkOkp(input, crv);
  if ('d' in jwk) throw new ProtocolError('INVALID_KEY', 'a public JWK must not carry "d"');
  if (jwk.crv === 'Ed25519' && isSmallOrderEd25519(fromBase64url(jwk.x, 'JWK "x"'))) {
    throw new ProtocolError(
      'INVALID_KEY',
      'JWK "x" is a point of small order: signatures under it prove nothing (anyone can make one)',
    );
  }
  const result = { ...toPublicJwk(jwk), kid: checkedKid(jwk) } as OkpPublicJwk<C>;
  publicKeyObject(result); // proves that x is a point of the curve
  return result;
}

/**
 * The encodings of Ed25519's eight points of small order (y, little-endian, the sign bit left
 * out), canonical and not: the identity (y = 1, and p + 1), order 2 (y = p − 1), order 4 (y = 0,
 * and p) and order 8. OpenSSL, and so node:crypto and jose, accepts under such a key signatures
 * that anyone can make: with the identity, R = the identity and S = 0 verify for every message.
 * A member's key must make its signatures its own (libsodium refuses such keys too).
 */
const SMALL_ORDER_ED25519 = [
  '0000000000000000000000000000000000000000000000000000000000000000',
  '0100000000000000000000000000000000000000000000000000000000000000',
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05',
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a',
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
];

function isSmallOrderEd25519(x: Uint8Array): boolean {
  const y = Buffer.from(x);
  y[31] = y[31]! & 0x7f;
  return SMALL_ORDER_ED25519.includes(y.toString('hex'));
}

export function importPrivateJwk<C extends OkpCurve = OkpCurve>(input: unknown, crv?: C): OkpPrivateJwk<C> {
  const jwk = checkOkp(input, crv);
  if (typeof jwk.d !== 'string') throw new ProtocolError('INVALID_KEY', 'a private JWK needs "d"');
  checkedKid(jwk);
  return keyPairFromPrivate({ kty: 'OKP', crv: jwk.crv as C, x: jwk.x, d: jwk.d }).privateJwk;
}

export function createJwks(keys: readonly OkpPublicJwk[]): Jwks {
  return { keys: keys.map((key) => toPublicJwk(key)) };
}

export function importJwks(input: unknown): Jwks {
  const keys = (input as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys)) throw new ProtocolError('INVALID_KEY', 'a JWKS needs a "keys" array');
  const imported = keys.map((key) => importPublicJwk(key));
  if (new Set(imported.map((key) => key.kid)).size !== imported.length) {
    throw new ProtocolError('INVALID_KEY', 'a JWKS holds the same key twice');
  }
  return { keys: imported };
}

export function findKey(jwks: Jwks, kid: string): OkpPublicJwk | undefined {
  return jwks.keys.find((key) => key.kid === kid);
}

function checkOkp(input: unknown, crv?: OkpCurve): OkpPublicJwk & { d?: string } {
  const jwk = input as Record<string, unknown> | null;
  if (typeof jwk !== 'object' || jwk === null || jwk.kty !== 'OKP' || typeof jwk.x !== 'string') {
    throw new ProtocolError('INVALID_KEY', 'not an OKP JWK');
  }
  if (jwk.crv !== 'Ed25519' && jwk.crv !== 'X25519') {
    throw new ProtocolError('INVALID_KEY', `unsupported curve ${String(jwk.crv)}`);
  }
  if (crv !== undefined && jwk.crv !== crv) {
    throw new ProtocolError('INVALID_KEY', `expected a ${crv} key, got ${jwk.crv}`);
  }
  if (fromBase64url(jwk.x, 'JWK "x"').length !== 32)
    throw new ProtocolError('INVALID_KEY', 'JWK "x" must be 32 bytes');
  if (jwk.d !== undefined && (typeof jwk.d !== 'string' || fromBase64url(jwk.d, 'JWK "d"').length !== 32)) {
    throw new ProtocolError('INVALID_KEY', 'JWK "d" must be 32 bytes');
  }
  return jwk as unknown as OkpPublicJwk & { d?: string };
}

function checkedKid(jwk: { kty: string; crv: string; x: string; kid?: unknown }): string {
  const thumbprint = jwkThumbprint(jwk);
  if (jwk.kid !== undefined && jwk.kid !== thumbprint) {
    throw new ProtocolError('INVALID_KEY', 'JWK "kid" is not its RFC 7638 thumbprint');
  }
  return thumbprint;
}

// Importing a key costs far more than using it: cache the KeyObject per JWK. The WeakMap serves
// callers that keep their JWK objects; the bounded map serves those that rebuild them per call.
const CACHE_LIMIT = 1024;
const publicByObject = new WeakMap<object, KeyObject>();
const privateByObject = new WeakMap<object, KeyObject>();
const publicByValue = new Map<string, KeyObject>();
const privateByValue = new Map<string, KeyObject>();

export function publicKeyObject(jwk: { kty: string; crv: string; x: string }): KeyObject {
  let key = publicByObject.get(jwk);
  if (key) return key;
  const cacheKey = `${jwk.crv}.${jwk.x}`;
  key = publicByValue.get(cacheKey);
  if (!key) {
    try {
      key = createPublicKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x }, format: 'jwk' });
    } catch (cause) {
      throw new ProtocolError('INVALID_KEY', 'public JWK cannot be imported', { cause });
    }
    remember(publicByValue, cacheKey, key);
  }
  publicByObject.set(jwk, key);
  return key;
}

export function privateKeyObject(jwk: { kty: string; crv: string; x: string; d: string }): KeyObject {
  let key = privateByObject.get(jwk);
  if (key) return key;
  const cacheKey = `${jwk.crv}.${jwk.x}.${jwk.d}`;
  key = privateByValue.get(cacheKey);
  if (!key) {
    try {
      key = createPrivateKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, d: jwk.d }, format: 'jwk' });
    } catch (cause) {
      throw new ProtocolError('INVALID_KEY', 'private JWK cannot be imported', { cause });
    }
    remember(privateByValue, cacheKey, key);
  }
  privateByObject.set(jwk, key);
  return key;
}

function remember(cache: Map<string, KeyObject>, cacheKey: string, key: KeyObject): void {
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(cacheKey, key);
}

/**
 * X25519 agreement + HKDF-SHA256 (RFC 7748, RFC 5869). Two partners derive the same secret from
 * their own private key and the other's public key; the federation, which only relays public keys,
 * cannot. Both sides must use the same `info` (see pseudonymKeyInfo) and `salt`.
 */
export function deriveSharedKey(
  myPrivateX25519Jwk: X25519PrivateJwk,
  theirPublicX25519Jwk: X25519PublicJwk,
  info: string | Uint8Array,
  options: { salt?: Uint8Array; length?: number } = {},
): Uint8Array {
  if (myPrivateX25519Jwk.crv !== 'X25519' || theirPublicX25519Jwk.crv !== 'X25519') {
    throw new ProtocolError('INVALID_KEY', 'key agreement needs X25519 keys');
  }
  let shared: Buffer;
  try {
    shared = diffieHellman({
      privateKey: privateKeyObject(myPrivateX25519Jwk),
      publicKey: publicKeyObject(theirPublicX25519Jwk),
    });
  } catch (cause) {
    throw new ProtocolError('INVALID_KEY', 'X25519 agreement failed', { cause });
  }
  // RFC 7748 §6.1: a low-order public key yields the all-zero secret; an attacker would know it.
  if (shared.every((byte) => byte === 0))
    throw new ProtocolError('INVALID_KEY', 'X25519 public key is of low order');
  return new Uint8Array(
    hkdfSync('sha256', shared, options.salt ?? new Uint8Array(0), info, options.length ?? 32),
  );
}

/**
 * The HKDF `info` for the subject-token key of an agreement: the same on both sides because the
 * party ids are sorted.
 */
export function pseudonymKeyInfo(agreementId: string, partyIds: readonly string[]): string {
  return ['concordia-subject-token-key/v1', agreementId, ...[...partyIds].sort()].join('\n');
}
