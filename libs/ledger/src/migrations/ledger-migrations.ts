import { CreateLedger1700000005000 } from './1700000005000-create-ledger.js';
import { LedgerAppendFunction1700000009500 } from './1700000009500-ledger-append-function.js';
import { LedgerSequenceQueueFunction1700000010500 } from './1700000010500-ledger-sequence-queue-function.js';
import { LedgerSequenceQueueCustomPlans1700000010600 } from './1700000010600-ledger-sequence-queue-custom-plans.js';

/**
 * The ledger's own migrations, for every app that keeps a ledger (the federation, the nodes) and
 * for the ledger's spec and bench: one list, so that a new one is added once. TypeORM runs an
 * app's migrations in the order of their timestamps, wherever this list stands in its array.
 */
export const LEDGER_MIGRATIONS = [
  CreateLedger1700000005000,
  LedgerAppendFunction1700000009500,
  LedgerSequenceQueueFunction1700000010500,
  LedgerSequenceQueueCustomPlans1700000010600,
];
