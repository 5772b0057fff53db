/**
 * Statistical disclosure control for published tables of counts: feasible intervals of
 * suppressed cells by linear programming over every identity the table carries, and
 * complementary cell suppression that satisfies a protection requirement for each. Pure: no
 * Nest, no I/O, no dependencies.
 */
export * from './simplex.js';
export * from './intervals.js';
export * from './protect.js';
