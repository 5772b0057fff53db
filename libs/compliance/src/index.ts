/**
 * Compliance audits (DESIGN.md user "compliance officer"): pure helpers for the partner node's
 * audit reports — the violation catalogue, GDPR Art. 30 records of processing, a self-contained
 * HTML rendering with every value escaped, and the offline check of a ledger inclusion proof.
 * No Nest, no I/O.
 */
export * from './html.js';
export * from './ledger-proof.js';
export * from './records-of-processing.js';
export * from './violations.js';
