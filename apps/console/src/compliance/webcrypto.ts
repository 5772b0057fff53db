/**
 * The protocol's WebCrypto checks, from libs/protocol itself (one implementation, tested there
 * against the node:crypto one), and the export check from libs/ledger. Imported by file, never
 * through the package index, which pulls in node:crypto.
 */
export {
  isProtocolError,
  jwkThumbprintWebCrypto,
  peekJwsWebCrypto,
  verifyJwsWithKeysWebCrypto,
  verifyLedgerInclusionWebCrypto,
  type Ed25519PublicKeyJwk,
  type VerifiedLedgerInclusion,
} from '../../../../libs/protocol/src/webcrypto/index';
export {
  verifyExportWebCrypto,
  type WebCryptoExportReport,
} from '../../../../libs/ledger/src/verify-export-webcrypto';
