import { compactDecrypt, CompactEncrypt, importJWK, type CryptoKey } from 'jose';
import { ProtocolError } from './errors.js';
import type { X25519PrivateJwk, X25519PublicJwk } from './keys.js';

/**
 * End-to-end encryption of record payloads for one recipient (invariant 4): JWE compact, ECDH-ES
 * with the recipient's X25519 key, key wrapped with A256KW, content A256GCM. The relay carries it
 * and cannot read it.
 */
export const JWE_KEY_MANAGEMENT = 'ECDH-ES+A256KW';
export const JWE_CONTENT_ENCRYPTION = 'A256GCM';

export interface EncryptOptions {
  /** A `typ` header, checked on decryption, so that one kind of ciphertext cannot stand for another. */
  typ?: string;
  /** Content type of the plaintext, e.g. "json". */
  cty?: string;
}

const importedKeys = new WeakMap<object, Promise<CryptoKey>>();

function cryptoKey(jwk: X25519PublicJwk | X25519PrivateJwk): Promise<CryptoKey> {
  let key = importedKeys.get(jwk);
  if (!key) {
    const { kty, crv, x } = jwk;
    const material = 'd' in jwk ? { kty, crv, x, d: jwk.d } : { kty, crv, x };
    key = importJWK(material, JWE_KEY_MANAGEMENT) as Promise<CryptoKey>;
    importedKeys.set(jwk, key);
    key.catch(() => importedKeys.delete(jwk));
  }
  return key;
}

export async function encryptJwe(
  plaintext: Uint8Array | string,
  recipient: X25519PublicJwk,
  options: EncryptOptions = {},
): Promise<string> {
  if (recipient.crv !== 'X25519') throw new ProtocolError('INVALID_KEY', 'JWE recipient key must be X25519');
  const bytes = typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext;
  return new CompactEncrypt(bytes)
    .setProtectedHeader({
      alg: JWE_KEY_MANAGEMENT,
      enc: JWE_CONTENT_ENCRYPTION,
      kid: recipient.kid,
      ...(options.typ === undefined ? {} : { typ: options.typ }),
      ...(options.cty === undefined ? {} : { cty: options.cty }),
    })
    .encrypt(await cryptoKey(recipient));
}

export async function decryptJwe(
  jwe: string,
  recipient: X25519PrivateJwk,
  options: { typ?: string } = {},
): Promise<Uint8Array> {
  if (recipient.crv !== 'X25519') throw new ProtocolError('INVALID_KEY', 'JWE recipient key must be X25519');
  let result;
  try {
    result = await compactDecrypt(jwe, await cryptoKey(recipient), {
      keyManagementAlgorithms: [JWE_KEY_MANAGEMENT],
      contentEncryptionAlgorithms: [JWE_CONTENT_ENCRYPTION],
    });
  } catch (cause) {
    throw new ProtocolError('DECRYPTION_FAILED', 'JWE cannot be decrypted with this key', { cause });
  }
  if (result.protectedHeader.kid !== undefined && result.protectedHeader.kid !== recipient.kid) {
    throw new ProtocolError('UNKNOWN_KEY', 'JWE is addressed to another key');
  }
  if (options.typ !== undefined && result.protectedHeader.typ !== options.typ) {
    throw new ProtocolError('WRONG_TYPE', `expected a "${options.typ}" JWE`);
  }
  return result.plaintext;
}
