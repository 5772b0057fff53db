/**
 * Typed HTTP client of the Concordia federation (plain fetch, no Nest), with the HTTP contract it
 * shares with the server: paths, JSON shapes, refusal reasons, request tokens, the entity
 * statement, and the member directory that verifiers use.
 */
export * from './contract.js';
export * from './errors.js';
export * from './ledger-contract.js';
export * from './relay-contract.js';
export * from './relay-bodies.js';
export * from './merge-contract.js';
export { MergeClient } from './merge-client.js';
export {
  FederationClient,
  FederationError,
  readFederationAnswer,
  signRequestToken,
  verifyEntityStatement,
  verifyMembershipStatement,
  type FederationClientOptions,
  type RequestSigner,
} from './client.js';
export { followFederationKeyRotations } from './key-rotations.js';
export {
  DirectoryRefusalError,
  MemberDirectory,
  federationKeyResolver,
  federationKeyRetirements,
  keyUseRefusal,
  statementMismatch,
} from './directory.js';
