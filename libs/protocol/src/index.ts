/**
 * Concordia wire protocol: canonical JSON, keys, signed and encrypted messages, subject tokens,
 * Merkle proofs and checkpoints. Pure functions over bytes and JSON: no Nest, no I/O.
 */
export { peekJwsIds, unverifiedJwsPart, unverifiedKid } from './peek.js';
export {
  ANONYMOUS_REFUSAL_REASONS,
  PROTOCOL_ERROR_CODES,
  ProtocolError,
  isProtocolError,
  type ProtocolErrorCode,
} from './errors.js';
export { canonicalize, canonicalBytes, isCanonical, parseCanonical, type JsonValue } from './jcs.js';
export {
  generateSigningKeyPair,
  generateAgreementKeyPair,
  keyPairFromPrivate,
  jwkThumbprint,
  toPublicJwk,
  importPublicJwk,
  importPrivateJwk,
  createJwks,
  importJwks,
  findKey,
  deriveSharedKey,
  pseudonymKeyInfo,
  type OkpCurve,
  type OkpPublicJwk,
  type OkpPrivateJwk,
  type Ed25519PublicJwk,
  type Ed25519PrivateJwk,
  type X25519PublicJwk,
  type X25519PrivateJwk,
  type Jwks,
  type KeyPair,
  type SigningKeyPair,
  type AgreementKeyPair,
} from './keys.js';
export {
  JWS_ALGORITHM,
  signCompact,
  verifyCompact,
  verifyCompactOffThread,
  signJwt,
  verifyJwt,
  type JwsHeader,
  type JwtClaims,
  type JwtExpectations,
  type KeyResolver,
  type KeyResolutionContext,
  type VerifiedJwt,
} from './jws.js';
export { libuvEd25519, useEd25519OffThread, type Ed25519OffThread } from './ed25519-off-thread.js';
export { directoryKeyResolver, jwksKeyResolver, selfSignedKeyResolver } from './resolvers.js';
export {
  JWE_KEY_MANAGEMENT,
  JWE_CONTENT_ENCRYPTION,
  encryptJwe,
  decryptJwe,
  type EncryptOptions,
} from './jwe.js';
export {
  SUBJECT_KINDS,
  normaliseEmail,
  normalisePhone,
  normaliseIdentifier,
  subjectToken,
  type SubjectKind,
  type NormaliseOptions,
} from './subject-token.js';
export {
  HASH_SIZE,
  EMPTY_ROOT,
  leafHash,
  canonicalLeafHash,
  nodeHash,
  subtreeHash,
  merkleRoot,
  inclusionProof,
  consistencyProof,
  verifyInclusion,
  verifyConsistency,
  hashSourceFromArray,
  memoizedHashSource,
  MerkleFrontier,
  type MerkleHashSource,
  type PerfectSubtree,
} from './merkle.js';
export {
  CHECKPOINT_TYPE,
  formatCheckpoint,
  parseCheckpoint,
  signCheckpoint,
  openCheckpoint,
  signNote,
  openNote,
  noteKeyId,
  noteVerifier,
  formatVerifierKey,
  parseVerifierKey,
  type Checkpoint,
  type NoteSigner,
  type NoteVerifier,
  type OpenedCheckpoint,
} from './checkpoint.js';
export * from './messages/index.js';
export { nowSeconds } from './time.js';
