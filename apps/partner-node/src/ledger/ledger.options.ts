/** Injection token of the ledger module's options. */
export const LEDGER_MODULE_OPTIONS = Symbol('LEDGER_MODULE_OPTIONS');

export interface LedgerModuleOptions {
  /** Seconds between periodic checkpoints (skipped when nothing is new); 0 turns them off. */
  checkpointIntervalSeconds: number;
  /** Milliseconds between runs of the group-commit sequencer (LedgerService.enqueue); 0 turns it off. */
  sequenceIntervalMs: number;
  /** Most entries one GraphQL exportLedger may return. */
  maxExportEntries: number;
  /** Seconds between fetches of the federation's checkpoint (with FEDERATION_URL); 0 turns them off. */
  federationCheckIntervalSeconds: number;
}

function intFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name}: must be an integer ≥ 0`);
  return value;
}

/**
 * TODO(config): read by the ledger module itself for now; move LEDGER_CHECKPOINT_INTERVAL_SECONDS
 * LEDGER_SEQUENCE_INTERVAL_MS and
 * LEDGER_FEDERATION_CHECK_INTERVAL_SECONDS into apps/partner-node/src/config.ts (validated with the rest).
 */
export function ledgerOptionsFromEnv(): LedgerModuleOptions {
  return {
    checkpointIntervalSeconds: intFromEnv('LEDGER_CHECKPOINT_INTERVAL_SECONDS', 60),
    sequenceIntervalMs: intFromEnv('LEDGER_SEQUENCE_INTERVAL_MS', 1000),
    maxExportEntries: intFromEnv('LEDGER_MAX_EXPORT_ENTRIES', 100_000),
    federationCheckIntervalSeconds: intFromEnv('LEDGER_FEDERATION_CHECK_INTERVAL_SECONDS', 60),
  };
}
