import type { PartnerNodeConfig } from '../config.js';

/** Injection token of the ledger module's options (the LEDGER_* variables, validated with the node's config). */
export const LEDGER_MODULE_OPTIONS = Symbol('LEDGER_MODULE_OPTIONS');

export type LedgerModuleOptions = PartnerNodeConfig['ledger'];
