/**
 * The protocol's checks over WebCrypto (globalThis.crypto.subtle), for the browser (the console)
 * and Node alike: no node:crypto, no Buffer. Import this file directly (not the package index,
 * which pulls in node:crypto). Each function is the twin of a node:crypto one in ../ and is tested
 * byte for byte against it.
 */
export {
  toBase64,
  toBase64url,
  fromBase64,
  fromBase64url,
  utf8,
  fromUtf8,
  sameBytes,
  toHex,
  sha256,
} from './bytes.js';
export {
  HASH_SIZE,
  leafHashWebCrypto,
  nodeHashWebCrypto,
  rootFromInclusionProofWebCrypto,
  verifyInclusionWebCrypto,
  merkleRootWebCrypto,
  WebCryptoMerkleFrontier,
} from './merkle.js';
export {
  importEd25519PublicKey,
  verifyEd25519WebCrypto,
  splitCompactJws,
  verifyCompactWebCrypto,
  verifyJwsWithKeysWebCrypto,
  peekJwsWebCrypto,
  jwkThumbprintWebCrypto,
  jwsHashWebCrypto,
  type Ed25519PublicKeyJwk,
  type VerifiedCompactJws,
} from './jws.js';
export {
  noteKeyIdWebCrypto,
  noteVerifierWebCrypto,
  parseVerifierKeyWebCrypto,
  openNoteWebCrypto,
  parseCheckpointWebCrypto,
  openCheckpointWebCrypto,
  type WebCryptoCheckpoint,
  type WebCryptoNoteVerifier,
} from './checkpoint.js';
export {
  verifyLedgerInclusionWebCrypto,
  type LedgerInclusionClaimWebCrypto,
  type VerifiedLedgerInclusion,
} from './ledger-inclusion.js';
export { isProtocolError, ProtocolError, type ProtocolErrorCode } from '../errors.js';
