/**
 * Privacy-preserving segment matching: the binary manifest of subject tokens, the overlap of two
 * manifests (counts of people) and the suppression of small cells. Pure: no Nest, no I/O.
 */
export * from './manifest.js';
export * from './overlap.js';
export * from './suppression.js';
export * from './merge-audit.js';
export * from './manifest-entries.js';
