/**
 * The append-only ledger (DESIGN.md invariant 5) for the federation and the partner nodes:
 * storage and proofs over PostgreSQL (LedgerService), its migration, the export format, the
 * offline verifier used by `audit verify`, and the check of another log's checkpoints.
 */
export {
  LedgerService,
  compactRange,
  type LedgerOptions,
  type LedgerSigner,
  type AppendedEntry,
  type QueuedEntry,
  type LedgerHead,
  type StoredEntry,
  type StoredCheckpoint,
  type InclusionProofResult,
  type ConsistencyProofResult,
} from './ledger.js';
export { CreateLedger1700000005000 } from './migrations/1700000005000-create-ledger.js';
export { LedgerAppendFunction1700000009500 } from './migrations/1700000009500-ledger-append-function.js';
export { LedgerSequenceQueueFunction1700000010500 } from './migrations/1700000010500-ledger-sequence-queue-function.js';
export { LEDGER_MIGRATIONS } from './migrations/ledger-migrations.js';
export { LedgerIntegrityError, withStoredHashes } from './hash-store.js';
export {
  buildLeaf,
  canonicalEntry,
  parseLeaf,
  KIND_PATTERN,
  type CanonicalEntry,
  type Leaf,
  type LeafDocument,
} from './leaf.js';
export {
  EXPORT_FORMAT,
  EXPORT_VERSION,
  type LedgerExport,
  type ExportedEntry,
  type ExportedCheckpoint,
  type ExportedCheckpointKey,
  type ExportedMessage,
  MESSAGE_HASH_FIELD,
  messageHashes,
} from './export-format.js';
export {
  verifyExport,
  verifyExportOffThread,
  ExportVerificationError,
  type VerifyExportOptions,
  type VerifyExportReport,
} from './verify-export.js';
export { entriesNaming, entryCountsByKind } from './entry-reads.js';
export {
  checkFederationCheckpoint,
  decodeProof,
  type CheckpointVerdict,
  type KnownCheckpoint,
} from './federation-checkpoint.js';
export {
  LedgerCheckpoint,
  LedgerCheckpointConnection,
  LedgerConsistencyProof,
  LedgerEntry,
  LedgerEntryConnection,
  LedgerEntryProof,
  LedgerHead as LedgerHeadView,
  LedgerInclusionProof,
  LedgerReader,
  checkpointView,
  entryView,
  connectionOf,
  b64,
} from './graphql/ledger-views.js';
